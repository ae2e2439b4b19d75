"""Send the learning records (xAPI statements) waiting in the outbox to each organisation's
learning record store: `send_statements` runs until stopped, `send_statements --once`
sends what is due and ends (for cron). See trainer/records/sender.py for the retries."""

import time

from django.core.management.base import BaseCommand

from trainer.records.sender import outbox_send


class Command(BaseCommand):
    help = "Send waiting xAPI statements to the organisations' learning record stores."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is due, then end")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between looks (default 5)"
        )

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            report = outbox_send()
            if report.sent or report.failed or once:
                self.stdout.write(f"Sent {report.sent} statements; {report.failed} failed.")
            if once:
                return
            time.sleep(interval)
