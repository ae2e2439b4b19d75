"""Sessions a facilitator runs for a group: the scenarios, the players who joined by code,
and the wrong codes that throttle guessing."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scenarios.models import Module, Scenario, ScenarioVersion
from trainer.models.organisations import Membership, Organisation


class TrainingSessionQuerySet(models.QuerySet):
    def run_by(self, user):
        """The sessions of every organisation the user facilitates."""
        organisations = Membership.objects.facilitators().filter(user=user)
        return self.filter(organisation__in=organisations.values("organisation"))

    def open(self):
        return self.filter(closed_at__isnull=True)


class TrainingSession(models.Model):
    """One group playing the same scenarios, in one language, joined with a short code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sessions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    # The module it was made from, if any: its before and after check feed the report.
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("join code"), max_length=6, unique=True)
    # The earlier session this one follows up, weeks later, in the same organisation
    # (trainer.sessions.services.session_create refuses any other): its players may link
    # themselves to their earlier selves with a return code, and the follow-up report
    # compares the two sessions.
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class SessionScenario(models.Model):
    """A scenario of the session, in its place, on the version published when the session
    was made: the whole group plays the same text."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveSmallIntegerField(_("number"))
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ScenarioVersion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="session_scenario_number"),
            models.UniqueConstraint(fields=["session", "scenario"], name="session_scenario_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.number}: {self.scenario}"


class SessionPlayer(models.Model):
    """Someone who joined a session: a nickname and the browser's player key, nothing else."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="players")
    player_key = models.CharField(_("player"), max_length=64)
    nickname = models.CharField(_("nickname"), max_length=24)
    # The nickname folded for comparison, so "Aigul" and "AIGUL" cannot both join.
    nickname_key = models.CharField(max_length=96)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    # The return code shown to the player at the end of the session, as a keyed hash of its
    # words (trainer.sessions.return_codes): the words themselves are never stored.
    return_code_hash = models.CharField(max_length=64, blank=True, default="")
    # When the player said they wrote the code down: until then, every page where they
    # finish shows it.
    return_code_kept_at = models.DateTimeField(
        _("return code written down at"), null=True, blank=True
    )
    # How many times the facilitator reissued the code: each round derives new words, and
    # the form that reissues names the round it saw (a compare-and-set: one reissue per click).
    return_code_round = models.PositiveSmallIntegerField(default=0)
    # In a follow-up: the same person in the earlier session, linked by their return code.
    returning_from = models.ForeignKey(
        "self",
        verbose_name=_("returning from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="returns",
    )

    class Meta:
        ordering = ["session", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "player_key"], name="session_player_once"),
            models.UniqueConstraint(fields=["session", "nickname_key"], name="session_nickname"),
            # A return code is unique in its session, so it names one player...
            models.UniqueConstraint(
                fields=["session", "return_code_hash"],
                condition=~models.Q(return_code_hash=""),
                name="session_return_code_once",
            ),
            # ...and links one player of a follow-up, whatever is posted twice at once.
            models.UniqueConstraint(
                fields=["session", "returning_from"],
                condition=models.Q(returning_from__isnull=False),
                name="session_returning_once",
            ),
        ]
        verbose_name = _("player")
        verbose_name_plural = _("players")

    def __str__(self) -> str:
        return self.nickname


class WrongCode(models.Model):
    """A join code typed from an address that matched no session, or a return code that
    matched no player of the earlier session, kept for a minute.

    Kept in the database so the limit holds across every worker and server of the site.
    """

    class Kind(models.TextChoices):
        JOIN = "join", _("join code")
        RETURN = "return", _("return code")

    address = models.CharField(max_length=45)
    at = models.DateTimeField(db_index=True)
    # Counted apart: a class behind one address that mistypes return codes must not be
    # kept from joining at all.
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.JOIN)
    # The browser's player key, hashed ("" without one): a browser is counted as well as
    # its address, with a lower limit (trainer/web/guesses.py).
    browser = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["address", "at"], name="wrong_code_address_at"),
            models.Index(fields=["browser", "at"], name="wrong_code_browser_at"),
        ]

    def __str__(self) -> str:
        return f"{self.address} {self.at:%H:%M:%S}"
