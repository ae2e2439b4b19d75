"""Workflows of a module run: start it, draw its check items, answer a check, play its
scenarios in order, and read where it stands and how it ended.

A run belongs to the browser that started it: every function takes the player's key and
treats someone else's run as one that does not exist. Every step is safe to repeat: a
double-clicked Start reuses the run it just made, a check posted twice is stored once,
and starting a scenario of the run twice gives the same attempt.
"""

import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scenarios.models import CheckItem
from trainer import scoring
from trainer.models import CheckAnswer, CheckPhase, ModuleRun
from trainer.run_progress import (
    CHECK_STAGE,
    CheckItemView,
    RunProgress,
    ScenarioStatus,
    Stage,
    check_items,
    module_run_progress,
)
from trainer.services import attempt_start

__all__ = [
    "CheckIncomplete",
    "CheckReview",
    "RunRefused",
    "RunResult",
    "check_answers_save",
    "check_items_draw",
    "check_size",
    "module_run_play",
    "module_run_progress",
    "module_run_result",
    "module_run_start",
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
    *, player_key: str, module_id: int, first_visit: bool, rng: random.Random | None = None
) -> uuid.UUID:
    """Begin a run of the module with freshly drawn check items, or reuse this player's run
    of it where nothing is answered yet (so a double-clicked Start makes one run)."""
    with transaction.atomic():
        if not first_visit:
            untouched = ModuleRun.objects.filter(
                player_key=player_key,
                module_id=module_id,
                finished_at__isnull=True,
                check_answers__isnull=True,
                attempts__isnull=True,
            ).values_list("id", flat=True)[:1]
            if untouched:
                return untouched[0]
        pool = CheckItem.objects.filter(module_id=module_id).order_by("id")
        before, after = check_items_draw(list(pool.values_list("id", "legitimate")), rng or _random)
        run = ModuleRun.objects.create(
            player_key=player_key, module_id=module_id, before_item_ids=before, after_item_ids=after
        )
        return run.id


def check_answers_save(
    *, run_id: uuid.UUID, player_key: str, phase: str, answers: Mapping[int, bool]
) -> bool:
    """Store the player's answers (item id -> called it a scam) to one check of their run.

    Returns False, changing nothing, when that check is answered already: a double click,
    the back button or a resent form counts once. Raises ModuleRun.DoesNotExist when the
    run is not this player's, CheckIncomplete naming the items left without an answer, and
    RunRefused when the check is not the run's next step or an answer is for another item.
    """
    progress = module_run_progress(run_id=run_id, player_key=player_key)
    if phase in progress.answered:
        return False
    if progress.stage != CHECK_STAGE[phase]:
        raise RunRefused(_refusal(progress, asked=CHECK_STAGE[phase]))
    item_ids = [item.id for item in check_items(progress)[phase]]
    if not set(answers) <= set(item_ids):
        raise RunRefused(_("An answer is for a message that is not part of this check."))
    missing = [item_id for item_id in item_ids if item_id not in answers]
    if missing:
        raise CheckIncomplete(missing)
    try:
        with transaction.atomic():
            CheckAnswer.objects.bulk_create(
                CheckAnswer(run_id=run_id, phase=phase, item_id=item_id, said_scam=answers[item_id])
                for item_id in item_ids
            )
    except IntegrityError:
        return False  # the same check, sent at the same moment, was stored first
    return True


def module_run_play(*, run_id: uuid.UUID, player_key: str, slug: str) -> uuid.UUID:
    """The attempt at one scenario of the run: the one already begun in the run, or a new
    one when the scenario is the run's next step. Raises RunRefused otherwise."""
    progress = module_run_progress(run_id=run_id, player_key=player_key)
    stage = next((s for s in progress.scenarios if s.slug == slug), None)
    if stage is None:
        raise RunRefused(_("This scenario is not part of the module."))
    if stage.attempt_id is not None:
        return stage.attempt_id
    if stage.status != ScenarioStatus.NEXT:
        raise RunRefused(_refusal(progress, asked=Stage.SCENARIOS))
    if stage.version_id is None:
        raise RunRefused(_("This scenario cannot be played at the moment. Try again later."))
    return attempt_start(
        player_key=player_key,
        scenario_id=stage.scenario_id,
        version_id=stage.version_id,
        first_visit=False,
        module_run_id=progress.run.id,
    )


@dataclass(frozen=True)
class CheckReview:
    item: CheckItemView
    said_scam: bool

    @property
    def correct(self) -> bool:
        return self.said_scam != self.item.legitimate


@dataclass(frozen=True)
class RunResult:
    progress: RunProgress
    before: scoring.Discernment | None  # None when the module has no check
    after: scoring.Discernment | None
    change: scoring.DiscernmentChange | None
    after_mistakes: tuple[CheckReview, ...]  # items of the after check answered wrongly
    best_d_prime: float | None = None  # d' of every answer right, on the after check
    # Every answer of both checks, by phase, in the order the items were shown.
    reviews: Mapping[str, tuple[CheckReview, ...]] = field(default_factory=dict)


def module_run_result(*, run_id: uuid.UUID, player_key: str) -> RunResult:
    """How the run went: the scenarios' scores, and discernment before and after.

    Marks the run finished the first time it is read. Raises RunRefused while a step of
    the run is still open."""
    progress = module_run_progress(run_id=run_id, player_key=player_key)
    if progress.stage != Stage.RESULT:
        raise RunRefused(_refusal(progress, asked=Stage.RESULT))
    if progress.run.finished_at is None:
        ModuleRun.objects.filter(pk=run_id, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    if not progress.has_check:
        return RunResult(progress, None, None, None, ())
    said = dict(CheckAnswer.objects.filter(run_id=run_id).values_list("item_id", "said_scam"))
    reviews = {
        phase: tuple(CheckReview(item, said[item.id]) for item in items if item.id in said)
        for phase, items in check_items(progress).items()
    }
    before = _discernment(reviews[CheckPhase.BEFORE])
    after = _discernment(reviews[CheckPhase.AFTER])
    # A short check caps d': the reader is told the most this one could show.
    flawless = [CheckReview(r.item, not r.item.legitimate) for r in reviews[CheckPhase.AFTER]]
    return RunResult(
        progress,
        before,
        after,
        scoring.discernment_change(before, after),
        tuple(review for review in reviews[CheckPhase.AFTER] if not review.correct),
        _discernment(flawless).d_prime,
        reviews,
    )


def _discernment(reviews: Sequence[CheckReview]) -> scoring.Discernment:
    scams = [r for r in reviews if not r.item.legitimate]
    genuine = [r for r in reviews if r.item.legitimate]
    hits = sum(r.said_scam for r in scams)
    false_alarms = sum(r.said_scam for r in genuine)
    return scoring.discernment(hits, len(scams) - hits, false_alarms, len(genuine) - false_alarms)


def _refusal(progress: RunProgress, *, asked: Stage) -> str:
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
