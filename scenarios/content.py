"""Read-only views of a scenario version, built once and kept in memory.

A published version never changes, so its whole graph is loaded in a fixed
number of queries (whatever its size) and kept for the life of the process.
Drafts are loaded afresh every time. Red-flag types, which can be edited, are
never kept: `flag_types` reads them when a page names them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection

from scenarios.message_kinds import PART_LABELS, TEXT, flag_on_part, part_of
from scenarios.models import (
    Basis,
    Channel,
    Choice,
    Message,
    RedFlagType,
    ScenarioVersion,
    Step,
    picture_extension,
    text_in_language,
)


@dataclass(frozen=True)
class Spot:
    """One thing on a message a player can mark: its words, or its part (`on_part`).
    Scoring counts spots as it counts messages (trainer.scoring, rule 1)."""

    on_part: bool
    flag: str | None  # the red flag here, None where there is none


@dataclass(frozen=True)
class PictureView:
    """A message's picture: its hash and file extension (its address), size and text."""

    sha256: str
    extension: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class MessageView:
    id: int
    key: str
    text: str
    flag: str | None
    explanation: str
    kind: str = TEXT
    details: dict = field(default_factory=dict, compare=False, hash=False)
    flag_part: str = ""  # "" when the flag is in the words, else the part that carries it
    picture: PictureView | None = None  # any message may show one (Message.picture)

    @property
    def part(self) -> str:
        """The part a player can point at apart from the words ("" when none)."""
        return part_of(self.kind)

    @property
    def part_label(self) -> str:
        return str(PART_LABELS.get(self.part, ""))

    @property
    def flag_on_part(self) -> bool:
        return flag_on_part(self.kind, self.text, self.flag_part, bool(self.flag))

    @property
    def gist(self) -> str:
        """The message in a line: its words, or what its card shows first."""
        if self.text:
            return self.text
        values = [self.details.get(name) for name in ("url", "name", "amount", "to", "title")]
        values += [self.details.get(name) for name in ("file_name", "alt", "handle")]
        return " · ".join(str(value) for value in values if value)

    @property
    def has_words(self) -> bool:
        """Words a player can mark: every message but a card with none of its own."""
        return bool(self.text) or not self.part

    @property
    def spots(self) -> tuple[Spot, ...]:
        """What scoring counts of the message (rule 1): a flagged message, only the spot that
        carries its flag (its other spot is neither a hit nor a false alarm: the message is
        suspicious, the clue is elsewhere in it); an innocent one, each spot it shows."""
        if self.flag:
            return (Spot(self.flag_on_part, self.flag),)
        words = (Spot(False, None),) if self.has_words else ()
        return words + ((Spot(True, None),) if self.part else ())

    def __getattr__(self, name: str):
        # The kind's own fields (a link's url, a payment's amount) read as attributes in the
        # templates; a field the kind lacks reads as empty.
        if name.startswith("_") or name == "details":
            raise AttributeError(name)
        return self.details.get(name, "")


@dataclass(frozen=True)
class ChoiceView:
    id: int
    text: str
    verdict: str
    feedback: str
    next_key: str
    says: str = ""  # what the player writes when choosing it: the next page shows it


@dataclass(frozen=True)
class StepView:
    id: int
    key: str
    title: str
    sender_name: str
    sender_verified: bool
    sender_handle: str
    channel: str  # the step's own channel, or the scenario's
    ending: str
    text: str
    loss_kzt: int | None
    messages: tuple[MessageView, ...]
    choices: tuple[ChoiceView, ...]
    # The fewest scenes still to answer from here to an ending; drives the progress bar.
    scenes_to_end: int

    @property
    def is_ending(self) -> bool:
        return bool(self.ending)

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label

    def choice(self, choice_id: int) -> ChoiceView | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class VersionContent:
    id: int
    scenario_id: int
    slug: str
    language: str
    number: int
    published: bool
    title: str
    summary: str
    channel: str
    legitimate: bool
    difficulty: int
    based_on: str
    basis: str  # "case", "composite" or "" (scenarios.models.Basis)
    minutes: int
    start_key: str
    steps: dict[str, StepView]

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label

    @property
    def basis_label(self) -> str:
        return Basis(self.basis).label if self.basis else ""

    @property
    def start(self) -> StepView:
        return self.steps[self.start_key]

    def step_by_id(self, step_id: int) -> StepView:
        return self._by_id[step_id]

    def choice_by_id(self, choice_id: int) -> ChoiceView | None:
        return self._choices_by_id.get(choice_id)

    @cached_property
    def flag_codes(self) -> frozenset[str]:
        """The red-flag types anywhere in the version, on every path."""
        steps = self.steps.values()
        return frozenset(
            message.flag for step in steps for message in step.messages if message.flag
        )

    @cached_property
    def _by_id(self) -> dict[int, StepView]:
        return {step.id: step for step in self.steps.values()}

    @cached_property
    def _choices_by_id(self) -> dict[int, ChoiceView]:
        return {choice.id: choice for step in self.steps.values() for choice in step.choices}


class MemoryCache:
    """A small thread-safe least-recently-used cache that lives as long as the process.

    Kept in memory rather than in Django's cache framework: what it holds never changes,
    and a dictionary look-up costs nothing next to a cache server's round trip.
    """

    def __init__(self, size: int):
        self._size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get_or_make(self, key, make, *, keep: bool = True):
        """The value kept under `key`, or else `make()`'s, kept for next time. With `keep`
        False (a draft's content, which can change) it is made afresh and not kept."""
        if not keep:
            return make()
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value


_versions = MemoryCache(512)
_clear_hooks = [_versions.clear]


def version_content(version_id: int) -> VersionContent:
    """The content of a version: from memory when published, else from the database."""
    content = _versions.get(version_id)
    if content is None:
        content = _load(version_id)
        if content.published:
            _versions.put(version_id, content)
    return content


@dataclass(frozen=True)
class FlagType:
    """A red-flag type as it stands in the database now."""

    code: str
    name: dict[str, str]
    advice: dict[str, str]
    asks_for: str  # a value of scenarios.models.AsksFor

    def name_in(self, language: str | None = None) -> str:
        return text_in_language(self.name, language) or self.code

    def advice_in(self, language: str | None = None) -> str:
        return text_in_language(self.advice, language)


def flag_types(codes: Iterable[str] | None = None) -> dict[str, FlagType]:
    """The red-flag types (those of `codes`, or all), by code, read afresh every time.

    Unlike a version, a type is not versioned: its name, advice and what it asks for can be
    edited at any time, and the edit must show in every debrief at once, in every worker
    and on every app server. A copy kept in one process's memory cannot know of an edit
    made through another, so nothing is kept: the taxonomy is a few dozen short rows, so
    reading them costs one query, as reading a version stamp to trust a copy would, and
    only the pages that name types (a debrief, a report) ask for them. Versions may keep
    codes for good: a code never changes (scenarios.models.RedFlagType).
    """
    # Plain SQL: on a result page the ORM's building of this query cost as much as the
    # rest of the view's reads together. The JSON is read as the model's fields read it.
    wanted = None if codes is None else sorted(set(codes))
    if wanted == []:
        return {}
    meta = RedFlagType._meta
    quote = connection.ops.quote_name
    columns = [quote(meta.get_field(name).column) for name in _FLAG_TYPE_FIELDS]
    sql = f"SELECT {', '.join(columns)} FROM {quote(meta.db_table)}"  # noqa: S608 (model names only)
    if wanted is not None:
        sql += f" WHERE {columns[0]} IN ({', '.join(['%s'] * len(wanted))})"
    name_field, advice_field = meta.get_field("name"), meta.get_field("advice")
    with connection.cursor() as cursor:
        cursor.execute(sql, wanted or [])
        rows = cursor.fetchall()
    return {
        code: FlagType(
            code,
            name_field.from_db_value(name, None, connection),
            advice_field.from_db_value(advice, None, connection),
            asks_for,
        )
        for code, name, advice, asks_for in rows
    }


_FLAG_TYPE_FIELDS = ("code", "name", "advice", "asks_for")


def clear_cache() -> None:
    """Forget every cached version and everything cached from them (tests reuse ids)."""
    for clear in _clear_hooks:
        clear()


def on_clear(clear) -> None:
    """Register another cache built from published content, to be cleared with it."""
    _clear_hooks.append(clear)


def _load(version_id: int) -> VersionContent:
    version = ScenarioVersion.objects.select_related("scenario").get(pk=version_id)
    steps = list(Step.objects.filter(version_id=version_id).order_by("order"))
    messages: dict[int, list[MessageView]] = {step.id: [] for step in steps}
    for row in (
        Message.objects.filter(step__version_id=version_id)
        .order_by("order")
        .values(
            "id",
            "step_id",
            "key",
            "text",
            "flag__code",
            "explanation",
            "kind",
            "details",
            "flag_part",
            "picture_id",
            "picture__content_type",
            "picture__width",
            "picture__height",
            "alt",
        )
    ):
        picture = None
        if row["picture_id"]:
            picture = PictureView(
                row["picture_id"],
                picture_extension(row["picture__content_type"]),
                row["picture__width"],
                row["picture__height"],
                row["alt"],
            )
        messages[row["step_id"]].append(
            MessageView(
                row["id"],
                row["key"],
                row["text"],
                row["flag__code"],
                row["explanation"],
                row["kind"],
                row["details"] or {},
                row["flag_part"],
                picture,
            )
        )
    key_of = {step.id: step.key for step in steps}
    choices: dict[int, list[ChoiceView]] = {step.id: [] for step in steps}
    for row in (
        Choice.objects.filter(step__version_id=version_id)
        .order_by("order")
        .values("id", "step_id", "text", "verdict", "feedback", "next_step_id", "says")
    ):
        choices[row["step_id"]].append(
            ChoiceView(
                row["id"],
                row["text"],
                row["verdict"],
                row["feedback"],
                # A draft's choice may lead nowhere yet; a published one never does.
                key_of.get(row["next_step_id"], ""),
                row["says"],
            )
        )
    edges = {step.key: [c.next_key for c in choices[step.id] if c.next_key] for step in steps}
    start_key = next((step.key for step in steps if step.is_start), steps[0].key if steps else "")
    distance = _scenes_to_end(edges, start_key)
    return VersionContent(
        id=version.id,
        scenario_id=version.scenario_id,
        slug=version.scenario.slug,
        language=version.scenario.language,
        number=version.number,
        published=version.is_published,
        title=version.title,
        summary=version.summary,
        channel=version.channel,
        legitimate=version.legitimate,
        difficulty=version.difficulty,
        based_on=version.based_on,
        basis=version.basis,
        minutes=version.minutes,
        start_key=start_key,
        steps={
            step.key: StepView(
                id=step.id,
                key=step.key,
                title=step.title,
                sender_name=step.sender_name,
                sender_verified=step.sender_verified,
                sender_handle=step.sender_handle,
                channel=step.channel or version.channel,
                ending=step.ending,
                text=step.text,
                loss_kzt=step.loss_kzt,
                messages=tuple(messages[step.id]),
                choices=tuple(choices[step.id]),
                scenes_to_end=distance.get(step.key, 0),
            )
            for step in steps
        },
    )


def _scenes_to_end(edges: dict[str, list[str]], start: str) -> dict[str, int]:
    """Most scenes from each step to an ending, along the story's forward paths.

    Choices that loop back to an earlier step are left out, so the figure is
    the length of the longest way through the story from here: a progress bar
    built on it moves forward and ends full.
    """
    # A loop, not recursion: an author decides how deep a story goes, and a few thousand
    # scenes in a row would pass Python's recursion limit.
    state: dict[str, str] = {}  # "open" while on the current path, "done" after
    remaining: dict[str, int] = {}
    for root in [start, *edges]:
        if not root or root in state:
            continue
        state[root] = "open"
        path = [(root, iter(edges.get(root, [])))]
        while path:
            key, targets = path[-1]
            for target in targets:
                if target not in state:  # an open target is a loop back: not a way forward
                    state[target] = "open"
                    path.append((target, iter(edges.get(target, []))))
                    break
            else:
                path.pop()
                # Every target not on the path is done by now; the open ones were loops back.
                ahead = [remaining[t] for t in edges.get(key, []) if state.get(t) == "done"]
                remaining[key] = max(ahead, default=-1) + 1 if edges.get(key) else 0
                state[key] = "done"
    return remaining
