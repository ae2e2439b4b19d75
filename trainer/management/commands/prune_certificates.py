"""Delete old certificates: `prune_certificates --older-than DAYS`.

Certificates are kept apart from sessions: deleting or pruning a session leaves the
certificates earned in it verifiable (an employer's proof of training), since each keeps
only what it certifies. How long they are kept is the organisation's policy; a daily cron
job with this command applies it.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from trainer.certificates.services import certificates_prune
from trainer.management.commands.prune_sessions import days


class Command(BaseCommand):
    help = "Delete certificates issued more than DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=str, required=True, metavar="DAYS")

    def handle(self, *args, older_than: str, **options):
        count = certificates_prune(older_than=timedelta(days=days(older_than)))
        noun = "certificate" if count == 1 else "certificates"
        self.stdout.write(f"Deleted {count} {noun} issued more than {older_than} days ago.")
