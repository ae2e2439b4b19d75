"""People playing: an attempt at a scenario and the answers given step by step."""

import uuid

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from scenarios.models import Choice, Message, Scenario, ScenarioVersion, Step
from trainer.models.runs import ModuleRun


class AttemptQuerySet(models.QuerySet):
    def counted(self):
        """Players' attempts: every statistic and report reads these, never an author's preview."""
        return self.filter(preview=False)


class Attempt(models.Model):
    """One play of one scenario version by one browser (no account needed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    player_key = models.CharField(_("player"), max_length=64, db_index=True)
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="attempts")
    version = models.ForeignKey(ScenarioVersion, on_delete=models.PROTECT, related_name="attempts")
    # How many steps have been answered; a form carries it so a repeated post is recognised.
    position = models.PositiveIntegerField(_("steps answered"), default=0)
    current_step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+")
    last_choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    # Set when the attempt is played as part of a module run.
    module_run = models.ForeignKey(
        ModuleRun, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts"
    )
    # Set when the attempt is played in a facilitator's session; a closed session takes no
    # more answers (see trainer.play.state).
    session = models.ForeignKey(
        "trainer.TrainingSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )

    # An author trying a draft from the admin: never shown in the catalogue, never counted.
    preview = models.BooleanField(_("preview"), default=False)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["player_key", "scenario"], name="attempt_player_scenario")]
        constraints = [
            # In a session each player plays each scenario once: a double-clicked Start, or
            # two at once, cannot give a player two attempts to report.
            models.UniqueConstraint(
                fields=["session", "player_key", "scenario"],
                condition=models.Q(session__isnull=False),
                name="attempt_once_per_session_player",
            )
        ]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self) -> str:
        return f"{self.version} · {self.id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class StepAnswer(models.Model):
    """The choice a player took on a step; what they marked as suspicious is its marks."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveIntegerField(_("position"))
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    # Stamped by the database, so the hot path's plain INSERT need not convert a time.
    answered_at = models.DateTimeField(_("answered at"), db_default=Now())

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            # The database's own guard that an answer is never counted twice.
            models.UniqueConstraint(fields=["attempt", "position"], name="answer_once_per_position")
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"


class MarkedMessage(models.Model):
    """A message the player marked as suspicious in one answer."""

    # Looked up through the unique constraint's index, which starts with it.
    answer = models.ForeignKey(
        StepAnswer, on_delete=models.CASCADE, related_name="marks", db_index=False
    )
    # A published version's messages never change; a draft's are edited only once its
    # previews, and so their answers, are gone (scenarios.authoring.drafts.on_draft_edit).
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="+")
    # True when the player pointed at the message's part (its link, sender, payment request
    # or attachment: scenarios.message_kinds) rather than at its words.
    on_part = models.BooleanField(_("on its part"), default=False, db_default=False)

    class Meta:
        ordering = ["answer", "message", "on_part"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "message", "on_part"], name="mark_once_per_answer_and_part"
            )
        ]
        verbose_name = _("marked message")
        verbose_name_plural = _("marked messages")

    def __str__(self) -> str:
        return f"{self.answer} · {self.message_id}"
