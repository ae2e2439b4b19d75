"""A module's pages: its start page, the run's way through it, the two checks, the result.

Plain forms and redirects, as the play pages: JavaScript only improves them. A run
belongs to the browser that started it; any other browser gets 404.
"""

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from scenarios.models import Audience, Module, ModuleScenario
from trainer.certificates.services import (
    certificate_of_run,
    certificate_refusal,
    run_played_alone,
    run_score,
)
from trainer.models import CheckPhase, ModuleRun
from trainer.play.services import SessionClosed
from trainer.runs.booster import booster_for_run, booster_token
from trainer.runs.check_form import CheckForm
from trainer.runs.progress import CHECK_STAGE, CheckItemView, RunProgress, check_items
from trainer.runs.result import module_run_result
from trainer.runs.services import (
    CheckIncomplete,
    RunRefused,
    check_answers_save,
    check_size,
    module_run_play,
    module_run_progress,
    module_run_start,
)
from trainer.sessions.return_codes import finishing_panel, return_code_after_finish
from trainer.web.once import act_once, form_key
from trainer.web.player import new_player_key, player_key, remember_player, with_player_key

# An id of at most 18 digits: a longer one names no item, and is no answer.
_ANSWER_FIELD = re.compile(r"item-(\d{1,18})")
_ANSWER_VALUES = ("scam", "genuine")


@never_cache
@require_http_methods(["GET", "POST"])
def module_start(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    module = get_object_or_404(Module.objects.published(), slug=slug, language=language)
    key = player_key(request)
    if request.method == "POST":
        new_key = key or new_player_key()
        # Every copy of the form (a double click, a resend) gets the first one's run.
        run_id = act_once(
            form_key(request, "module-start", key, module.id),
            lambda: module_run_start(player_key=new_key, module_id=module.id),
        )
        response = see_other("module_run", run_id=run_id)
        if key is None:
            remember_player(response, new_key)
        return response
    entries = (
        ModuleScenario.objects.filter(module=module)
        .select_related("scenario__current_version")
        .order_by("order")
    )
    in_progress = None
    if key is not None:
        in_progress = ModuleRun.objects.filter(
            player_key=key, module=module, session=None, finished_at__isnull=True
        ).first()
    page = render(
        request,
        "runs/module_start.html",
        {
            "module": module,
            "versions": [entry.scenario.current_version for entry in entries],
            "check_size": check_size(module),
            "in_progress": in_progress,
        },
    )
    return with_player_key(request, page)


@never_cache
@require_safe
def module_run(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    progress = own_progress(request, run_id)
    if progress.session is not None:
        # A session's run is followed from the session's page, with the session's buttons.
        return redirect("join_session", code=progress.session.code)
    return render(request, "runs/module_run.html", {"progress": progress})


@dataclass(frozen=True)
class _CheckRow:
    item: CheckItemView
    chosen: str  # "scam", "genuine" or "" as last posted
    missing: bool


@never_cache
@require_http_methods(["GET", "POST"])
def module_check(request: HttpRequest, run_id: uuid.UUID, phase: str) -> HttpResponse:
    """All the messages of one check on one page, each with "Scam" / "Not a scam".

    A refused form comes back by redirect (so reload and back never resend it), with the
    answers given in the address, under the form's own field names, and `refused` set."""
    if phase not in CheckPhase.values:
        raise Http404
    if request.method == "POST":
        return _check_answer(request, run_id, phase)
    progress = own_progress(request, run_id)
    if progress.stage != CHECK_STAGE[phase] or progress.session_closed:
        # Answered already, not open yet, or closed with its session: the run's page shows
        # what comes next.
        return redirect(run_page(progress))
    kept = answers_in(request.GET)
    refused = "refused" in request.GET
    items = check_items(progress)[phase]
    rows = [
        _CheckRow(item, kept.get(item.id, ""), refused and item.id not in kept) for item in items
    ]
    form = CheckForm(items, kept, refused=refused, submit=_("Send my answers"))
    return render(
        request,
        "runs/module_check.html",
        {
            "progress": progress,
            "phase": phase,
            "form": form,
            "missing": [row for row in rows if row.missing],
        },
    )


def _check_answer(request: HttpRequest, run_id: uuid.UUID, phase: str) -> HttpResponse:
    key = key_or_404(request)
    answers = answers_in(request.POST)
    try:
        check_answers_save(
            run_id=run_id,
            player_key=key,
            phase=phase,
            answers={item_id: value == "scam" for item_id, value in answers.items()},
        )
    except ModuleRun.DoesNotExist:
        raise Http404 from None
    except SessionClosed as closed:
        return session_closed(request, closed)
    except CheckIncomplete:
        kept = {f"item-{item_id}": value for item_id, value in answers.items()}
        url = reverse("module_check", args=[run_id, phase])
        response = HttpResponseRedirect(f"{url}?{urlencode({**kept, 'refused': '1'})}")
        response.status_code = 303
        return response
    except RunRefused as refused:
        messages.error(request, str(refused))
        return see_other("module_run", run_id=run_id)
    if phase == CheckPhase.AFTER:
        # The check after the scenarios ends a module's session: the player's return code
        # is made here, in a POST (a run played alone has none); the session's page shows it.
        return_code_after_finish(player_key=key, run_id=run_id)
        return see_other("module_result", run_id=run_id)
    return see_other("module_run", run_id=run_id)


def answers_in(data: QueryDict) -> dict[int, str]:
    """The answers in a check form (or a booster's): item id -> "scam" or "genuine";
    anything else is no answer."""
    return {
        int(match[1]): data[name]
        for name in data
        if (match := _ANSWER_FIELD.fullmatch(name)) and data[name] in _ANSWER_VALUES
    }


@require_POST
def module_play(request: HttpRequest, run_id: uuid.UUID, slug: str) -> HttpResponse:
    """Start (or go back to) a scenario of the run; its attempt belongs to the run."""
    key = key_or_404(request)
    try:
        attempt_id = module_run_play(run_id=run_id, player_key=key, slug=slug)
    except ModuleRun.DoesNotExist:
        raise Http404 from None
    except SessionClosed as closed:
        return session_closed(request, closed)
    except RunRefused as refused:
        messages.error(request, str(refused))
        return see_other("module_run", run_id=run_id)
    return see_other("play", attempt_id=attempt_id)


@never_cache
@require_safe
def module_result(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    key = key_or_404(request)
    try:
        result = module_run_result(run_id=run_id, player_key=key)
    except ModuleRun.DoesNotExist:
        raise Http404 from None
    except RunRefused as refused:
        messages.info(request, str(refused))
        return redirect("module_run", run_id=run_id)
    progress = result.progress
    score = run_score(progress)
    booster = booster_for_run(result) if run_played_alone(progress.run) else None
    return render(
        request,
        "runs/module_result.html",
        {
            "result": result,
            "progress": progress,
            "module": progress.module,
            "session": progress.session,
            "score": score,
            "refusal": certificate_refusal(progress),
            "certificate": certificate_of_run(run_id),
            # The player's return code, until they say they wrote it down.
            "return_code": finishing_panel(
                player_key=key, session_code=progress.session and progress.session.code
            ),
            "booster_url": booster
            and request.build_absolute_uri(reverse("booster", args=[booster_token(booster)])),
        },
    )


def key_or_404(request: HttpRequest) -> str:
    key = player_key(request)
    if key is None:
        raise Http404
    return key


def own_progress(request: HttpRequest, run_id: uuid.UUID) -> RunProgress:
    """Where the run stands, if it belongs to this browser; anyone else gets 404."""
    try:
        return module_run_progress(run_id=run_id, player_key=key_or_404(request))
    except ModuleRun.DoesNotExist:
        raise Http404 from None


def run_page(progress: RunProgress) -> str:
    """Where the player follows the run: its session's page, or the run's own."""
    if progress.session is not None:
        return reverse("join_session", args=[progress.session.code])
    return reverse("module_run", args=[progress.run.id])


def session_closed(request: HttpRequest, closed: SessionClosed) -> HttpResponse:
    """Back to the closed session's page, which says what is kept, with why nothing was."""
    messages.error(request, str(closed))
    return see_other("join_session", code=closed.code)


def see_other(name: str, **kwargs) -> HttpResponse:
    response = redirect(name, **kwargs)
    response.status_code = 303
    return response


@dataclass(frozen=True)
class AudienceModules:
    audience: str
    label: str
    modules: list[Module]


def catalogue_modules(language: str | None) -> list[AudienceModules]:
    """The published modules in the page's language, for the catalogue: grouped by whom
    they are for, in the order of `Audience` (pupils, work, families, everyone)."""
    modules = (
        Module.objects.published()
        .filter(language=language or settings.LANGUAGE_CODE)
        .order_by("title", "slug")
    )
    by_audience: dict[str, list[Module]] = {}
    for module in modules:
        by_audience.setdefault(module.audience, []).append(module)
    return [
        AudienceModules(audience, label, by_audience[audience])
        for audience, label in Audience.choices
        if audience in by_audience
    ]
