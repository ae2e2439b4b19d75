"""The facilitator's sessions: the list, a new session, its page on the facilitator's own
screen (code, link, QR code, what it plays, and the way to the projector's view, which is
trainer.sessions.facilitator.projector), closing and deleting it."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from trainer.models import TrainingSession
from trainer.records.services import statements_summary
from trainer.sessions.board import Where, session_board
from trainer.sessions.facilitator.access import facilitator_required, own_organisations, own_session
from trainer.sessions.forms import LanguagePickForm, SessionCreateForm
from trainer.sessions.services import (
    session_close,
    session_create,
    session_delete,
    session_reopen,
)
from trainer.web.once import act_once, form_key


@require_safe
@facilitator_required
def home(request: HttpRequest) -> HttpResponse:
    sessions = (
        TrainingSession.objects.run_by(request.user)
        .select_related("organisation", "follow_up_of")
        .order_by(F("closed_at").desc(nulls_first=True), "-created_at")  # open first
    )
    return render(request, "facilitator/home.html", {"sessions": sessions})


@require_http_methods(["GET", "POST"])
@facilitator_required
def session_new(request: HttpRequest) -> HttpResponse:
    organisations = own_organisations(request.user)
    language = language_asked(request.POST.get("language") or request.GET.get("language"))
    estimate = None
    if request.method == "POST":
        form = SessionCreateForm(request.POST, organisations=organisations, language=language)
        if "estimate" in request.POST:
            form.is_valid()
            estimate = form.estimate()  # the form again, with the time its choice takes
        elif form.is_valid():
            data = form.cleaned_data
            # Every copy of the form (a double click, a resend) gets the first's session.
            session_id = act_once(
                form_key(request, "session-new", request.user.pk),
                lambda: (
                    session_create(
                        organisation=data["organisation"],
                        created_by=request.user,
                        title=data["title"],
                        language=data["language"],
                        scenarios=form.chosen_scenarios(),
                        module=data["module"],
                    ).id
                ),
            )
            response = redirect("facilitator:session", session_id=session_id)
            response.status_code = 303
            return response
    if request.method != "POST":
        form = SessionCreateForm(
            organisations=organisations,
            language=language,
            initial={"organisation": organisations.first()},
        )
    return render(
        request,
        "facilitator/session_new.html",
        {
            "form": form,
            "estimate": estimate,
            "language": language,
            "language_form": LanguagePickForm(
                label=_("Language of the session"),
                language=language,
                submit=_("Show its scenarios"),
            ),
        },
    )


@require_safe
@facilitator_required
def session_overview(request: HttpRequest, session_id) -> HttpResponse:
    """The facilitator's page of the session: the code, the link, the QR code, its
    scenarios, and the ways to the projector's view, the board, the players, the report."""
    session = own_session(request, session_id)
    entries = list(session.entries.select_related("version").order_by("number"))
    context = {
        "session": session,
        "join_url": request.build_absolute_uri(reverse("join")),
        "session_url": _join_link(request, session),
        "players": session.players.count(),
        "entries": entries,
        "minutes": sum(entry.version.minutes for entry in entries),
        "module_size": session.module.entries.count() if session.module_id else 0,
        "records": statements_summary(session),
    }
    return render(request, "facilitator/session.html", context)


@require_safe
@facilitator_required
def session_qr(request: HttpRequest, session_id) -> HttpResponse:
    """The QR code of the join link, as an SVG image (no inline style: served as a file)."""
    session = own_session(request, session_id)
    qr = segno.make(_join_link(request, session), error="m")
    svg = io.BytesIO()
    qr.save(svg, kind="svg", scale=10, border=2, dark="#000", light="#fff", title=session.code)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
@facilitator_required
def session_close_view(request: HttpRequest, session_id) -> HttpResponse:
    """Asks first, naming who has not finished; the POST closes (it can be reopened)."""
    session = own_session(request, session_id)
    if request.method == "POST":
        session_close(session=session)
        messages.success(request, _("The session is closed: it takes no more players or answers."))
        response = redirect("facilitator:report", session_id=session.id)
        response.status_code = 303
        return response
    board = session_board(session)
    unfinished = [row for row in board.rows if row.where != Where.DONE]
    context = {
        "session": session,
        "unfinished": unfinished,
        "players": len(board.rows),
        "scenarios": board.scenarios,
    }
    return render(request, "facilitator/session_close.html", context)


@require_POST
@facilitator_required
def session_reopen_view(request: HttpRequest, session_id) -> HttpResponse:
    session = own_session(request, session_id)
    session_reopen(session=session)
    messages.success(request, _("The session is open again: players can join and answer."))
    response = redirect("facilitator:session", session_id=session.id)
    response.status_code = 303
    return response


@require_http_methods(["GET", "POST"])
@facilitator_required
def session_delete_view(request: HttpRequest, session_id) -> HttpResponse:
    session = own_session(request, session_id)
    if request.method == "POST":
        title = session.title
        session_delete(session=session)
        messages.success(
            request,
            _("“%(title)s” is deleted, with every player's answers.") % {"title": title},
        )
        response = redirect("facilitator:home")
        response.status_code = 303
        return response
    context = {"session": session, "players": session.players.count()}
    return render(request, "facilitator/session_delete.html", context)


def _join_link(request: HttpRequest, session: TrainingSession) -> str:
    return request.build_absolute_uri(reverse("join_session", args=[session.code]))


def language_asked(asked: str | None) -> str:
    """The language a page was asked for, else the page's own, else the site's default."""
    known = [code for code, _name in settings.LANGUAGES]
    if asked in known:
        return asked
    current = (get_language() or "")[:2]
    return current if current in known else settings.LANGUAGE_CODE
