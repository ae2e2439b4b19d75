"""Whole play pages of published steps, rendered once and kept in memory.

A published step looks the same to every player who reaches it at the same position
by the same choice, in the same language; only the CSRF token differs from request to
request. So the page is rendered once with a marker where the token goes, and each
request gets a copy with its own token put in. Pages carrying a one-off notice (a
refused answer) are rendered afresh.
"""

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from scenarios.content import MemoryCache, on_clear

_TOKEN_MARKER = "csrf-token-marker-1d0b6e"  # noqa: S105 (a marker, not a secret)
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
        page = render_to_string(
            template_name, {**context, "csrf_token": _TOKEN_MARKER}, request=request
        )
        _pages.put(key, page)
    return HttpResponse(page.replace(_TOKEN_MARKER, get_token(request)))
