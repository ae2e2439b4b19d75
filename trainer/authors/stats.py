"""Where players go wrong, per step of a published version: how they chose, which red
flags they missed most, and which innocent messages they marked as red flags (false
alarms, the mistake a look-alike scenario tests). Aggregates only (counts, never a
player), from counted attempts (never a preview), in the same number of queries whatever
the number of attempts or steps.

Ranked by evidence, not by share alone: by the lower end of the 95 % Wilson score
interval of the rate (missed of seen, marked of seen), then by count. A share from one
player says little: 1 missed of 1 is 100 % but could well be a 21 % rate (its lower
bound), while 4 of 5 is at least 38 %, so 4 of 5 comes first. Wilson's interval, unlike
the normal approximation, stays within 0-100 % and behaves at small counts and at 0 or
100 %, which is where a new scenario's figures are.
"""

import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from scenarios.content import StepView, VersionContent, flag_types
from trainer.models import Attempt, MarkedMessage, StepAnswer
from trainer.scoring import percent_of


@dataclass(frozen=True)
class ChoiceStat:
    text: str
    verdict: str
    count: int
    percent: int


Z_95 = 1.959964  # the standard normal quantile of a two-sided 95 % interval


def wilson_lower(part: int, whole: int, z: float = Z_95) -> float:
    """The lower end of the Wilson score interval of the rate part/whole (0 when whole is 0)."""
    if not whole:
        return 0.0
    share = part / whole
    z2 = z * z
    centre = share + z2 / (2 * whole)
    spread = z * math.sqrt(share * (1 - share) / whole + z2 / (4 * whole * whole))
    return max(0.0, (centre - spread) / (1 + z2 / whole))


@dataclass(frozen=True)
class FlagStat:
    step_title: str
    message: str
    flag_name: str
    missed: int
    seen: int
    part_label: str = ""  # the part that carries the flag, when not the words

    @property
    def percent(self) -> int:
        return percent_of(self.missed, self.seen)

    @property
    def at_least(self) -> int:
        """The rate is at least this, in percent (the Wilson lower bound, rounded down)."""
        return math.floor(100 * wilson_lower(self.missed, self.seen))

    @property
    def evidence(self) -> tuple[float, int]:
        return (wilson_lower(self.missed, self.seen), self.missed)


@dataclass(frozen=True)
class FalseAlarmStat:
    """An innocent message players marked as a red flag."""

    step_title: str
    message: str
    marked: int
    seen: int

    @property
    def percent(self) -> int:
        return round(100 * self.marked / self.seen) if self.seen else 0

    @property
    def at_least(self) -> int:
        return math.floor(100 * wilson_lower(self.marked, self.seen))

    @property
    def evidence(self) -> tuple[float, int]:
        return (wilson_lower(self.marked, self.seen), self.marked)


def by_evidence(stats):
    """Strongest evidence first: the Wilson lower bound, then the count."""
    return sorted(stats, key=lambda stat: stat.evidence, reverse=True)


@dataclass(frozen=True)
class StepStat:
    step: StepView
    answered: int
    choices: tuple[ChoiceStat, ...]
    flags: tuple[FlagStat, ...]
    false_alarms: tuple[FalseAlarmStat, ...] = ()


@dataclass(frozen=True)
class EndingStat:
    title: str
    ending: str
    count: int


@dataclass(frozen=True)
class VersionStats:
    attempts: int
    finished: int
    endings: tuple[EndingStat, ...]
    steps: tuple[StepStat, ...]
    most_missed: tuple[FlagStat, ...]
    false_alarms: tuple[FalseAlarmStat, ...] = ()


def _percent(part: int, whole: int) -> int:
    return percent_of(part, whole)


def version_stats(content: VersionContent, *, top: int = 5) -> VersionStats:
    attempts = Attempt.objects.counted().filter(version_id=content.id)
    totals = attempts.aggregate(
        total=Count("id"), finished=Count("id", filter=Q(finished_at__isnull=False))
    )
    ended = Counter(
        dict(
            attempts.filter(finished_at__isnull=False)
            .values_list("current_step_id")
            .annotate(n=Count("id"))
        )
    )
    answers = StepAnswer.objects.filter(attempt__in=attempts)
    chosen = Counter(dict(answers.values_list("choice_id").annotate(n=Count("id"))))
    marked = _marks(content.id)
    types = flag_types(content.flag_codes) if content.flag_codes else {}
    steps, flags, alarms = [], [], []
    for step in content.steps.values():
        if step.is_ending:
            continue
        answered = sum(chosen[choice.id] for choice in step.choices)
        step_flags = tuple(
            FlagStat(
                step_title=step.title or step.key,
                message=message.gist,
                flag_name=types[message.flag].name_in() if message.flag in types else message.flag,
                missed=answered - marked[(message.id, message.flag_on_part)],
                seen=answered,
                part_label=message.part_label if message.flag_on_part else "",
            )
            for message in step.messages
            if message.flag
        )
        flags += step_flags
        # An innocent message is marked on its words or on its part (marks are counted by
        # (message, on its part)): either is a false alarm.
        alarmed = {
            message.id: marked[(message.id, False)] + marked[(message.id, True)]
            for message in step.messages
            if not message.flag
        }
        step_alarms = tuple(
            FalseAlarmStat(step.title or step.key, message.text, alarmed[message.id], answered)
            for message in step.messages
            if alarmed.get(message.id)
        )
        alarms += step_alarms
        steps.append(
            StepStat(
                step=step,
                answered=answered,
                choices=tuple(
                    ChoiceStat(c.text, c.verdict, chosen[c.id], _percent(chosen[c.id], answered))
                    for c in step.choices
                ),
                flags=tuple(by_evidence(step_flags)),
                false_alarms=tuple(by_evidence(step_alarms)),
            )
        )
    endings = tuple(
        EndingStat(step.title or step.key, step.ending, ended[step.id])
        for step in content.steps.values()
        if step.is_ending
    )
    seen = [flag for flag in flags if flag.seen]
    return VersionStats(
        attempts=totals["total"],
        finished=totals["finished"],
        endings=endings,
        steps=tuple(steps),
        most_missed=tuple(by_evidence([flag for flag in seen if flag.missed])[:top]),
        false_alarms=tuple(by_evidence(alarms)[:top]),
    )


def _marks(version_id: int) -> Counter:
    """How many counted answers marked each spot of the version, by (message, on its part):
    one query."""
    marks = (
        MarkedMessage.objects.filter(
            answer__attempt__version_id=version_id, answer__attempt__preview=False
        )
        .order_by()
        .values_list("message_id", "on_part")
        .annotate(n=Count("pk"))
    )
    return Counter({(message_id, on_part): n for message_id, on_part, n in marks})
