"""Whole play pages of published steps, rendered once and kept in memory.

A published step looks the same to every player who reaches it at the same position
by the same choice, in the same language; only two things differ from request to request:
the CSRF token, and the page's own address, which the language switcher sends back as
"next" (it names the player's attempt). So the page is rendered once with markers where
these go, and each request gets a copy with its own put in. Pages carrying a one-off
notice (a refused answer) are rendered afresh.
"""

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language

from scenarios.content import MemoryCache, on_clear

_TOKEN_MARKER = "csrf-token-marker-1d0b6e"  # noqa: S105 (a marker, not a secret)
_ADDRESS_MARKER = "/page-address-marker-5c2e91/"
_pages = MemoryCache(4096)
on_clear(_pages.clear)


def render_cached(
    request: HttpRequest, template_name: str, context: dict, *, key: tuple
) -> HttpResponse:
    if len(get_messages(request)):
        return HttpResponse(render_to_string(template_name, context, request=request))
    key = (template_name, get_language(), *key)
    page = _pages.get(key)
    if page is None:
        markers = {"csrf_token": _TOKEN_MARKER, "switcher_next": _ADDRESS_MARKER}
        page = render_to_string(template_name, {**context, **markers}, request=request)
        _pages.put(key, page)
    page = page.replace(_TOKEN_MARKER, get_token(request))
    return HttpResponse(page.replace(_ADDRESS_MARKER, escape(request.get_full_path())))
