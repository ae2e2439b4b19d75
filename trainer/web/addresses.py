"""The address a request came from, as the throttles count it, and whether a request was
sent by one of Saq's own pages.

An IPv6 address stands for its /64, the network one subscriber is given: changing the last
64 bits costs nothing, so a throttle keyed by the whole address would count nothing.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def _raw_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a load balancer (SAQ_BEHIND_PROXY=1), the last address of
    X-Forwarded-For, the one the balancer itself appended: those before it are whatever
    the client chose to send."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def _network(request: HttpRequest) -> ipaddress.IPv4Address | ipaddress.IPv6Network | None:
    try:
        address = ipaddress.ip_address(_raw_address(request))
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped:
            return address.ipv4_mapped
        return ipaddress.ip_network(f"{address}/64", strict=False)
    return address


def client_address(request: HttpRequest) -> str:
    """The client as the throttles count it: an IPv4 address, or an IPv6 /64 written
    "2001:db8:1:2::/64"; anything unreadable as itself, cut to the column's length."""
    network = _network(request)
    return str(network) if network is not None else (_raw_address(request)[:45] or "unknown")


def axes_client_address(request: HttpRequest) -> str | None:
    """django-axes' key for the client (AXES_CLIENT_IP_CALLABLE): the same grouping, written
    as an address (the /64's first one), since axes stores it in an address column."""
    network = _network(request)
    if isinstance(network, ipaddress.IPv6Network):
        return str(network.network_address)
    return str(network) if network is not None else None


def sent_from_elsewhere(request: HttpRequest) -> bool:
    """Was this request made by another site's page (an image, a frame, a link there)?

    The browser says so in Sec-Fetch-Site: "same-origin" for Saq's own pages, "none" for
    an address typed, a bookmark or a QR code; anything else came from elsewhere. A
    browser too old to send it is judged by Origin, then Referer, when it sends one; a
    request with none of the three (a QR reader, an old browser's address bar) is taken
    as typed.
    """
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    sender = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER")
    if not sender:
        return False
    parts = urlsplit(sender)
    return (parts.scheme, parts.netloc) != (request.scheme, request.get_host())
