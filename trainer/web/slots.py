"""Slots: the per-request holes of HTML rendered once and shared.

A page or a piece of one that looks the same to everyone (a published step's page, the
language switcher) is rendered once with a marker where each request differs, and each
request fills the markers in. A marker holds a raw `<`, which escaped text never does, so
nothing an author or a player wrote can be taken for one. The markers are constants of
the code and reach the shared HTML unescaped.
"""

import re

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import mark_safe

SLOT = re.compile(r"<saq-slot (csrf-token|address|notices)>")
SLOT_MARKERS = {
    "csrf_token": mark_safe("<saq-slot csrf-token>"),  # noqa: S308
    "switcher_next": mark_safe("<saq-slot address>"),  # noqa: S308
    "notices": mark_safe("<saq-slot notices>"),  # noqa: S308
}


def fill_slots(html: str, request: HttpRequest, *, address: str, notices: str = "") -> str:
    """Each slot of `html` filled for this request, in one pass, so what is filled in is
    not read again: the CSRF token, the page's `address` (escaped here) and the notices
    (HTML rendered by the caller)."""
    filled = {"csrf-token": get_token(request), "address": escape(address), "notices": notices}
    return SLOT.sub(lambda slot: filled[slot[1]], html)
