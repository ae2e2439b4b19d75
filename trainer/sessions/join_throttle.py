"""Code guessing, slowed down: an address that typed too many codes matching nothing in the
last minute is asked to wait, whatever it types next.

Join codes and return codes are counted apart, each against the same limit: too many
wrong join codes stop an address joining any session; too many wrong return codes stop
only its return codes being looked up, and its players can still join without one.

The wrong codes are rows in the database, not counters in a worker's memory or in a
cache server: every gunicorn worker and every app server behind a load balancer sees the
same count, and a newcomer's SQLite set-up needs nothing more.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from trainer.models import WrongCode

WINDOW = timedelta(minutes=1)


def is_throttled(address: str, kind: str = WrongCode.Kind.JOIN) -> bool:
    """Has this address typed the limit of wrong codes of this kind in the last minute?"""
    since = timezone.now() - WINDOW
    recent = WrongCode.objects.filter(address=address, kind=kind, at__gt=since)
    return recent.count() >= settings.JOIN_WRONG_CODES_PER_MINUTE


def wrong_code_note(address: str, kind: str = WrongCode.Kind.JOIN) -> None:
    """Count a wrong code from this address; forget every wrong code older than the window."""
    now = timezone.now()
    WrongCode.objects.filter(at__lte=now - WINDOW).delete()
    WrongCode.objects.create(address=address, at=now, kind=kind)
