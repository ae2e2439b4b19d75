"""Where a module run stands, and its check items as the pages show them.

A run played in a facilitator's session plays the session's scenarios, on the versions the
session was made with, so the whole group plays the same text. Both are read in a fixed
number of queries, whatever the size of the module or its pool.
"""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from scenarios.models import (
    Channel,
    CheckItem,
    Module,
    ModuleScenario,
    Scenario,
    ScenarioVersion,
)
from trainer.models import (
    Attempt,
    CheckAnswer,
    CheckPhase,
    DrawnItem,
    ModuleRun,
    SessionScenario,
    TrainingSession,
)


class Stage(StrEnum):
    """What the run waits for next, in the order a run goes."""

    CHECK_BEFORE = "check_before"
    SCENARIOS = "scenarios"
    CHECK_AFTER = "check_after"
    RESULT = "result"


# The stage at which each check is open.
CHECK_STAGE = {CheckPhase.BEFORE: Stage.CHECK_BEFORE, CheckPhase.AFTER: Stage.CHECK_AFTER}


class ScenarioStatus(StrEnum):
    DONE = "done"  # finished in this run, with a score
    IN_PROGRESS = "in_progress"  # begun in this run, not finished
    NEXT = "next"  # the run's next step, not begun
    LATER = "later"  # a step before it is still open


@dataclass(frozen=True)
class ScenarioStage:
    slug: str
    language: str
    scenario_id: int
    version_id: int | None  # the published version a new attempt begins on
    title: str
    channel_label: str
    minutes: int
    status: ScenarioStatus
    attempt_id: uuid.UUID | None
    score: int | None


@dataclass(frozen=True)
class RunProgress:
    run: ModuleRun  # with its module, and `check_size`: the items drawn for each check
    scenarios: tuple[ScenarioStage, ...]
    answered: frozenset[str]  # the check phases answered

    @property
    def module(self) -> Module:
        return self.run.module

    @property
    def session(self) -> TrainingSession | None:
        """The facilitator's session the run is played in, if any."""
        return self.run.session

    @property
    def session_closed(self) -> bool:
        return self.run.session is not None and self.run.session.is_closed

    @property
    def has_check(self) -> bool:
        return self.check_size > 0

    @property
    def check_size(self) -> int:
        return self.run.check_size

    @property
    def stage(self) -> Stage:
        if self.run.finished_at is not None:
            return Stage.RESULT
        if self.has_check and CheckPhase.BEFORE not in self.answered:
            return Stage.CHECK_BEFORE
        if any(s.status != ScenarioStatus.DONE for s in self.scenarios):
            return Stage.SCENARIOS
        if self.has_check and CheckPhase.AFTER not in self.answered:
            return Stage.CHECK_AFTER
        return Stage.RESULT

    @property
    def scenarios_done(self) -> int:
        return sum(s.status == ScenarioStatus.DONE for s in self.scenarios)


def module_run_progress(*, run_id: uuid.UUID, player_key: str) -> RunProgress:
    """Where the player's run stands. Raises ModuleRun.DoesNotExist when it is not theirs."""
    run = _runs().filter(pk=run_id, player_key=player_key).first()
    if run is None:
        raise ModuleRun.DoesNotExist
    return _progress(run)


def session_run_progress(*, session_id: uuid.UUID, player_key: str) -> RunProgress | None:
    """Where the player's run of the session's module stands; None when they have none."""
    run = _runs().filter(session_id=session_id, player_key=player_key).first()
    return None if run is None else _progress(run)


def _runs():
    drawn_before = (
        DrawnItem.objects.filter(run=OuterRef("pk"), phase=CheckPhase.BEFORE)
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ModuleRun.objects.select_related("module", "session").annotate(
        check_size=Coalesce(Subquery(drawn_before), 0)
    )


def _scenarios_of(run: ModuleRun) -> list[tuple[Scenario, ScenarioVersion | None]]:
    """The run's scenarios in order, each with the version a new attempt begins on: the
    session's, on the versions it was made with, or else the module's, as published now."""
    if run.session_id is not None:
        entries = (
            SessionScenario.objects.filter(session_id=run.session_id)
            .select_related("scenario", "version")
            .order_by("number")
        )
        return [(entry.scenario, entry.version) for entry in entries]
    entries = (
        ModuleScenario.objects.filter(module_id=run.module_id)
        .select_related("scenario__current_version")
        .order_by("order")
    )
    return [(entry.scenario, entry.scenario.current_version) for entry in entries]


def _progress(run: ModuleRun) -> RunProgress:
    finished: dict[int, tuple[uuid.UUID, int | None]] = {}
    begun: dict[int, uuid.UUID] = {}
    attempts = Attempt.objects.filter(module_run_id=run.id).order_by("started_at")
    for attempt_id, scenario_id, finished_at, score in attempts.values_list(
        "id", "scenario_id", "finished_at", "score"
    ):
        if finished_at is None:
            begun[scenario_id] = attempt_id
        else:
            finished[scenario_id] = (attempt_id, score)
    answered = frozenset(
        CheckAnswer.objects.filter(run_id=run.id).order_by().values_list("phase", flat=True)
    )
    # Scenarios open one after another, once the check before them is answered.
    reachable = run.finished_at is None and (not run.check_size or CheckPhase.BEFORE in answered)
    stages = []
    for scenario, version in _scenarios_of(run):
        attempt_id, score = finished.get(scenario.id, (begun.get(scenario.id), None))
        if scenario.id in finished:
            status = ScenarioStatus.DONE
        elif reachable:
            status = ScenarioStatus.IN_PROGRESS if attempt_id else ScenarioStatus.NEXT
            reachable = False
        else:
            status = ScenarioStatus.LATER
        stages.append(
            ScenarioStage(
                slug=scenario.slug,
                language=scenario.language,
                scenario_id=scenario.id,
                version_id=version.id if version else None,
                title=version.title if version else scenario.slug,
                channel_label=Channel(version.channel).label if version else "",
                minutes=version.minutes if version else 0,
                status=status,
                attempt_id=attempt_id,
                score=score,
            )
        )
    return RunProgress(run, tuple(stages), answered)


@dataclass(frozen=True)
class CheckItemView:
    id: int
    number: int  # its place in its check, from 1
    total: int  # items in its check
    language: str  # the module's language, which the item is written in
    channel: str
    sender: str
    text: str
    legitimate: bool
    flag_code: str
    flag_name: str
    advice: str

    # The channel bar is drawn from these, as for a step of a scenario; a check item has no
    # subject line, so an e-mail among them shows none.
    sender_verified = False
    title = ""

    @property
    def sender_name(self) -> str:
        return self.sender

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label

    @property
    def label(self) -> str:
        """Names the item on the check page and in a message about it."""
        values = {
            "number": self.number,
            "total": self.total,
            "channel": self.channel_label,
            "sender": self.sender,
        }
        if self.sender:
            return _("Message %(number)s of %(total)s (%(channel)s, %(sender)s)") % values
        return _("Message %(number)s of %(total)s (%(channel)s)") % values


def check_items(progress: RunProgress) -> dict[str, tuple[CheckItemView, ...]]:
    """The items of the run's before and after checks, in the order drawn for the run.

    An item retired from the module's pool since the run began is still the run's."""
    items: dict[str, list[CheckItem]] = {CheckPhase.BEFORE: [], CheckPhase.AFTER: []}
    if progress.has_check:
        drawn = DrawnItem.objects.filter(run_id=progress.run.id).order_by("phase", "order")
        for row in drawn.select_related("item__flag"):
            items[row.phase].append(row.item)
    language = progress.module.language
    return {phase: check_item_views(rows, language) for phase, rows in items.items()}


def check_item_views(items: list[CheckItem], language: str) -> tuple[CheckItemView, ...]:
    """Check items (with their red-flag types) as one page shows them, numbered from 1."""
    return tuple(
        CheckItemView(
            id=item.id,
            number=number,
            total=len(items),
            language=language,
            channel=item.channel,
            sender=item.sender,
            text=item.text,
            legitimate=item.legitimate,
            flag_code=item.flag.code if item.flag else "",
            flag_name=item.flag.name_in(language) if item.flag else "",
            advice=item.flag.advice_in(language) if item.flag else "",
        )
        for number, item in enumerate(items, start=1)
    )
