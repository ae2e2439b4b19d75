"""Learning records (xAPI) for an organisation's learning record store: where it is, and
the statements waiting to go there (an outbox, written in the same transaction as the
answer they tell of, sent by `manage.py send_statements`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trainer.models.organisations import Organisation


class RecordStore(models.Model):
    """An organisation's learning record store (LRS), set by an administrator. The secret
    is sealed (trainer.records.sealing) and never shown again."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="record_store"
    )
    endpoint = models.URLField(
        _("xAPI endpoint"),
        help_text=_("The LRS's xAPI address, e.g. https://lrs.example.org/xAPI/"),
    )
    key = models.CharField(_("key"), max_length=200, help_text=_("The user name of Basic auth."))
    secret_sealed = models.TextField(editable=False, default="")
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Sessions of the organisation send learning records while this is on."),
    )

    class Meta:
        verbose_name = _("learning record store")
        verbose_name_plural = _("learning record stores")

    def __str__(self) -> str:
        return self.endpoint


class QueuedStatement(models.Model):
    """One xAPI statement on its way to a store. Its id is fixed when it is written, so
    sending it again is harmless: a store answers a known id as delivered."""

    statement_id = models.UUIDField(unique=True)
    store = models.ForeignKey(RecordStore, on_delete=models.CASCADE, related_name="statements")
    # The session it tells of: its page counts what waits, and deleting it deletes these.
    session = models.ForeignKey(
        "trainer.TrainingSession", on_delete=models.CASCADE, related_name="statements"
    )
    statement = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    tries = models.PositiveIntegerField(default=0)
    # When the worker may take it (again): now for a new one, later after a failed try, or
    # after a lease while a worker sends it.
    next_try_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(
                fields=["next_try_at"],
                condition=models.Q(sent_at__isnull=True),
                name="statement_due",
            )
        ]
        verbose_name = _("queued statement")
        verbose_name_plural = _("queued statements")

    def __str__(self) -> str:
        return str(self.statement_id)
