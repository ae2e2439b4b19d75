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
from django.utils.translation import gettext as _

from scenarios.models import CheckItem
from trainer.models import CheckAnswer, CheckPhase, DrawnItem, ModuleRun, TrainingSession
from trainer.play.services import SessionClosed, attempt_start, session_attempt_begin
from trainer.records import services as records
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
    "check_items_draw",
    "check_size",
    "drawn_items_save",
    "module_run_play",
    "module_run_new",
    "module_run_progress",
    "module_run_start",
    "refusal",
    "run_attempt",
]

# Not a secret: a system source only spares a seed that repeats between workers.
_random = random.SystemRandom()

# Items in each check at most: enough for a rough d', while a pool of 20 keeps 4 new items
# for a booster after the run.
CHECK_SIZE_MAX = 8


class RunRefused(Exception):
    """The step asked for does not fit where the run stands; nothing was stored."""


class CheckIncomplete(RunRefused):
    """Some items of the check have no answer; nothing was stored."""

    def __init__(self, missing_ids: Sequence[int]):
        super().__init__(_("Some messages have no answer."))
        self.missing_ids = tuple(missing_ids)


def check_size(pool_size: int) -> int:
    """How many items each check of a run takes from a pool of this size."""
    return min(pool_size // 2, CHECK_SIZE_MAX)


def check_items_draw(
    pool: Sequence[tuple[int, bool]], rng: random.Random
) -> tuple[list[int], list[int]]:
    """Draw the before and after items from a pool of (item id, legitimate).

    Two disjoint lists of equal size (half the pool, rounded down, and at most
    CHECK_SIZE_MAX), in random order. Each holds as many scams as genuine items when the
    pool allows it; otherwise the scarcer kind is shared out between the two lists as
    evenly as it goes. What is left of a large pool is new to the player: a booster asks it.
    """
    scams = [item_id for item_id, legitimate in pool if not legitimate]
    genuine = [item_id for item_id, legitimate in pool if legitimate]
    rng.shuffle(scams)
    rng.shuffle(genuine)
    size = check_size(len(pool))
    # Scams in both lists together: half of all the items drawn, unless there are too few
    # scams, or too few genuine items to fill the rest.
    scam_total = min(max(size, 2 * size - len(genuine)), len(scams))
    before_scams = scam_total // 2 + (rng.randrange(2) if scam_total % 2 else 0)
    before_genuine = size - before_scams
    after_genuine = size - (scam_total - before_scams)
    before = scams[:before_scams] + genuine[:before_genuine]
    after = (
        scams[before_scams:scam_total] + genuine[before_genuine : before_genuine + after_genuine]
    )
    rng.shuffle(before)
    rng.shuffle(after)
    return before, after


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
    pool = CheckItem.objects.in_pool().filter(module_id=module_id).order_by("id")
    before, after = check_items_draw(list(pool.values_list("id", "legitimate")), rng or _random)
    with transaction.atomic(savepoint=False):  # within the caller's transaction, if any
        run = ModuleRun.objects.create(
            player_key=player_key, module_id=module_id, session_id=session_id
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
