"""How a module run went: its scenarios' scores, and discernment before and after."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from trainer import scoring
from trainer.models import CheckAnswer, CheckPhase, ModuleRun
from trainer.runs.progress import (
    CheckItemView,
    RunProgress,
    Stage,
    check_items,
    module_run_progress,
)
from trainer.runs.services import RunRefused, refusal


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
        raise RunRefused(refusal(progress, asked=Stage.RESULT))
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
