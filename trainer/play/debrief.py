"""The debrief at the end of an attempt: every red flag on the path, hit or missed,
every false alarm, each with its explanation, and the advice per red-flag type."""

from dataclasses import dataclass

from scenarios.content import VersionContent, flag_type_texts
from scenarios.models import text_in_language
from trainer.play.state import AnswerRow
from trainer.scoring import AttemptScore

HIT, MISSED, FALSE_ALARM = "hit", "missed", "false_alarm"


@dataclass(frozen=True)
class MessageReview:
    text: str
    outcome: str  # HIT, MISSED or FALSE_ALARM
    explanation: str
    flag_name: str


@dataclass(frozen=True)
class StepReview:
    title: str
    choice_text: str
    verdict: str
    feedback: str
    messages: tuple[MessageReview, ...]


@dataclass(frozen=True)
class TypeReview:
    name: str
    advice: str
    hits: int
    misses: int


@dataclass(frozen=True)
class Debrief:
    steps: tuple[StepReview, ...]
    types: tuple[TypeReview, ...]
    hits: int
    misses: int
    false_alarms: int


def build_debrief(
    content: VersionContent, answers: list[AnswerRow], score: AttemptScore
) -> Debrief:
    codes = {
        message.flag
        for answer in answers
        for message in content.step_by_id(answer.step_id).messages
        if message.flag
    }
    flag_types = flag_type_texts() if codes else {}
    language = content.language

    def flag_name(code: str) -> str:
        name = text_in_language(flag_types[code][0], language) if code in flag_types else ""
        return name or code

    steps = []
    for answer in answers:
        step = content.step_by_id(answer.step_id)
        marked = set(answer.marked_message_ids)
        reviews = []
        for message in step.messages:
            if message.flag:
                outcome = HIT if message.id in marked else MISSED
            elif message.id in marked:
                outcome = FALSE_ALARM
            else:
                continue
            name = flag_name(message.flag) if message.flag else ""
            reviews.append(MessageReview(message.text, outcome, message.explanation, name))
        choice = step.choice(answer.choice_id)
        steps.append(
            StepReview(
                title=step.title,
                choice_text=choice.text if choice else "",
                verdict=choice.verdict if choice else "",
                feedback=choice.feedback if choice else "",
                messages=tuple(reviews),
            )
        )
    types = tuple(
        TypeReview(
            name=flag_name(code),
            advice=text_in_language(flag_types[code][1], language) if code in flag_types else "",
            hits=tally.hits,
            misses=tally.misses,
        )
        for code, tally in sorted(score.by_type.items())
    )
    return Debrief(
        steps=tuple(steps),
        types=types,
        hits=score.hits,
        misses=score.misses,
        false_alarms=score.false_alarms,
    )
