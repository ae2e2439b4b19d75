"""Module runs: one player's way through a module, and their answers to its check."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from scenarios.models import CheckItem, Module


class ModuleRun(models.Model):
    """One player's way through a module: the check before, the scenarios, the check after.

    The before and after items are drawn from the module's pool when the run begins, as
    two disjoint lists (DrawnItem rows), so no player sees an item twice.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    player_key = models.CharField(_("player"), max_length=64, db_index=True)
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="runs")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when the module is run in a facilitator's session: its report reads the check.
    session = models.ForeignKey(
        "trainer.TrainingSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="module_runs",
    )
    # The player (this browser) had run the module before, in any language: a replay draws
    # items it has not seen where the pool allows, and counts for no certificate.
    replay = models.BooleanField(_("replay"), default=False)
    # The form of the check asked before the scenarios ("a" or "b"); the other comes after.
    before_form = models.CharField(_("form before"), max_length=1, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # In a session each player has one run: a double-clicked Join, or two at once,
            # cannot give a player two checks to report.
            models.UniqueConstraint(
                fields=["session", "player_key"],
                condition=models.Q(session__isnull=False),
                name="module_run_once_per_session_player",
            )
        ]
        verbose_name = _("module run")
        verbose_name_plural = _("module runs")

    def __str__(self) -> str:
        return f"{self.module} · {self.id}"

    @property
    def is_first_run(self) -> bool:
        """The player's first run of the module: the one a certificate may count."""
        return not self.replay

    def items_drawn(self, phase: str) -> list[int]:
        """The ids of the items drawn for one check of the run, in the order shown."""
        drawn = self.drawn_items.filter(phase=phase).order_by("order")
        return list(drawn.values_list("item_id", flat=True))


class CheckPhase(models.TextChoices):
    BEFORE = "before", _("before")
    AFTER = "after", _("after")


class DrawnItem(models.Model):
    """A check item drawn for a run: in which check, and at which place in it."""

    # Looked up through the unique constraints' indexes, which start with it.
    run = models.ForeignKey(
        ModuleRun, on_delete=models.CASCADE, related_name="drawn_items", db_index=False
    )
    phase = models.CharField(_("phase"), max_length=6, choices=CheckPhase.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    # Never deleted under a run: importing a pack without it retires it (CheckItem).
    item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["run", "phase", "order"]
        constraints = [
            # No player sees an item twice in a run.
            models.UniqueConstraint(fields=["run", "item"], name="drawn_item_once_per_run"),
            models.UniqueConstraint(fields=["run", "phase", "order"], name="drawn_item_place"),
        ]
        verbose_name = _("drawn check item")
        verbose_name_plural = _("drawn check items")

    def __str__(self) -> str:
        return f"{self.run_id} {self.phase} #{self.order}: {self.item_id}"


class CheckAnswer(models.Model):
    """A player's answer to one check item: did they call it a scam?"""

    run = models.ForeignKey(ModuleRun, on_delete=models.CASCADE, related_name="check_answers")
    phase = models.CharField(_("phase"), max_length=6, choices=CheckPhase.choices)
    item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="+")
    said_scam = models.BooleanField(_("called it a scam"))
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        ordering = ["run", "phase", "id"]
        constraints = [
            # An item is answered once per run, whatever is posted twice.
            models.UniqueConstraint(fields=["run", "item"], name="check_answer_once")
        ]
        verbose_name = _("check answer")
        verbose_name_plural = _("check answers")

    def __str__(self) -> str:
        return f"{self.run_id} {self.phase} {self.item_id}"
