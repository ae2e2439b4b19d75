"""The group's discernment on a module's check, before the scenarios and after them.

Read from the CheckAnswer rows of the module runs played in the session (ModuleRun.session).
Only players who answered in both phases are counted, so the two figures describe the same
people. Each player's answers give their own d′ and c (trainer.scoring rule 6), and the
group's change is read from those (rule 7): a mean with its 95 % interval, and a reading
only when the interval says so, from 10 players on. Each player's own figures (right
before and after, false alarms) are kept for their row of the report, with no reading, also
for a player who has answered one phase only.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from trainer import scoring
from trainer.models import CheckAnswer, CheckPhase, TrainingSession


@dataclass(frozen=True)
class CheckCounts:
    """One player's answers to one check."""

    hits: int = 0
    misses: int = 0
    false_alarms: int = 0
    correct_rejections: int = 0

    @property
    def right(self) -> int:
        return self.hits + self.correct_rejections

    @property
    def total(self) -> int:
        return self.hits + self.misses + self.false_alarms + self.correct_rejections

    @property
    def scams(self) -> int:
        return self.hits + self.misses

    @property
    def genuine(self) -> int:
        return self.false_alarms + self.correct_rejections

    def discernment(self) -> scoring.Discernment:
        return scoring.discernment(
            self.hits, self.misses, self.false_alarms, self.correct_rejections
        )


@dataclass(frozen=True)
class PlayerCheck:
    """One player's checks side by side: figures, never a reading (rule 7). A phase the
    player has not answered is None; only players with both enter the group's reading."""

    before: CheckCounts | None
    after: CheckCounts | None

    @property
    def both(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def items(self) -> int:
        """How many items each check had (both phases draw the module's check size)."""
        return (self.after or self.before).total


@dataclass(frozen=True)
class CheckReport:
    players: int  # whose run has answers in both phases: only they are counted
    group: scoring.GroupChange
    by_player: dict[str, PlayerCheck]  # player key -> their two checks
    before_answers: int
    after_answers: int

    @property
    def change(self) -> scoring.DiscernmentChange:
        return self.group.reading


def counts_of(outcomes: Counter) -> CheckCounts:
    return CheckCounts(
        outcomes["hits"],
        outcomes["misses"],
        outcomes["false_alarms"],
        outcomes["correct_rejections"],
    )


def outcome(said_scam: bool, legitimate: bool) -> str:
    if legitimate:
        return "false_alarms" if said_scam else "correct_rejections"
    return "hits" if said_scam else "misses"


def player_checks(session: TrainingSession) -> dict[str, PlayerCheck]:
    """Per player key with check answers in the session: their check before and after,
    a phase not answered being None. One query."""
    phases_of_key: dict = defaultdict(
        lambda: {CheckPhase.BEFORE: Counter(), CheckPhase.AFTER: Counter()}
    )
    for key, phase, said_scam, legitimate in CheckAnswer.objects.filter(
        run__session=session
    ).values_list("run__player_key", "phase", "said_scam", "item__legitimate"):
        phases_of_key[key][phase][outcome(said_scam, legitimate)] += 1
    return {
        key: PlayerCheck(
            *(
                counts_of(phases[p]) if phases[p].total() else None
                for p in (CheckPhase.BEFORE, CheckPhase.AFTER)
            )
        )
        for key, phases in phases_of_key.items()
    }


def check_report(checks: dict[str, PlayerCheck]) -> CheckReport | None:
    """The group's check before and after from the players' checks (pure), or None while no
    player has answered both."""
    by_player = {key: check for key, check in checks.items() if check.both}
    if not by_player:
        return None
    pairs = [(p.before.discernment(), p.after.discernment()) for p in by_player.values()]
    return CheckReport(
        players=len(by_player),
        group=scoring.group_change(pairs),
        by_player=by_player,
        before_answers=sum(p.before.total for p in by_player.values()),
        after_answers=sum(p.after.total for p in by_player.values()),
    )


def session_check(session: TrainingSession) -> CheckReport | None:
    """The group's check before and after, or None while no player has answered both."""
    return check_report(player_checks(session))
