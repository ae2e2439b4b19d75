"""How a module run went: its scenarios' scores, and discernment before and after."""

import uuid
from collections import Counter
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
from trainer.sessions.check import CheckCounts, counts_of, outcome


@dataclass(frozen=True)
class CheckReview:
    item: CheckItemView
    said_scam: bool

    @property
    def correct(self) -> bool:
        return self.said_scam != self.item.legitimate


@dataclass(frozen=True)
class RunResult:
    """How the run went. A player's checks are shown as figures side by side: one short
    check cannot show a change in one person, so there is no reading (scoring rule 7)."""

    progress: RunProgress
    before: scoring.Discernment | None  # None when the module has no check
    after: scoring.Discernment | None
    after_mistakes: tuple[CheckReview, ...]  # items of the after check answered wrongly
    # Every answer of both checks, by phase, in the order the items were shown.
    reviews: Mapping[str, tuple[CheckReview, ...]] = field(default_factory=dict)

    @property
    def before_counts(self) -> CheckCounts | None:
        return _counts(self.reviews.get(CheckPhase.BEFORE))

    @property
    def after_counts(self) -> CheckCounts | None:
        return _counts(self.reviews.get(CheckPhase.AFTER))


def module_run_result(*, run_id: uuid.UUID, player_key: str) -> RunResult:
    """How the run went: the scenarios' scores, and discernment before and after.

    Marks the run finished the first time it is read. Raises RunRefused while a step of
    the run is still open."""
    progress = module_run_progress(run_id=run_id, player_key=player_key)
    if progress.stage != Stage.RESULT:
        raise RunRefused(refusal(progress, asked=Stage.RESULT))
    if progress.run.finished_at is None:
        now = timezone.now()
        ModuleRun.objects.filter(pk=run_id, finished_at__isnull=True).update(finished_at=now)
        progress.run.finished_at = now  # what the page reads of the run from here on
    if not progress.has_check:
        return RunResult(progress, None, None, ())
    said = dict(CheckAnswer.objects.filter(run_id=run_id).values_list("item_id", "said_scam"))
    reviews = {
        phase: tuple(CheckReview(item, said[item.id]) for item in items if item.id in said)
        for phase, items in check_items(progress).items()
    }
    return RunResult(
        progress,
        _counts(reviews[CheckPhase.BEFORE]).discernment(),
        _counts(reviews[CheckPhase.AFTER]).discernment(),
        tuple(review for review in reviews[CheckPhase.AFTER] if not review.correct),
        reviews,
    )


def _counts(reviews: Sequence[CheckReview] | None) -> CheckCounts | None:
    if reviews is None:
        return None
    return counts_of(Counter(outcome(r.said_scam, r.item.legitimate) for r in reviews))
