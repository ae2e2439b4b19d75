"""Delete old sessions with every trace of their players: `prune_sessions --older-than DAYS`.

Meant for a daily cron job, so that no nickname or answer is kept longer than the
organisation's policy says.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from trainer.sessions.services import sessions_prune


def days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"--older-than takes a whole number of days, not {value!r}.") from None
    if number < 1:
        raise CommandError(f"--older-than must be at least 1 day, not {number}.")
    return number


class Command(BaseCommand):
    help = "Delete sessions made more than DAYS days ago, with their players and answers."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=str, required=True, metavar="DAYS")

    def handle(self, *args, older_than: str, **options):
        count = sessions_prune(older_than=timedelta(days=days(older_than)))
        noun = "session" if count == 1 else "sessions"
        self.stdout.write(f"Deleted {count} {noun} made more than {older_than} days ago.")
