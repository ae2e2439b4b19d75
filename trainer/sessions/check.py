"""The group's discernment on a module's check, before the scenarios and after them.

Read from the CheckAnswer rows of the module runs played in the session (ModuleRun.session).
Only players who answered in both phases are counted, so the two figures describe the same
people. Their answers are pooled into one set of counts per phase and read with
trainer.scoring's discernment (d′ and c) and discernment_change (the plain reading).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from trainer import scoring
from trainer.models import CheckAnswer, CheckPhase, TrainingSession


@dataclass(frozen=True)
class CheckReport:
    players: int  # whose run has answers in both phases: only they are counted
    before: scoring.Discernment
    after: scoring.Discernment
    change: scoring.DiscernmentChange
    before_answers: int
    after_answers: int


def session_check(session: TrainingSession) -> CheckReport | None:
    """The group's check before and after, or None while no player has answered both."""
    phases_of_run: dict = defaultdict(
        lambda: {CheckPhase.BEFORE: Counter(), CheckPhase.AFTER: Counter()}
    )
    for run_id, phase, said_scam, legitimate in CheckAnswer.objects.filter(
        run__session=session
    ).values_list("run_id", "phase", "said_scam", "item__legitimate"):
        phases_of_run[run_id][phase][_outcome(said_scam, legitimate)] += 1
    paired = [phases for phases in phases_of_run.values() if all(phases[p].total() for p in phases)]
    if not paired:
        return None
    before = sum((phases[CheckPhase.BEFORE] for phases in paired), Counter())
    after = sum((phases[CheckPhase.AFTER] for phases in paired), Counter())
    before_discernment, after_discernment = _discernment(before), _discernment(after)
    return CheckReport(
        players=len(paired),
        before=before_discernment,
        after=after_discernment,
        change=scoring.discernment_change(before_discernment, after_discernment),
        before_answers=before.total(),
        after_answers=after.total(),
    )


def _outcome(said_scam: bool, legitimate: bool) -> str:
    if legitimate:
        return "false_alarms" if said_scam else "correct_rejections"
    return "hits" if said_scam else "misses"


def _discernment(counts: Counter) -> scoring.Discernment:
    return scoring.discernment(
        counts["hits"], counts["misses"], counts["false_alarms"], counts["correct_rejections"]
    )


@dataclass(frozen=True)
class PlayerCheck:
    """One player's answers on the module's check: right out of answered, per phase (None
    for a phase not answered)."""

    before: tuple[int, int] | None
    after: tuple[int, int] | None


def player_checks(session: TrainingSession) -> dict[str, PlayerCheck]:
    """Per player key with a module run in the session: their check before and after. One
    query."""
    tally: dict = defaultdict(lambda: {CheckPhase.BEFORE: [0, 0], CheckPhase.AFTER: [0, 0]})
    for key, phase, said_scam, legitimate in CheckAnswer.objects.filter(
        run__session=session
    ).values_list("run__player_key", "phase", "said_scam", "item__legitimate"):
        tally[key][phase][0] += said_scam != legitimate
        tally[key][phase][1] += 1
    return {
        key: PlayerCheck(
            tuple(phases[CheckPhase.BEFORE]) if phases[CheckPhase.BEFORE][1] else None,
            tuple(phases[CheckPhase.AFTER]) if phases[CheckPhase.AFTER][1] else None,
        )
        for key, phases in tally.items()
    }
