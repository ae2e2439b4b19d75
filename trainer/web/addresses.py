"""The address a request came from, as the throttles count it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a load balancer (SAQ_BEHIND_PROXY=1), the last address of
    X-Forwarded-For, the one the balancer itself appended: those before it are whatever
    the client chose to send."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]
