"""Workflows of a module run: start it, draw its check items, answer a check, play its
scenarios in order (where it stands: trainer.runs.progress; how it ended:
trainer.runs.result). The same workflows serve a
run played alone and one played in a facilitator's session (ModuleRun.session): the latter's
attempts belong to the session too, and once the session is closed it takes no more answers.

A run belongs to the browser that started it: every function takes the player's key and
treats someone else's run as one that does not exist. Every step is safe to repeat: the
Start form is acted on once (trainer.web.once, in the view), a check posted twice is
stored once, and starting a scenario of the run twice, even at the same moment, gives
the same attempt.
"""

import random
import uuid
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from scenarios.check_pool import PoolEntry, check_plan
from scenarios.models import CheckItem, Module
from trainer.models import CheckAnswer, CheckPhase, DrawnItem, ModuleRun, TrainingSession
from trainer.play.services import SessionClosed, attempt_start, session_attempt_begin
from trainer.records import services as records
from trainer.runs.draw import before_form_for, checks_draw
from trainer.runs.progress import (
    CHECK_STAGE,
    RunProgress,
    ScenarioStage,
    ScenarioStatus,
    Stage,
    check_items,
    module_run_progress,
)
from trainer.web.once import act_once

__all__ = [
    "CheckIncomplete",
    "RunRefused",
    "check_answers_save",
    "check_size",
    "drawn_items_save",
    "module_run_play",
    "module_run_new",
    "module_run_progress",
    "module_run_start",
    "pool_entries",
    "refusal",
    "run_attempt",
]

# Not a secret: a system source only spares a seed that repeats between workers.
_random = random.SystemRandom()


class RunRefused(Exception):
    """The step asked for does not fit where the run stands; nothing was stored."""


class CheckIncomplete(RunRefused):
    """Some items of the check have no answer; nothing was stored."""

    def __init__(self, missing_ids: Sequence[int]):
        super().__init__(_("Some messages have no answer."))
        self.missing_ids = tuple(missing_ids)


def pool_entries(module_id: int, seen_keys: set[str] = frozenset()) -> list[PoolEntry]:
    """The module's pool as the draw reads it, in the pool's order: one query."""
    rows = (
        CheckItem.objects.in_pool()
        .filter(module_id=module_id)
        .order_by("order", "id")
        .values_list("id", "legitimate", "form", "key")
    )
    return [PoolEntry(i, legitimate, form, key in seen_keys) for i, legitimate, form, key in rows]


def check_size(module: Module) -> int:
    """How many items each check of a new run of the module asks (0: no check)."""
    return check_plan(pool_entries(module.id), module.check_size).size


def module_run_start(
    *, player_key: str, module_id: int, rng: random.Random | None = None
) -> uuid.UUID:
    """Begin a run of the module, played alone, with freshly drawn check items. A repeated
    Start is answered by the first (the view goes through trainer.web.once)."""
    return module_run_new(player_key=player_key, module_id=module_id, rng=rng).id


def module_run_new(
    *,
    player_key: str,
    module_id: int,
    session_id: uuid.UUID | None = None,
    rng: random.Random | None = None,
) -> ModuleRun:
    """A new run of the module, alone or in a session, with its check items drawn now."""
    # Earlier runs of the module by this player, in any language, and the keys of the
    # items they drew (the same key is the same item in translation): one query.
    slug = Module.objects.filter(pk=module_id).values("slug")
    earlier = ModuleRun.objects.filter(player_key=player_key, module__slug=Subquery(slug))
    drawn_keys = list(earlier.values_list("drawn_items__item__key", flat=True))
    seen = {key for key in drawn_keys if key}
    # The pool, with the module's check size and the number of runs begun before this one
    # (in the session, or alone): one query. Which form comes first alternates by that
    # number, so the forms are swapped between halves of a group.
    if session_id is not None:
        runs_before = ModuleRun.objects.filter(session_id=session_id)
    else:
        runs_before = ModuleRun.objects.filter(module_id=module_id, session=None)
    counted = runs_before.order_by().values("module").annotate(n=Count("pk")).values("n")
    rows = list(
        CheckItem.objects.in_pool()
        .filter(module_id=module_id)
        .order_by("order", "id")
        .values_list("id", "legitimate", "form", "key", "module__check_size")
        .annotate(runs_before=Coalesce(Subquery(counted[:1]), 0))
    )
    pool = [PoolEntry(i, legit, form, key in seen) for i, legit, form, key, _size, _n in rows]
    before, after, before_form = [], [], ""
    if rows:
        check_size, runs_before_count = rows[0][4], rows[0][5]
        before_form = before_form_for(runs_before_count)
        before, after = checks_draw(
            pool, check_size=check_size, before_form=before_form, rng=rng or _random
        )
    with transaction.atomic(savepoint=False):  # within the caller's transaction, if any
        run = ModuleRun.objects.create(
            player_key=player_key,
            module_id=module_id,
            session_id=session_id,
            replay=bool(drawn_keys),
            before_form=before_form if before else "",
        )
        drawn_items_save(run=run, before=before, after=after)
    return run


def drawn_items_save(*, run: ModuleRun, before: Sequence[int], after: Sequence[int]) -> None:
    """Keep the items drawn for the run's two checks, each in the order it shows them."""
    DrawnItem.objects.bulk_create(
        DrawnItem(run=run, phase=phase, order=order, item_id=item_id)
        for phase, ids in ((CheckPhase.BEFORE, before), (CheckPhase.AFTER, after))
        for order, item_id in enumerate(ids)
    )


def check_answers_save(
    *, run_id: uuid.UUID, player_key: str, phase: str, answers: Mapping[int, bool]
) -> bool:
    """Store the player's answers (item id -> called it a scam) to one check of their run.

    Returns False, changing nothing, when that check is answered already: a double click,
    the back button or a resent form counts once. Raises ModuleRun.DoesNotExist when the
    run is not this player's, SessionClosed when its session is closed, CheckIncomplete
    naming the items left without an answer, and RunRefused when the check is not the
    run's next step or an answer is for another item.
    """
    progress = module_run_progress(run_id=run_id, player_key=player_key)
    if phase in progress.answered:
        return False
    if progress.session_closed:
        raise SessionClosed(progress.session.code)
    if progress.stage != CHECK_STAGE[phase]:
        raise RunRefused(refusal(progress, asked=CHECK_STAGE[phase]))
    item_ids = [item.id for item in check_items(progress)[phase]]
    if not set(answers) <= set(item_ids):
        raise RunRefused(_("An answer is for a message that is not part of this check."))
    missing = [item_id for item_id in item_ids if item_id not in answers]
    if missing:
        raise CheckIncomplete(missing)
    try:
        with transaction.atomic():
            if progress.session is not None:
                _session_still_open(progress.session)
            CheckAnswer.objects.bulk_create(
                CheckAnswer(run_id=run_id, phase=phase, item_id=item_id, said_scam=answers[item_id])
                for item_id in item_ids
            )
            if progress.session is not None:
                _records_of_check(progress, phase, answers, player_key)
    except IntegrityError:
        return False  # the same check, sent at the same moment, was stored first
    return True


def _records_of_check(
    progress: RunProgress, phase: str, answers: Mapping[int, bool], player_key: str
) -> None:
    """The check as learning records for the session's organisation, if it keeps them
    (trainer.records); the check after the scenarios finishes the module."""
    from trainer.certificates.services import run_score  # it reads runs.progress too

    records.check_answered(
        session_id=progress.session.id,
        player_key=player_key,
        phase=phase,
        items=lambda: check_items(progress)[phase],
        answers=answers,
        finishes_run=phase == CheckPhase.AFTER,
        run_score=lambda: run_score(progress),
    )


def _session_still_open(session: TrainingSession) -> None:
    """Raise SessionClosed if the session has been closed since the run was read.

    The session's row stays locked until the answers are stored (on databases that lock
    rows), so a close cannot land in between: the answers come before it, or not at all."""
    still_open = TrainingSession.objects.select_for_update().filter(
        pk=session.pk, closed_at__isnull=True
    )
    if not still_open.exists():
        raise SessionClosed(session.code)


def module_run_play(*, run_id: uuid.UUID, player_key: str, slug: str) -> uuid.UUID:
    """The attempt at one scenario of the run: the one already begun in the run, or a new
    one when the scenario is the run's next step. Raises RunRefused otherwise, and
    SessionClosed for a new attempt in a closed session."""
    progress = module_run_progress(run_id=run_id, player_key=player_key)
    stage = next((s for s in progress.scenarios if s.slug == slug), None)
    if stage is None:
        raise RunRefused(_("This scenario is not part of the module."))
    return run_attempt(progress, stage)


def run_attempt(progress: RunProgress, stage: ScenarioStage) -> uuid.UUID:
    """The run's attempt at the scenario of `stage`, begun now if the run is there."""
    if stage.attempt_id is not None:
        return stage.attempt_id
    if progress.session_closed:
        raise SessionClosed(progress.session.code)
    if stage.status != ScenarioStatus.NEXT:
        raise RunRefused(refusal(progress, asked=Stage.SCENARIOS))
    if stage.version_id is None:
        raise RunRefused(_("This scenario cannot be played at the moment. Try again later."))
    if progress.session is not None:
        return session_attempt_begin(
            session_id=progress.session.id,
            player_key=progress.run.player_key,
            scenario_id=stage.scenario_id,
            version_id=stage.version_id,
            module_run_id=progress.run.id,
        )
    # A run plays each of its scenarios once: two Starts at the same moment, which both
    # found no attempt yet, get one between them.
    attempt_id = act_once(
        f"run-attempt:{progress.run.id}:{stage.scenario_id}",
        lambda: attempt_start(
            player_key=progress.run.player_key,
            scenario_id=stage.scenario_id,
            version_id=stage.version_id,
            module_run_id=progress.run.id,
        ),
    )
    return uuid.UUID(attempt_id)


def refusal(progress: RunProgress, *, asked: Stage) -> str:
    """Why the step asked for is not open: what the run waits for first."""
    if progress.stage == Stage.CHECK_BEFORE:
        return _("Answer the first check before you play the scenarios.")
    if progress.stage == Stage.SCENARIOS:
        if asked == Stage.SCENARIOS:
            return _("Play the scenarios in order: finish the one before this first.")
        return _("Play every scenario of the module before the last check.")
    if progress.stage == Stage.CHECK_AFTER:
        return _("Answer the last check to see your result.")
    return _("This part of the module is done already.")
