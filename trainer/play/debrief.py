"""The debrief at the end of an attempt: every red flag on the path, hit or missed,
every false alarm, each with its explanation, and the advice per red-flag type."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language

from scenarios.content import FlagType, MemoryCache, MessageView, Spot, VersionContent, on_clear
from trainer.play.state import AnswerRow
from trainer.scoring import AttemptScore

HIT, MISSED, FALSE_ALARM = "hit", "missed", "false_alarm"


@dataclass(frozen=True)
class SpotCard:
    """What the debrief shows of one spot of a message, whoever played: a line of its words
    (`quote`) and the message as it was shown with why (`detail`), both escaped HTML."""

    quote: SafeString
    detail: SafeString


# Cards of published versions, by version, message, spot and language: made of the content
# alone (spot_card's arguments), so a card cannot carry anything of a player.
_cards = MemoryCache(8192)
on_clear(_cards.clear)


def spot_card(content: VersionContent, message: MessageView, spot: Spot) -> SpotCard:
    """The card of `spot` of `message`, rendered once per published version and language
    (a draft's every time)."""

    def render() -> SpotCard:
        return SpotCard(
            # The opening words, as the template filter truncatewords:9 cuts them.
            quote=escape(Truncator(message.text or message.gist).words(9, truncate=" …")),
            detail=SafeString(
                render_to_string(
                    "play/_review_card.html",
                    {
                        "content": content,
                        "message": message,
                        "part": message.part if spot.on_part else "",
                        "part_label": message.part_label if spot.on_part else "",
                        # The innocent half of a flagged message has no explanation of its own.
                        "explanation": (
                            message.explanation if spot.flag or not message.flag else ""
                        ),
                    },
                )
            ),
        )

    key = (content.id, message.id, spot, get_language())
    return _cards.get_or_make(key, render, keep=content.published)


# Items of the red-flag list of published versions, by the spot's card key, the outcome and
# the type's name as it is now: made of those alone (flag_item's arguments), so an item
# cannot carry anything of a player but the outcome it shows.
_flag_items = MemoryCache(16384)
on_clear(_flag_items.clear)


def flag_item(
    content: VersionContent, message: MessageView, spot: Spot, outcome: str, flag_name: str
) -> SafeString:
    """The `<li>` of the red-flag list for `spot` of `message` with `outcome`, rendered once
    per published version, spot, outcome, type name and language (a draft's every time)."""

    def render() -> SafeString:
        context = {
            "outcome": outcome,
            "part": message.part if spot.on_part else "",
            "flag_name": flag_name,
            "language": content.language,
            "card": spot_card(content, message, spot),
        }
        return SafeString(render_to_string("play/_flag_item.html", context))

    key = (content.id, message.id, spot, outcome, flag_name, get_language())
    return _flag_items.get_or_make(key, render, keep=content.published)


@dataclass(frozen=True)
class MessageReview:
    text: str
    outcome: str  # HIT, MISSED or FALSE_ALARM
    explanation: str
    flag_name: str
    # The spot reviewed: the message's words (part "") or its part ("link", "payment"...),
    # and the message itself, so the debrief can draw its card (play/kinds/).
    part: str = ""
    part_label: str = ""
    message: MessageView | None = None
    # Its item in the red-flag list (flag_item), which draws the spot's card (spot_card).
    html: SafeString = SafeString("")


@dataclass(frozen=True)
class StepReview:
    title: str
    choice_text: str
    verdict: str
    feedback: str
    messages: tuple[MessageReview, ...]


# Items of "What to remember", by the whole review and the page's language.
_type_items = MemoryCache(4096)
on_clear(_type_items.clear)


@dataclass(frozen=True)
class TypeReview:
    name: str
    advice: str
    hits: int
    misses: int
    language: str = ""  # of the name and advice: the version's

    @property
    def html(self) -> SafeString:
        """Its item in "What to remember", rendered once per review and page language. The
        review holds the type's name and advice as read for this request, so an edit in
        the admin makes a new key."""
        context = {"type": self, "language": self.language}
        return _type_items.get_or_make(
            (self, get_language()),
            lambda: SafeString(render_to_string("play/_type_item.html", context)),
        )


@dataclass(frozen=True)
class Debrief:
    steps: tuple[StepReview, ...]
    types: tuple[TypeReview, ...]
    hits: int
    misses: int
    false_alarms: int


def build_debrief(
    content: VersionContent,
    answers: list[AnswerRow],
    score: AttemptScore,
    flag_types: dict[str, FlagType],
) -> Debrief:
    """The debrief, naming each red-flag type as `flag_types` (the version's, read for this
    request: scenarios.content.flag_types) has it now."""
    language = content.language

    def flag_name(code: str) -> str:
        return flag_types[code].name_in(language) if code in flag_types else code

    steps = []
    for answer in answers:
        step = content.step_by_id(answer.step_id)
        reviews = []
        for message in step.messages:
            for spot in message.spots:  # counted as scoring counts them (rule 1)
                marked = answer.marked(message.id, spot.on_part)
                if spot.flag:
                    outcome = HIT if marked else MISSED
                elif marked:
                    outcome = FALSE_ALARM
                else:
                    continue
                name = flag_name(spot.flag) if spot.flag else ""
                reviews.append(
                    MessageReview(
                        message.text,
                        outcome,
                        # The innocent half of a flagged message has no explanation of its own.
                        message.explanation if spot.flag or not message.flag else "",
                        name,
                        part=message.part if spot.on_part else "",
                        part_label=message.part_label if spot.on_part else "",
                        message=message,
                        html=flag_item(content, message, spot, outcome, name),
                    )
                )
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
            advice=flag_types[code].advice_in(language) if code in flag_types else "",
            hits=tally.hits,
            misses=tally.misses,
            language=language,
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
