"""A follow-up's report: the follow-up against the session it follows, for the players who
linked the two with a return code, read by trainer.scoring rule 9.

What is compared, over the linked players only (the same people on both sides):
- Discernment (d′ and criterion c) on the modules' checks: each linked player's last check
  of the earlier session (after its scenarios: where the training left them) against
  their first check of the follow-up (before its scenarios: what is left weeks later),
  read for the group by rule 7 (a mean change with its 95 % interval, from 10 players).
- Per red-flag type, red flags caught out of shown: in the scenarios (every step answered,
  finished or not, as in a session's report) and, when both sides have check answers, on
  the check's scam items of that type; read only with 10 messages or more on each side.
- Players who did not link are counted apart and compared with nobody. Each linked
  player's own figures are shown side by side, with no reading of one person.

A fixed number of queries whatever the size of the groups: for each session its players,
attempts, answers and check answers, each read once; scenario content is cached.
"""

from collections import Counter
from dataclasses import dataclass, field

from scenarios.content import flag_types, version_content
from trainer import scoring
from trainer.models import Attempt, CheckAnswer, CheckPhase, StepAnswer, TrainingSession
from trainer.play.answers import answers_by_attempt
from trainer.play.services import attempt_score
from trainer.sessions.check import CheckCounts, counts_of
from trainer.sessions.group import Share


@dataclass
class Tally:
    """What one player (or a whole group) did in one session, as counts."""

    scenario_caught: Counter = field(default_factory=Counter)  # red-flag code -> caught
    scenario_shown: Counter = field(default_factory=Counter)
    check: Counter = field(default_factory=Counter)  # hits, misses, false alarms, ...
    check_caught: Counter = field(default_factory=Counter)  # code -> scam items called scams
    check_shown: Counter = field(default_factory=Counter)

    def add(self, other: "Tally") -> None:
        for name in ("scenario_caught", "scenario_shown", "check", "check_caught", "check_shown"):
            getattr(self, name).update(getattr(other, name))

    @property
    def has_check(self) -> bool:
        return self.check.total() > 0

    def discernment(self) -> scoring.Discernment | None:
        if not self.has_check:
            return None
        c = self.check
        return scoring.discernment(
            c["hits"], c["misses"], c["false_alarms"], c["correct_rejections"]
        )


@dataclass(frozen=True)
class TypeRow:
    code: str
    name: str
    earlier: Share  # what the reading compares: scenarios, and the check when both had one
    later: Share
    earlier_scenarios: Share
    later_scenarios: Share
    earlier_check: Share | None  # None when the check is not part of the comparison
    later_check: Share | None
    reading: scoring.Retention | None


@dataclass(frozen=True)
class Comparison:
    change: scoring.GroupChange | None  # None unless some pair had a check on both sides
    types: list[TypeRow]
    reading: scoring.Retention | None


def compare(pairs: list[tuple[Tally, Tally]], names: dict[str, str]) -> Comparison:
    """Compare linked pairs (earlier, later) by rule 9 (pure: no database)."""
    checked = [(a, b) for a, b in pairs if a.has_check and b.has_check]
    change = (
        scoring.group_change([(a.discernment(), b.discernment()) for a, b in checked])
        if checked
        else None
    )
    earlier, later = Tally(), Tally()
    for first, second in pairs:
        earlier.add(first)
        later.add(second)
    with_check = bool(checked)
    shown = earlier.scenario_shown + later.scenario_shown
    if with_check:
        shown += earlier.check_shown + later.check_shown
    codes = sorted(code for code, count in shown.items() if count)
    types = [_type_row(code, names.get(code, code), earlier, later, with_check) for code in codes]
    discernment_reading = scoring.retention_of_discernment(change.reading) if change else None
    return Comparison(
        change=change,
        types=types,
        reading=scoring.retention_overall(discernment_reading, (row.reading for row in types)),
    )


def _type_row(code: str, name: str, earlier: Tally, later: Tally, with_check: bool) -> TypeRow:
    def scenarios(tally: Tally) -> Share:
        return Share(tally.scenario_caught[code], tally.scenario_shown[code])

    def check(tally: Tally) -> Share | None:
        return Share(tally.check_caught[code], tally.check_shown[code]) if with_check else None

    def pooled(tally: Tally) -> Share:
        own, checked = scenarios(tally), check(tally)
        return Share(own.count + checked.count, own.of + checked.of) if checked else own

    first, second = pooled(earlier), pooled(later)
    return TypeRow(
        code=code,
        name=name,
        earlier=first,
        later=second,
        earlier_scenarios=scenarios(earlier),
        later_scenarios=scenarios(later),
        earlier_check=check(earlier),
        later_check=check(later),
        reading=scoring.retention_of_share((first.count, first.of), (second.count, second.of)),
    )


@dataclass(frozen=True)
class PlayerRow:
    """One linked player, then and now: figures side by side, no reading (rule 9)."""

    earlier_nickname: str
    nickname: str
    earlier: Tally
    later: Tally
    types: list[TypeRow]

    @property
    def earlier_check(self) -> CheckCounts:
        return counts_of(self.earlier.check)

    @property
    def later_check(self) -> CheckCounts:
        return counts_of(self.later.check)


@dataclass(frozen=True)
class FollowUpReport:
    session: TrainingSession  # the follow-up
    earlier: TrainingSession
    earlier_players: int
    players: int
    linked: int
    linked_with_checks: int  # linked players who took both checks compared
    group: Comparison  # over the linked players only
    rows: list[PlayerRow]  # one per linked pair, in the order the follow-up was joined

    @property
    def unlinked_earlier(self) -> int:
        """Players of the earlier session nobody linked to: not compared."""
        return self.earlier_players - self.linked

    @property
    def unlinked(self) -> int:
        """Players of the follow-up who came without a return code: not compared."""
        return self.players - self.linked


@dataclass
class _Player:
    pk: int | None  # None for a key that joined no one (see tally_of)
    nickname: str
    returning_from_id: int | None
    tally: Tally = field(default_factory=Tally)


def follow_up_report(session: TrainingSession, earlier: TrainingSession) -> FollowUpReport:
    names = {code: flag_type.name_in() for code, flag_type in flag_types().items()}
    first = _players(earlier, CheckPhase.AFTER)
    second = _players(session, CheckPhase.BEFORE)
    first_by_pk = {player.pk: player for player in first.values()}
    linked = [
        (first_by_pk[player.returning_from_id], player)
        for player in second.values()
        if player.returning_from_id in first_by_pk
    ]
    pairs = [(then.tally, now.tally) for then, now in linked]
    rows = [
        PlayerRow(
            then.nickname,
            now.nickname,
            then.tally,
            now.tally,
            compare([(then.tally, now.tally)], names).types,
        )
        for then, now in linked
    ]
    return FollowUpReport(
        session=session,
        earlier=earlier,
        earlier_players=sum(p.pk is not None for p in first.values()),
        players=sum(p.pk is not None for p in second.values()),
        linked=len(linked),
        linked_with_checks=sum(a.has_check and b.has_check for a, b in pairs),
        group=compare(pairs, names),
        rows=rows,
    )


def _players(session: TrainingSession, phase: str) -> dict[str, _Player]:
    """Every player of the session by key, in the order they joined, with their tallies:
    the scenarios' answers, and the check answers of `phase`."""
    players = {
        key: _Player(pk, nickname, returning_from_id)
        for pk, key, nickname, returning_from_id in session.players.order_by(
            "joined_at", "id"
        ).values_list("pk", "player_key", "nickname", "returning_from_id")
    }

    def tally_of(key: str) -> Tally:
        # A run or attempt whose key joined no one still counts for the group.
        if key not in players:
            players[key] = _Player(None, "", None)
        return players[key].tally

    answers = answers_by_attempt(
        StepAnswer.objects.filter(attempt__session=session, attempt__preview=False)
    )
    for attempt_id, key, version_id in (
        Attempt.objects.counted()
        .filter(session=session)
        .values_list("id", "player_key", "version_id")
    ):
        score = attempt_score(version_content(version_id), answers.get(attempt_id, []))
        tally = tally_of(key)
        for code, counts in score.by_type.items():
            tally.scenario_caught[code] += counts.hits
            tally.scenario_shown[code] += counts.hits + counts.misses
    for key, said_scam, legitimate, code in CheckAnswer.objects.filter(
        run__session=session, phase=phase
    ).values_list("run__player_key", "said_scam", "item__legitimate", "item__flag__code"):
        tally = tally_of(key)
        if legitimate:
            tally.check["false_alarms" if said_scam else "correct_rejections"] += 1
            continue
        tally.check["hits" if said_scam else "misses"] += 1
        if code:
            tally.check_caught[code] += said_scam
            tally.check_shown[code] += 1
    return players
