"""Queue a session player's progress as xAPI statements for the organisation's learning
record store, in the caller's transaction: the statement is stored with the answer it
tells of, or not at all. Nothing here talks to the store (trainer.records.sender does,
from `manage.py send_statements`), so a slow or absent store never slows a player.

Each function first asks the database, in one query, whether the session's organisation
has an active store; without one it writes nothing. Attempts played outside a session send
nothing.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from scenarios.content import StepView, VersionContent, version_content
from trainer import scoring
from trainer.models import QueuedStatement, TrainingSession
from trainer.records import statements as xapi

# The pass mark of a scenario played outside a module: a module's own when none is set.
SCENARIO_PASS_MARK = 70


def _where(session_filter: Q, player_key: str) -> tuple[int, xapi.Where] | None:
    """The session's store and what every statement of the player in it shares; None when
    its organisation sends no records."""
    row = (
        TrainingSession.objects.filter(session_filter, organisation__record_store__active=True)
        .values_list(
            "id",
            "title",
            "language",
            "organisation__record_store__id",
            "module__slug",
            "module__language",
            "module__title",
            "module__pass_mark",
        )
        .first()
    )
    if row is None:
        return None
    session_id, title, language, store_id, slug, module_language, module_title, mark = row
    module = slug and xapi.ModuleRef(slug, module_language, module_title, mark)
    where = xapi.Where(
        site=settings.SITE_URL,
        session_id=session_id,
        session_title=title,
        language=language,
        actor_name=xapi.actor_name(session_id, player_key),
        module=module or None,
    )
    return store_id, where


def _queue(store_id: int, where: xapi.Where, made: Iterable[dict]) -> None:
    now = timezone.now()
    QueuedStatement.objects.bulk_create(
        QueuedStatement(
            statement_id=uuid.UUID(statement["id"]),
            store_id=store_id,
            session_id=where.session_id,
            statement=statement,
            next_try_at=now,
        )
        for statement in made
    )


def module_launched(*, session_id: uuid.UUID, player_key: str) -> None:
    """A player joined a module's session: their run of the module begins."""
    found = _where(Q(pk=session_id), player_key)
    if found is None or found[1].module is None:
        return
    store_id, where = found
    at = timezone.now()
    _queue(store_id, where, [xapi.statement(where, "launched", xapi.module_activity(where), at)])


def scenario_launched(*, session_id: uuid.UUID, player_key: str, version_id: int) -> None:
    """A player began a scenario of the session."""
    found = _where(Q(pk=session_id), player_key)
    if found is None:
        return
    store_id, where = found
    content = version_content(version_id)
    parent = xapi.module_activity(where) if where.module else None
    activity = xapi.scenario_activity(where, content)
    _queue(
        store_id,
        where,
        [xapi.statement(where, "launched", activity, timezone.now(), parent=parent)],
    )


def step_answered(
    *,
    session_code: str,
    player_key: str,
    content: VersionContent,
    step: StepView,
    choice_id: int,
    marked: set[int],
    ending: StepView | None,
    score: int | None,
    marked_parts: set[int] = frozenset(),
) -> xapi.Where | None:
    """A step answered: what was marked and chosen; when the choice led to an ending, the
    scenario completed and passed or failed with its score. Returns where the statements
    went (None when nowhere), so the caller can tell the end of a module too."""
    found = _where(Q(code=session_code), player_key)
    if found is None:
        return None
    store_id, where = found
    at = timezone.now()
    scenario = xapi.scenario_activity(where, content)
    choice = step.choice(choice_id)
    result = {
        "response": f"choice-{choice.id}",
        "success": choice.verdict == "safe",
        "extensions": {
            xapi.extension(where, "red-flags"): xapi.marks_extension(step, marked, marked_parts),
            xapi.extension(where, "verdict"): choice.verdict,
        },
    }
    made = [
        xapi.statement(
            where,
            "answered",
            xapi.step_activity(where, content, step),
            at,
            result=result,
            parent=scenario,
        )
    ]
    if ending is not None and score is not None:
        mark = where.module.pass_mark if where.module else SCENARIO_PASS_MARK
        passed = scoring.module_passed(score, mark)
        finished = xapi.score_result(
            score, passed, **{xapi.extension(where, "ending"): ending.ending}
        )
        parent = xapi.module_activity(where) if where.module else None
        for verb in ("completed", "passed" if passed else "failed"):
            made.append(xapi.statement(where, verb, scenario, at, result=finished, parent=parent))
    _queue(store_id, where, made)
    return where


def check_answered(
    *,
    session_id: uuid.UUID,
    player_key: str,
    phase: str,
    items: Callable[[], Iterable],
    answers: Mapping[int, bool],
    finishes_run: bool,
    run_score: Callable[[], int | None],
) -> None:
    """A module's check answered: each item, with whether it was called a scam; the check
    after the scenarios finishes the module (`items` and `run_score` are asked only when
    the organisation keeps records)."""
    found = _where(Q(pk=session_id), player_key)
    if found is None or found[1].module is None:
        return
    store_id, where = found
    at, module = timezone.now(), xapi.module_activity(where)
    phase_extension = {xapi.extension(where, "check-phase"): phase}
    made = []
    for item in items():
        said_scam = answers[item.id]
        result = {
            "response": "scam" if said_scam else "genuine",
            "success": said_scam != item.legitimate,
            "extensions": {xapi.extension(where, "red-flag"): item.flag_code or None},
        }
        made.append(
            xapi.statement(
                where,
                "answered",
                xapi.check_item_activity(where, item),
                at,
                result=result,
                parent=module,
                context_extensions=phase_extension,
            )
        )
    score = run_score() if finishes_run else None
    if score is not None:
        made += _module_finish(where, score, at)
    _queue(store_id, where, made)


def module_finished(*, session_id: uuid.UUID, player_key: str, score: int | None) -> None:
    """The player's run of the module is done (its last scenario, or its check after): the
    module completed and passed or failed with its score (scoring rule 8)."""
    found = _where(Q(pk=session_id), player_key)
    if found is None or found[1].module is None or score is None:
        return
    store_id, where = found
    _queue(store_id, where, _module_finish(where, score, timezone.now()))


def _module_finish(where: xapi.Where, score: int, at) -> list[dict]:
    passed = scoring.module_passed(score, where.module.pass_mark)
    result = xapi.score_result(score, passed)
    module = xapi.module_activity(where)
    return [
        xapi.statement(where, verb, module, at, result=result)
        for verb in ("completed", "passed" if passed else "failed")
    ]


def statements_summary(session: TrainingSession) -> dict[str, int | str]:
    """How the session's statements stand, for its page: sent, waiting for their first
    try, failed (and tried again later), and the last error a store gave."""
    counts = QueuedStatement.objects.filter(session=session).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(sent_at__isnull=False)),
        waiting=Count("id", filter=Q(sent_at__isnull=True, tries=0)),
        failed=Count("id", filter=Q(sent_at__isnull=True, tries__gt=0)),
    )
    return counts


def scenario_of_run_finished(*, session_id: uuid.UUID, run_id: uuid.UUID, player_key: str) -> None:
    """A scenario of a module's run ended: in a module without a check that was the run's
    last step, and the module is finished too (with one, its check after finishes it)."""
    from trainer.certificates.services import run_score
    from trainer.runs.progress import Stage, module_run_progress

    progress = module_run_progress(run_id=run_id, player_key=player_key)
    if progress.has_check or progress.stage != Stage.RESULT:
        return
    module_finished(session_id=session_id, player_key=player_key, score=run_score(progress))
