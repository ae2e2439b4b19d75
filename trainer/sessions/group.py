"""How the group chose, step by step, for the projector: counts and shares only, never who.

Two queries for a step whatever the size of the group (its answers, and the attempts'
endings), on top of the scenario's content, which is cached.
"""

from collections import Counter
from dataclasses import dataclass

from scenarios.content import ChoiceView, MessageView, StepView, flag_types, version_content
from scenarios.models import Ending
from trainer.models import Attempt, SessionScenario, StepAnswer, TrainingSession
from trainer.play.answers import answers_by_attempt
from trainer.scoring import percent_of


@dataclass(frozen=True)
class Share:
    count: int
    of: int

    @property
    def percent(self) -> int:
        return percent_of(self.count, self.of)

    @property
    def rate(self) -> float | None:
        """For the |percent filter; None when nothing was counted."""
        return self.count / self.of if self.of else None


@dataclass(frozen=True)
class EndingShare:
    kind: str  # scammed, safe, partly_safe
    label: str
    share: Share


def ending_shares(endings: Counter) -> list[EndingShare]:
    """How the stories ended, in the order of the endings' kinds, each as a share."""
    total = sum(endings.values())
    return [
        EndingShare(kind, label, Share(endings[kind], total))
        for kind, label in Ending.choices
        if endings[kind]
    ]


@dataclass(frozen=True)
class ChoiceShare:
    choice: ChoiceView
    share: Share


@dataclass(frozen=True)
class MessageShare:
    message: MessageView
    flag_name: str  # the red flag's name, "" for a genuine message
    # Players who marked it: a red flag where it sits (its words or its part), a genuine
    # message anywhere on it.
    marked: Share

    @property
    def missed(self) -> Share:
        return Share(self.marked.of - self.marked.count, self.marked.of)


@dataclass(frozen=True)
class GroupStep:
    number: int  # 1, 2, ... among the scenario's scenes
    of: int
    step: StepView
    reached: int  # players who answered it
    choices: list[ChoiceShare]
    messages: list[MessageShare]

    @property
    def missed_flags(self) -> list[MessageShare]:
        """The red flags on this step that some of the group did not mark, most missed first."""
        missed = [m for m in self.messages if m.flag_name and m.missed.count]
        return sorted(missed, key=lambda m: -m.missed.count)


@dataclass(frozen=True)
class GroupScenario:
    entry: SessionScenario
    title: str
    language: str
    started: int
    finished: int
    endings: list[EndingShare]
    steps: list[GroupStep]


def group_scenario(session: TrainingSession, number: int) -> GroupScenario:
    """The group's answers to the session's scenario `number`. Raises
    SessionScenario.DoesNotExist for a number the session does not have."""
    entry = SessionScenario.objects.get(session=session, number=number)
    content = version_content(entry.version_id)
    scenes = [step for step in content.steps.values() if not step.is_ending]
    chosen: dict[int, Counter] = {step.id: Counter() for step in scenes}
    marked: dict[int, Counter] = {step.id: Counter() for step in scenes}
    reached: Counter = Counter()
    answers = answers_by_attempt(
        StepAnswer.objects.filter(attempt__session=session, attempt__version_id=entry.version_id)
    )
    for row in (row for rows in answers.values() for row in rows):
        if row.step_id not in chosen:
            continue
        reached[row.step_id] += 1
        chosen[row.step_id][row.choice_id] += 1
        marked[row.step_id].update(
            message.id
            for message in content.step_by_id(row.step_id).messages
            if any(row.marked(message.id, spot.on_part) for spot in message.spots if spot.flag)
            or (not message.flag and any(row.marked(message.id, on) for on in (False, True)))
        )
    started, endings = 0, Counter()
    for finished, step_id in Attempt.objects.filter(
        session=session, version_id=entry.version_id
    ).values_list("finished_at", "current_step_id"):
        started += 1
        if finished:
            endings[content.step_by_id(step_id).ending] += 1
    types = flag_types(content.flag_codes) if content.flag_codes else {}

    def flag_name(code: str | None) -> str:
        if not code:
            return ""
        return types[code].name_in(session.language) if code in types else code

    steps = [
        GroupStep(
            number=index,
            of=len(scenes),
            step=step,
            reached=reached[step.id],
            choices=[
                ChoiceShare(choice, Share(chosen[step.id][choice.id], reached[step.id]))
                for choice in step.choices
            ],
            messages=[
                MessageShare(
                    message,
                    flag_name(message.flag),
                    Share(marked[step.id][message.id], reached[step.id]),
                )
                for message in step.messages
            ],
        )
        for index, step in enumerate(scenes, start=1)
    ]
    return GroupScenario(
        entry=entry,
        title=content.title,
        language=content.language,
        started=started,
        finished=sum(endings.values()),
        endings=ending_shares(endings),
        steps=steps,
    )
