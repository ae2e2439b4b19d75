"""Where players go wrong, per step of a published version: how they chose, and which red
flags they missed most. Aggregates only (counts, never a player), from counted attempts
(never a preview), in the same number of queries whatever the number of attempts or steps.
"""

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


@dataclass(frozen=True)
class FlagStat:
    step_title: str
    message: str
    flag_name: str
    missed: int
    seen: int

    @property
    def percent(self) -> int:
        return percent_of(self.missed, self.seen)


@dataclass(frozen=True)
class StepStat:
    step: StepView
    answered: int
    choices: tuple[ChoiceStat, ...]
    flags: tuple[FlagStat, ...]


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
    steps, flags = [], []
    for step in content.steps.values():
        if step.is_ending:
            continue
        answered = sum(chosen[choice.id] for choice in step.choices)
        step_flags = tuple(
            FlagStat(
                step_title=step.title or step.key,
                message=message.text,
                flag_name=types[message.flag].name_in() if message.flag in types else message.flag,
                missed=answered - marked[message.id],
                seen=answered,
            )
            for message in step.messages
            if message.flag
        )
        flags += step_flags
        steps.append(
            StepStat(
                step=step,
                answered=answered,
                choices=tuple(
                    ChoiceStat(c.text, c.verdict, chosen[c.id], _percent(chosen[c.id], answered))
                    for c in step.choices
                ),
                flags=tuple(sorted(step_flags, key=lambda f: -f.percent)),
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
        most_missed=tuple(sorted(seen, key=lambda f: (-f.percent, -f.missed))[:top]),
    )


def _marks(version_id: int) -> Counter:
    """How many counted answers marked each message of the version: one query."""
    marks = (
        MarkedMessage.objects.filter(
            answer__attempt__version_id=version_id, answer__attempt__preview=False
        )
        .order_by()
        .values_list("message_id")
        .annotate(n=Count("pk"))
    )
    return Counter(dict(marks))
