"""Certificates for a module passed, and the failed look-ups that throttle guessing."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios.models import Module
from trainer.models.runs import ModuleRun


class Certificate(models.Model):
    """Proof that a player passed a module. What it says is fixed when it is issued: a later
    change to the module's title or pass mark does not change what was certified.

    It keeps only what it certifies (the name the player typed, the module, the date, the
    score and pass mark, the organisation that ran the session) and outlives the run and
    the session it was earned in: deleting or pruning them leaves it verifiable. Its own
    retention: `manage.py prune_certificates --older-than DAYS` (README, "Retention")."""

    # 16 symbols of Crockford's base 32 (80 random bits), stored without dashes.
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    # The run it was earned in, while the run is kept: deleting the run (with its session,
    # or by pruning) leaves the certificate, which holds everything it says itself.
    run = models.OneToOneField(
        ModuleRun, null=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="certificates")
    module_title = models.CharField(_("module"), max_length=200)
    name = models.CharField(_("name shown"), max_length=100)
    score = models.PositiveSmallIntegerField(_("score"))
    # The module's pass mark the score met (empty on certificates issued before it was kept).
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), null=True, blank=True)
    # The organisation that ran the session it was earned in; "" for a module played alone.
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.module_title} · {self.code}"


class VerifyFailure(models.Model):
    """A code asked for at /verify/ that matched no certificate, kept for an hour so that
    guessing from one browser or address is throttled across every app server (see
    trainer/certificates/verify_throttle.py)."""

    address = models.CharField(_("client address"), max_length=64)
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now, db_index=True)
    # The browser's player key, hashed ("" without one), counted as well as the address.
    browser = models.CharField(_("browser"), max_length=32, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["address", "failed_at"], name="verify_failure_address"),
            models.Index(fields=["browser", "failed_at"], name="verify_failure_browser"),
        ]
        verbose_name = _("failed verification")
        verbose_name_plural = _("failed verifications")

    def __str__(self) -> str:
        return f"{self.address} {self.failed_at:%Y-%m-%d %H:%M}"
