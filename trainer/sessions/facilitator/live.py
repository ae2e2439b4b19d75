"""While the session runs: the live board, and the group's choices step by step for the
projector."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from trainer.models import SessionScenario
from trainer.sessions.board import session_board
from trainer.sessions.facilitator.access import facilitator_required, own_session
from trainer.sessions.group import group_scenario


@never_cache
@require_safe
@facilitator_required
def board(request: HttpRequest, session_id) -> HttpResponse:
    """The board; static/js/board.js replaces its figures every few seconds with the
    fragment below, and without scripts its Refresh link does the same by hand."""
    session = own_session(request, session_id)
    context = {
        "session": session,
        "board": session_board(session),
        "refresh_seconds": settings.BOARD_REFRESH_SECONDS,
    }
    return render(request, "facilitator/board.html", context)


@never_cache
@require_safe
@facilitator_required
def board_fragment(request: HttpRequest, session_id) -> HttpResponse:
    session = own_session(request, session_id)
    context = {"session": session, "board": session_board(session)}
    return render(request, "facilitator/_board.html", context)


@require_safe
@facilitator_required
def group(request: HttpRequest, session_id, number: int) -> HttpResponse:
    """One step of one scenario at a time (?step=N): how the group chose, which messages it
    marked and which red flags it missed. Counts and shares only, never a nickname."""
    return render(request, "facilitator/group.html", group_step(request, session_id, number))


def group_step(request: HttpRequest, session_id, number: int) -> dict:
    """The context of one step of one scenario of the facilitator's own session (?step=N),
    shared by the group view and the projector's: 404 for another's session or no such step."""
    session = own_session(request, session_id)
    try:
        scenario = group_scenario(session, number)
    except SessionScenario.DoesNotExist:
        raise Http404 from None
    step_number = _int(request.GET.get("step"), default=1)
    if not 1 <= step_number <= len(scenario.steps):
        raise Http404
    return {
        "session": session,
        "scenario": scenario,
        "step": scenario.steps[step_number - 1],
        "numbers": session.entries.order_by("number").values_list("number", flat=True),
    }


def _int(value: str | None, *, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return -1
