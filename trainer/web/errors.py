"""Error pages a player can meet, in the player's language like every other page.

Django's own CSRF failure page is English only; this one says what happened and what to do.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
