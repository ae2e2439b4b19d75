"""Join-code guessing, slowed down: an address that typed too many codes matching no
session in the last minute is asked to wait, whatever it types next.

The wrong codes are rows in the database, not counters in a worker's memory or in a
cache server: every gunicorn worker and every app server behind a load balancer sees the
same count, and a newcomer's SQLite set-up needs nothing more.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from trainer.models import WrongCode

WINDOW = timedelta(minutes=1)


def is_throttled(address: str) -> bool:
    """Has this address typed the limit of wrong codes in the last minute?"""
    since = timezone.now() - WINDOW
    recent = WrongCode.objects.filter(address=address, at__gt=since)
    return recent.count() >= settings.JOIN_WRONG_CODES_PER_MINUTE


def wrong_code_note(address: str) -> None:
    """Count a wrong code from this address; forget every wrong code older than the window."""
    now = timezone.now()
    WrongCode.objects.filter(at__lte=now - WINDOW).delete()
    WrongCode.objects.create(address=address, at=now)
