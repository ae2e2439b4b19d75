"""The facilitator's list of a session's players: each one's return code reissued (they
lost it), a nickname changed (a rude one), a player removed. Only the facilitator's own
screen shows it; the projector never does."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trainer.models import SessionPlayer
from trainer.sessions.facilitator.access import facilitator_required, own_session
from trainer.sessions.forms import RenameForm
from trainer.sessions.return_codes import code_words, return_code_reissue
from trainer.sessions.services import JoinRefused, player_remove, player_rename


@require_safe
@facilitator_required
def player_list(request: HttpRequest, session_id) -> HttpResponse:
    session = own_session(request, session_id)
    players = session.players.order_by("nickname_key", "id")
    return render(request, "facilitator/players.html", {"session": session, "players": players})


@require_POST
@facilitator_required
def return_code_reissue_view(request: HttpRequest, session_id, player_id: int, round: int):
    """New words for a player's return code; the old ones stop working. The URL names the
    round the page showed, so a double click reissues once."""
    session = own_session(request, session_id)
    player = get_object_or_404(SessionPlayer, session=session, pk=player_id)
    numbers = return_code_reissue(player=player, seen_round=round)
    if numbers is None:
        messages.info(
            request,
            _("The return code of “%(nickname)s” was reissued already: see the player's page.")
            % {"nickname": player.nickname},
        )
    else:
        with override(session.language):
            words = code_words(numbers)
        messages.success(
            request,
            _(
                "New return code for “%(nickname)s”: %(words)s. The old one no longer works; "
                "their page shows the new one until they write it down."
            )
            % {"nickname": player.nickname, "words": words},
        )
    return _back_to_players(session)


@require_http_methods(["GET", "POST"])
@facilitator_required
def player_rename_view(request: HttpRequest, session_id, player_id: int) -> HttpResponse:
    session = own_session(request, session_id)
    player = get_object_or_404(SessionPlayer, session=session, pk=player_id)
    old = player.nickname
    form = RenameForm(request.POST or None, initial={"nickname": old})
    if request.method == "POST" and form.is_valid():
        try:
            player_rename(player=player, nickname=form.cleaned_data["nickname"])
        except JoinRefused as refused:
            form.add_error("nickname", str(refused))
        else:
            messages.success(
                request,
                _("“%(old)s” is now called “%(new)s”.") % {"old": old, "new": player.nickname},
            )
            return _back_to_players(session)
    context = {"session": session, "player": player, "form": form}
    return render(request, "facilitator/player_rename.html", context)


@require_http_methods(["GET", "POST"])
@facilitator_required
def player_remove_view(request: HttpRequest, session_id, player_id: int) -> HttpResponse:
    """Asks first; the POST removes the player and everything they did in the session."""
    session = own_session(request, session_id)
    player = SessionPlayer.objects.filter(session=session, pk=player_id).first()
    if request.method == "POST":
        if player is not None:  # a second copy of the click finds nobody: the same answer
            player_remove(player=player)
            messages.success(
                request,
                _("“%(nickname)s” is removed from the session, with their answers.")
                % {"nickname": player.nickname},
            )
        return _back_to_players(session)
    if player is None:
        raise Http404
    return render(request, "facilitator/player_remove.html", {"session": session, "player": player})


def _back_to_players(session) -> HttpResponse:
    response = redirect("facilitator:players", session_id=session.id)
    response.status_code = 303
    return response
