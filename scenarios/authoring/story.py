"""A version's story as the graph check and the picture read it, loaded in three queries."""

from dataclasses import dataclass
from functools import cached_property

from scenarios.models import Choice, Message, ScenarioVersion, Step
from scenarios.story_graph import StepShape


@dataclass(frozen=True)
class StoryMessage:
    id: int
    key: str
    text: str
    flag: str | None
    explanation: str


@dataclass(frozen=True)
class StoryChoice:
    id: int
    text: str
    verdict: str
    # The key of the step it leads to; None when it leads to no step of this version.
    next_key: str | None


@dataclass(frozen=True)
class StoryStep:
    id: int
    key: str
    title: str
    is_start: bool
    ending: str
    text: str
    messages: tuple[StoryMessage, ...]
    choices: tuple[StoryChoice, ...]

    @property
    def is_ending(self) -> bool:
        return bool(self.ending)

    @property
    def name(self) -> str:
        """How an author recognises the step: its title, with its key when the two differ."""
        if self.title and self.title != self.key:
            return f"{self.title} ({self.key})"
        return self.key


@dataclass(frozen=True)
class Story:
    version_id: int
    legitimate: bool
    steps: tuple[StoryStep, ...]

    @cached_property
    def starts(self) -> tuple[StoryStep, ...]:
        return tuple(step for step in self.steps if step.is_start)

    @property
    def start_key(self) -> str | None:
        """The start step's key, when exactly one step is the start."""
        return self.starts[0].key if len(self.starts) == 1 else None

    def shapes(self) -> list[StepShape]:
        return [
            StepShape(
                key=step.key,
                is_ending=step.is_ending,
                next_keys=tuple(choice.next_key for choice in step.choices),
                flags=tuple(message.flag for message in step.messages),
            )
            for step in self.steps
        ]


def story_load(version: ScenarioVersion) -> Story:
    steps = list(
        Step.objects.filter(version=version)
        .order_by("order", "id")
        .values("id", "key", "title", "is_start", "ending", "text")
    )
    messages: dict[int, list[StoryMessage]] = {step["id"]: [] for step in steps}
    for row in (
        Message.objects.filter(step__version=version)
        .order_by("order", "id")
        .values("id", "step_id", "key", "text", "flag__code", "explanation")
    ):
        messages[row["step_id"]].append(
            StoryMessage(row["id"], row["key"], row["text"], row["flag__code"], row["explanation"])
        )
    key_of = {step["id"]: step["key"] for step in steps}
    choices: dict[int, list[StoryChoice]] = {step["id"]: [] for step in steps}
    for row in (
        Choice.objects.filter(step__version=version)
        .order_by("order", "id")
        .values("id", "step_id", "text", "verdict", "next_step_id")
    ):
        choices[row["step_id"]].append(
            StoryChoice(row["id"], row["text"], row["verdict"], key_of.get(row["next_step_id"]))
        )
    return Story(
        version_id=version.pk,
        legitimate=version.legitimate,
        steps=tuple(
            StoryStep(
                **step,
                messages=tuple(messages[step["id"]]),
                choices=tuple(choices[step["id"]]),
            )
            for step in steps
        ),
    )
