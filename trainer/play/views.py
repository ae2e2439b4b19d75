"""The player's pages: catalogue, start, step by step, and the ending with its debrief.

Every page works as plain forms and redirects; JavaScript only improves them.
"""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from scenarios.content import ChoiceView, VersionContent, flag_types, version_content
from scenarios.models import Scenario
from trainer import scoring
from trainer.models import Attempt
from trainer.play.aftercare import aftercare_for_attempt
from trainer.play.debrief import build_debrief
from trainer.play.page_cache import Progress, StepPage, render_step
from trainer.play.services import (
    AnswerRefused,
    SessionClosed,
    attempt_answer,
    attempt_score,
    published_attempt_start,
)
from trainer.play.state import (
    AttemptState,
    attempt_and_answers,
    attempt_state,
)
from trainer.play.story_map import story_map_html
from trainer.runs.views import catalogue_modules
from trainer.sessions.return_codes import finishing_panel, return_code_after_finish
from trainer.web.languages import current_language, native_names
from trainer.web.once import act_once, form_key
from trainer.web.player import new_player_key, player_key, remember_player, with_player_key


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    scenarios = (
        Scenario.objects.published()
        .in_language(current_language())
        .select_related("current_version")
        .order_by("current_version__difficulty", "slug")
    )
    modules = catalogue_modules(get_language())
    return render(request, "play/catalogue.html", {"scenarios": scenarios, "modules": modules})


@never_cache
@require_http_methods(["GET", "POST"])
def scenario_start(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    key = player_key(request)
    if request.method == "POST":
        return _start(request, slug, language, key)
    scenario = get_object_or_404(
        Scenario.objects.published().select_related("current_version"),
        slug=slug,
        language=language,
    )
    in_progress = None
    if key is not None:
        in_progress = (
            Attempt.objects.counted()
            .filter(
                player_key=key,
                scenario=scenario,
                finished_at__isnull=True,
                module_run=None,
                session=None,
            )
            .exclude(position=0)
            .first()
        )
    other_languages = (
        Scenario.objects.published()
        .filter(slug=slug)
        .exclude(language=language)
        .values_list("language", flat=True)
    )
    page = render(
        request,
        "play/start.html",
        {
            "scenario": scenario,
            "version": scenario.current_version,
            "in_progress": in_progress,
            "also_in": native_names(other_languages),
            # The language switcher brings the reader to the story in the language chosen.
            "switcher_next": reverse("scenario_in_language", args=[slug]) + f"?from={language}",
        },
    )
    return with_player_key(request, page)


@require_safe
def scenario_in_language(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the language switcher on a scenario's page lands: the story in the language just
    chosen when it is published in it, otherwise the one the reader came from."""
    published = set(
        Scenario.objects.published().filter(slug=slug).values_list("language", flat=True)
    )
    for language in (current_language(), request.GET.get("from")):
        if language in published:
            return redirect("scenario_start", slug=slug, language=language)
    raise Http404


def _start(request: HttpRequest, slug: str, language: str, key: str | None) -> HttpResponse:
    new_key = key or new_player_key()

    def start() -> uuid.UUID:
        attempt_id = published_attempt_start(player_key=new_key, slug=slug, language=language)
        if attempt_id is None:
            raise Http404  # nothing kept: act_once keeps no key when its act raises
        return attempt_id

    # Every copy of the form (a double click, a resend) gets the first one's attempt.
    attempt_id = act_once(form_key(request, "scenario-start", key, slug, language), start)
    response = _see_other("play", attempt_id)
    if key is None:
        remember_player(response, new_key)
    return response


def _own_attempt(key: str | None, attempt_id) -> AttemptState:
    """Where the attempt stands, if it belongs to the browser of this player's key; anyone
    else gets 404."""
    state = attempt_state(attempt_id, key) if key is not None else None
    if state is None:
        raise Http404
    return state


def _see_other(name: str, attempt_id) -> HttpResponse:
    response = redirect(name, attempt_id=attempt_id)
    response.status_code = 303
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def play(request: HttpRequest, attempt_id) -> HttpResponse:
    if request.method == "POST":
        return _answer(request, attempt_id)
    attempt = _own_attempt(player_key(request), attempt_id)
    if attempt.is_finished:
        return redirect("result", attempt_id=attempt.id)
    if attempt.session_closed:
        # The session's page says it is closed, and what the player did before is kept.
        return redirect("join_session", code=attempt.session_code)
    content = version_content(attempt.version_id)
    page = StepPage(
        content=content,
        step=content.step_by_id(attempt.current_step_id),
        position=attempt.position,
        last_choice=_last_choice(content, attempt),
        # The session's code is in the page (a link back to its scenarios).
        session_code=attempt.session_code,
    )
    return render_step(request, page)


def _answer(request: HttpRequest, attempt_id) -> HttpResponse:
    key = player_key(request)
    if key is None:
        raise Http404
    try:
        attempt = attempt_answer(
            attempt_id=attempt_id,
            player_key=key,
            position=_int(request.POST.get("position")),
            choice_id=_int(request.POST.get("choice")),
            marked_ids=[_int(value) for value in request.POST.getlist("mark")],
            marked_part_ids=[_int(value) for value in request.POST.getlist("mark_part")],
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    except SessionClosed as closed:
        messages.error(request, str(closed))
        response = redirect("join_session", code=closed.code)
        response.status_code = 303
        return response
    except AnswerRefused as refused:
        messages.error(request, str(refused))
        return _see_other("play", attempt_id)
    if attempt.is_finished and attempt.session_code:
        # The last answer of a session makes the player's return code, which the session's
        # page shows: made here, in a POST, never while a page is drawn.
        return_code_after_finish(player_key=key, session_code=attempt.session_code)
    return _see_other("result" if attempt.is_finished else "play", attempt_id)


@never_cache
@require_safe
def result(request: HttpRequest, attempt_id) -> HttpResponse:
    key = player_key(request)
    found = attempt_and_answers(attempt_id, key) if key is not None else None
    if found is None:
        raise Http404
    attempt, answers = found
    if not attempt.is_finished:
        return redirect("play", attempt_id=attempt.id)
    content = version_content(attempt.version_id)
    score = attempt_score(content, answers)
    ending = content.step_by_id(attempt.current_step_id)
    # Read for this request: an edit of a type's name or advice shows at once, everywhere.
    types = flag_types(content.flag_codes) if content.flag_codes else {}
    return render(
        request,
        "play/result.html",
        {
            "attempt": attempt,
            "content": content,
            "ending": ending,
            "last_choice": _last_choice(content, attempt),
            "score": score,
            "scammed_ceiling": scoring.SCAMMED_CEILING,
            "debrief": build_debrief(content, answers, score, types),
            "aftercare": aftercare_for_attempt(content, answers, ending.ending, types),
            "story_map": story_map_html(content, answers, ending.id),
            "progress": Progress.of(attempt.position, 0),
            # A session's last scenario: the player's code, until they say they wrote it down.
            "return_code": finishing_panel(player_key=key, session_code=attempt.session_code),
        },
    )


def _last_choice(content: VersionContent, attempt: AttemptState) -> ChoiceView | None:
    """The choice just taken, to show its feedback."""
    if attempt.last_choice_id is None:
        return None
    return content.choice_by_id(attempt.last_choice_id)


def _int(value: str | None) -> int:
    """A posted number; anything else counts as -1, which matches nothing."""
    try:
        return int(value or "")
    except ValueError:
        return -1
