"""The player's side of a session: join with a code and a nickname, then play the
session's scenarios from its page. No account, no e-mail, nothing but the nickname (and,
joining a follow-up, the return code the player was shown, if they have it).

Typed codes that match no session are counted per browser and per address
(trainer.sessions.join_throttle); past a limit, nothing typed is looked up until the
minute has passed. A link followed from another site's page is not looked up at all.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from trainer.models import Attempt, SessionPlayer, SessionScenario, TrainingSession
from trainer.play.services import SessionClosed
from trainer.runs.progress import Stage, session_run_progress
from trainer.runs.services import RunRefused
from trainer.sessions import codes, join_throttle
from trainer.sessions.forms import JoinForm
from trainer.sessions.return_codes import (
    return_code_keep,
    return_code_panel,
    return_code_reveal,
    returning_player_find,
)
from trainer.sessions.services import (
    JoinRefused,
    ReturnCodeRefused,
    session_attempt_start,
    session_join,
)
from trainer.web.addresses import client_address, sent_from_elsewhere
from trainer.web.guesses import browser_of
from trainer.web.player import new_player_key, player_key, remember_player, with_player_key


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """/join/: type the code on the screen and a nickname."""
    if request.method == "GET":
        form = JoinForm(initial={"code": request.GET.get("code", "")})
        return with_player_key(request, render(request, "join/join.html", {"form": form}))
    form = JoinForm(request.POST)
    if not form.is_valid():  # a typing slip is answered without a look-up
        return with_player_key(request, render(request, "join/join.html", {"form": form}))
    guess = join_throttle.guess_begin(client_address(request), browser_of(request))
    if guess is None:
        return _slow_down(request)
    session = TrainingSession.objects.filter(code=form.cleaned_data["code"]).first()
    if session is None:
        join_throttle.guess_was_wrong(guess)
        form.add_error("code", _no_such_code())
        return with_player_key(
            request, render(request, "join/join.html", {"form": form}, status=404)
        )
    join_throttle.guess_was_right(guess)
    return _join(request, session, form)


@never_cache
@require_http_methods(["GET", "POST"])
def player_session(request: HttpRequest, code: str) -> HttpResponse:
    """/join/<code>/, the link and the QR code: a nickname to join, and once joined, the
    player's page of the session with its scenarios."""
    typed, code = code, codes.normalise(code)
    if not codes.is_well_formed(code):  # a typing slip: answered without a look-up
        context = {"form": JoinForm(initial={"code": typed}), "error": _no_such_code()}
        return with_player_key(request, render(request, "join/join.html", context, status=404))
    if code != typed:
        return redirect("join_session", code=code)
    key = player_key(request)
    player = None
    if key is not None:  # found by the browser's key too, so this is no guess
        found = SessionPlayer.objects.select_related("session")
        player = found.filter(session__code=code, player_key=key).first()
    if player is not None:
        if request.method == "POST":  # a Join sent again: the player exists already
            return _see_other("join_session", code=code)
        return _home(request, player.session, player)
    if sent_from_elsewhere(request):
        # Another site's page (an image, a link): nothing is looked up or counted, so no
        # page can use up a school's allowance; the player sends the code from Saq's form.
        context = {"form": JoinForm(initial={"code": code}), "from_elsewhere": True}
        return with_player_key(request, render(request, "join/join.html", context))
    # Not one of its players: this could be someone guessing codes.
    guess = join_throttle.guess_begin(client_address(request), browser_of(request))
    if guess is None:
        return _slow_down(request)
    session = TrainingSession.objects.filter(code=code).first()
    if session is None:
        join_throttle.guess_was_wrong(guess)
        context = {"form": JoinForm(initial={"code": code}), "error": _no_such_code()}
        return with_player_key(request, render(request, "join/join.html", context, status=404))
    join_throttle.guess_was_right(guess)
    if request.method == "POST":
        return _join(request, session, JoinForm({**request.POST.dict(), "code": code}))
    form = JoinForm(initial={"code": code})
    return with_player_key(request, _nickname_page(request, session, form))


@require_POST
def session_play(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Start, or go back to, the player's attempt at the session's scenario `number`."""
    key = player_key(request)
    session = TrainingSession.objects.filter(code=code).first()
    joined = session is not None and key is not None
    if not (joined and SessionPlayer.objects.filter(session=session, player_key=key).exists()):
        # The same answer whether the session exists or not (this is no way round the
        # throttle): the session's page, which asks for a nickname, or counts the guess.
        return _see_other("join_session", code=code)
    try:
        attempt_id = session_attempt_start(session=session, player_key=key, number=number)
    except SessionScenario.DoesNotExist:
        raise Http404 from None
    except (SessionClosed, RunRefused) as refused:  # closed, or not this scenario's turn yet
        messages.error(request, str(refused))
        return _see_other("join_session", code=code)
    return _see_other("play", attempt_id=attempt_id)


@require_POST
def return_code_show(request: HttpRequest, code: str) -> HttpResponse:
    """The button of the session's page when a code waits to be shown, or to be made for a
    player who finished before codes were made by the finishing POST: back to the page,
    which shows it."""
    key = player_key(request)
    session = TrainingSession.objects.filter(code=code).first()
    player = None
    if session is not None and key is not None:
        player = SessionPlayer.objects.filter(session=session, player_key=key).first()
    if player is not None:
        return_code_reveal(session=session, player=player)
    return _see_other("join_session", code=code)


@require_POST
def return_code_kept(request: HttpRequest, code: str, round: int) -> HttpResponse:
    """ "I wrote it down": the code of `round` is no longer shown; back to the session's
    page, which says so (or shows a newer code the facilitator has issued since)."""
    key = player_key(request)
    player = None
    if key is not None:
        player = SessionPlayer.objects.filter(session__code=code, player_key=key).first()
    if player is not None:
        return_code_keep(player=player, round=round)
    return _see_other("join_session", code=code)


def _join(request: HttpRequest, session: TrainingSession, form: JoinForm) -> HttpResponse:
    key = player_key(request)
    new_key = key or new_player_key()
    if not form.is_valid():
        return with_player_key(request, _nickname_page(request, session, form))
    try:
        returning = _returning_from(request, session, form.cleaned_data["return_code"], new_key)
        session_join(
            session=session,
            player_key=new_key,
            nickname=form.cleaned_data["nickname"],
            returning_from=returning,
        )
    except ReturnCodeRefused as refused:
        form.add_error("return_code", str(refused))
        return with_player_key(request, _nickname_page(request, session, form))
    except JoinRefused as refused:
        # A closed session's page says so in place of the form (it may have closed just now).
        session.refresh_from_db(fields=["closed_at"])
        if not session.is_closed:
            form.add_error("nickname", str(refused))
        return with_player_key(request, _nickname_page(request, session, form))
    response = _see_other("join_session", code=session.code)
    if key is None:
        remember_player(response, new_key)
    return response


def _returning_from(
    request: HttpRequest, session: TrainingSession, numbers, key: str
) -> SessionPlayer | None:
    """The earlier session's player a typed return code links to (a closed session takes no
    one, so nothing is looked up for it)."""
    if numbers is None or session.is_closed:
        return None
    return returning_player_find(
        session=session,
        numbers=numbers,
        address=client_address(request),
        browser=browser_of(request),
        player_key=key,
    )


def _home(request: HttpRequest, session: TrainingSession, player: SessionPlayer) -> HttpResponse:
    run = session_run_progress(session_id=session.id, player_key=player.player_key)
    if run is not None:
        # A module's session: the player's way through its check and scenarios, in order.
        context = {"session": session, "player": player, "progress": run}
        context["return_code"] = return_code_panel(
            session=session, player=player, all_played=run.stage == Stage.RESULT
        )
        return render(request, "join/session_run.html", context)
    entries = list(session.entries.select_related("version").order_by("number"))
    attempts = {
        attempt.scenario_id: attempt
        for attempt in Attempt.objects.filter(session=session, player_key=player.player_key)
    }
    rows = [(entry, attempts.get(entry.scenario_id)) for entry in entries]
    next_number = next(
        (entry.number for entry, attempt in rows if attempt is None or not attempt.is_finished),
        None,
    )
    context = {"session": session, "player": player, "rows": rows, "next_number": next_number}
    # Shown until the player says they wrote it down.
    context["return_code"] = return_code_panel(
        session=session, player=player, all_played=next_number is None
    )
    return render(request, "join/session.html", context)


def _nickname_page(request: HttpRequest, session: TrainingSession, form: JoinForm):
    context = {"session": session, "form": form.for_session(session)}
    return render(request, "join/nickname.html", context)


def _slow_down(request: HttpRequest) -> HttpResponse:
    return render(request, "join/slow_down.html", status=429)


def _no_such_code() -> str:
    return _("No session has this code. Check it on the screen and type it again.")


def _see_other(name: str, **kwargs) -> HttpResponse:
    response = redirect(name, **kwargs)
    response.status_code = 303
    return response
