"""Throttling guesses at /verify/ per client address.

Every code asked for that matches no certificate is a row (VerifyFailure), kept for
VERIFY_WINDOW; an address with VERIFY_LIMIT rows in the window is refused, even for a
real code, until its oldest row of those ages out. The rows live in the database, not in
process memory: gunicorn runs several workers, and a deployment several app servers, each
of which would otherwise count only the guesses it happened to receive (multiplying the
limit by their number) and forget them all when it restarts.
"""

import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest

from trainer.models import VerifyFailure

VERIFY_WINDOW = timedelta(hours=1)
# Enough for a person who mistypes a few codes, or an employer checking many real ones
# (only codes that match nothing count); nothing for someone trying 2^80 codes.
VERIFY_LIMIT = 20


def client_address(request: HttpRequest) -> str:
    """The address a request came from. An IPv6 address stands for its /64, the network a
    single subscriber is given, so changing the last 64 bits does not make a new client."""
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64] or "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def verify_wait(address: str, now: datetime) -> timedelta | None:
    """How long the address must wait before it may look up a code; None when it need not."""
    recent = VerifyFailure.objects.filter(address=address, failed_at__gt=now - VERIFY_WINDOW)
    oldest_counted = recent.order_by("-failed_at").values_list("failed_at", flat=True)[
        VERIFY_LIMIT - 1 : VERIFY_LIMIT
    ]
    if not oldest_counted:
        return None
    return oldest_counted[0] + VERIFY_WINDOW - now


def verify_failure_record(address: str, now: datetime) -> None:
    """Count a code that matched nothing against the address, and forget every failure
    older than the window, so the table holds at most one window of failures."""
    VerifyFailure.objects.create(address=address, failed_at=now)
    VerifyFailure.objects.filter(failed_at__lte=now - VERIFY_WINDOW).delete()
