"""The projector's view of a session, apart from the facilitator's own screen: the join code
and QR code, a lobby of the nicknames as they join, then the group's choices step by step,
each verdict and red flag hidden until the facilitator reveals it. Nothing on it deletes,
closes or scores anyone; `?names=hidden` leaves even the nicknames out.

Its state is in its links (the step, revealed or not, nicknames hidden or not): nothing is
stored, a refresh shows the same, and it all works without JavaScript. static/js/board.js
refreshes the lobby every few seconds."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from trainer.models import TrainingSession
from trainer.sessions.facilitator.access import facilitator_required, own_session
from trainer.sessions.facilitator.live import group_step

# The lobby lists at most this many nicknames; more are counted (a hall does not fit).
LOBBY_NAMES_MAX = 120


@never_cache
@require_safe
@facilitator_required
def projector(request: HttpRequest, session_id) -> HttpResponse:
    session = own_session(request, session_id)
    context = {
        **_lobby(request, session),
        "join_url": request.build_absolute_uri(reverse("join")),
        "session_url": request.build_absolute_uri(reverse("join_session", args=[session.code])),
        "refresh_seconds": settings.BOARD_REFRESH_SECONDS,
        "first_number": session.entries.order_by("number").values_list("number", flat=True)[:1],
    }
    return render(request, "facilitator/projector.html", context)


@never_cache
@require_safe
@facilitator_required
def lobby_fragment(request: HttpRequest, session_id) -> HttpResponse:
    session = own_session(request, session_id)
    return render(request, "facilitator/_lobby.html", _lobby(request, session))


@require_safe
@facilitator_required
def projector_group(request: HttpRequest, session_id, number: int) -> HttpResponse:
    """One step of one scenario (?step=N): the group's shares first, with no verdict and no
    red flag named; ?reveal=1 names them."""
    context = group_step(request, session_id, number) | {
        "revealed": request.GET.get("reveal") == "1",
        "names": _names_query(request),
    }
    return render(request, "facilitator/projector_group.html", context)


def _lobby(request: HttpRequest, session: TrainingSession) -> dict:
    hidden = _names_query(request) == "hidden"
    nicknames = []
    if not hidden:
        joined = session.players.order_by("joined_at", "id").values_list("nickname", flat=True)
        nicknames = list(joined[:LOBBY_NAMES_MAX])
    return {
        "session": session,
        "names_hidden": hidden,
        "names": _names_query(request),
        "nicknames": nicknames,
        "players": session.players.count(),
    }


def _names_query(request: HttpRequest) -> str:
    return "hidden" if request.GET.get("names") == "hidden" else ""
