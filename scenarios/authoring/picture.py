"""A picture of the story: steps as boxes laid out in layers by Graphviz's `dot`
(`layout.py`), choices as arrows coloured by verdict, endings coloured by outcome, broken
links drawn to stand out; and the same graph as a text list beside it.

Only the geometry is computed here (numbers); the SVG is written by a template with
autoescaping on (`admin/scenarios/_story_picture.html`), so an author's text is always
text, and coloured by classes in the static CSS, so a strict Content-Security-Policy holds.
Titles are wrapped onto as many lines as they need, never cut. Without `dot` the boxes
fall on a simple grid and the page says so.
"""

import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _

from scenarios.models import Ending, Verdict
from scenarios.story_graph import graph_findings, layers

from .layout import Edge, Layout, Node, dot_layout
from .story import Story, StoryStep

BOX_WIDTH = 200
COLUMN_GAP, ROW_GAP, MARGIN = 80, 28, 16
BROKEN_REACH = 44  # how far a link to nowhere sticks out of its box on the grid
LINE_CHARACTERS = 22  # of a title at 13 px in a box 200 px wide, with room to spare
TITLE_LINE, SUBTITLE_LINE, PADDING = 17, 15, 10


@dataclass(frozen=True)
class Line:
    x: int
    y: int  # the text's baseline
    text: str


@dataclass(frozen=True)
class Box:
    step_id: int
    x: int
    y: int
    width: int
    height: int
    title_lines: tuple[Line, ...]
    subtitle_lines: tuple[Line, ...]
    full_title: str
    classes: str


@dataclass(frozen=True)
class Arrow:
    path: str  # SVG path data: numbers only
    classes: str
    marker: str  # the id of the arrow head, one per verdict
    label: str


@dataclass(frozen=True)
class OutlineChoice:
    text: str
    verdict: str
    target: str  # the step it leads to, by name; empty when it leads nowhere
    target_id: int | None


@dataclass(frozen=True)
class OutlineStep:
    step_id: int
    name: str
    kind: str  # "Start", "Ending: safe"... or empty for a scene
    problem: bool
    choices: tuple[OutlineChoice, ...]


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    outline: tuple[OutlineStep, ...] = ()
    laid_out_by_dot: bool = True

    markers = ("safe", "risky", "harmful", "broken")


def _lines(text: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), LINE_CHARACTERS, break_long_words=True) or [""]


def _subtitle(step: StoryStep) -> str:
    if step.is_ending:
        return _("Ending: %(outcome)s") % {"outcome": Ending(step.ending).label}
    if step.is_start:
        return _("Start · %(key)s") % {"key": step.key}
    return step.key


@dataclass(frozen=True)
class _Text:
    """A box's wrapped text and the height it needs."""

    title: list[str]
    subtitle: list[str]

    @property
    def height(self) -> int:
        return 2 * PADDING + TITLE_LINE * len(self.title) + SUBTITLE_LINE * len(self.subtitle)


def picture_build(story: Story) -> Picture:
    findings = graph_findings(story.shapes(), start=story.start_key, legitimate=story.legitimate)
    troubled = {story.steps[i].key for i in (*findings.unreachable, *findings.dead_ends)}
    troubled |= {story.steps[i].key for i, _k in findings.broken}
    texts = {
        step.key: _Text(_lines(step.title or step.key), _lines(_subtitle(step)))
        for step in story.steps
    }
    index = {step.key: i for i, step in enumerate(story.steps)}
    nodes = [Node(f"n{i}", BOX_WIDTH, texts[step.key].height) for i, step in enumerate(story.steps)]
    edges = []
    for i, step in enumerate(story.steps):
        for k, choice in enumerate(step.choices):
            if choice.next_key in index:
                edges.append(Edge(f"c{i}_{k}", f"n{i}", f"n{index[choice.next_key]}"))
            else:
                nodes.append(Node(f"x{i}_{k}", 4, 4, invisible=True))
                edges.append(Edge(f"c{i}_{k}", f"n{i}", f"x{i}_{k}"))
    first = f"n{index[story.start_key]}" if story.start_key in index else None
    layout = dot_layout(nodes, edges, first, MARGIN) or _grid(story, texts)
    boxes = []
    for i, step in enumerate(story.steps):
        x, y = layout.corners[f"n{i}"]
        classes = ["box", f"box-ending box-{step.ending}" if step.is_ending else "box-scene"]
        if step.is_start:
            classes.append("box-start")
        if step.key in troubled:
            classes.append("box-problem")
        text = texts[step.key]
        baseline = y + PADDING + 12
        title = [Line(x + 10, baseline + n * TITLE_LINE, t) for n, t in enumerate(text.title)]
        baseline += TITLE_LINE * len(text.title)
        sub = [Line(x + 10, baseline + n * SUBTITLE_LINE, t) for n, t in enumerate(text.subtitle)]
        boxes.append(
            Box(
                step.id,
                x,
                y,
                BOX_WIDTH,
                text.height,
                tuple(title),
                tuple(sub),
                step.title or step.key,
                " ".join(classes),
            )
        )
    arrows = [
        _arrow(choice, layout.paths[f"c{i}_{k}"], choice.next_key in index)
        for i, step in enumerate(story.steps)
        for k, choice in enumerate(step.choices)
    ]
    return Picture(
        layout.width,
        layout.height,
        tuple(boxes),
        tuple(arrows),
        _outline(story, troubled),
        laid_out_by_dot=not isinstance(layout, _GridLayout),
    )


def _verdict(choice) -> str:
    return Verdict(choice.verdict).label if choice.verdict in Verdict.values else ""


def _arrow(choice, path: str, leads_somewhere: bool) -> Arrow:
    values = {"choice": choice.text, "verdict": _verdict(choice), "step": choice.next_key}
    if not leads_somewhere:
        label = _("%(choice)s (%(verdict)s) → leads nowhere") % values
        return Arrow(path, "edge edge-broken", "arrow-broken", label)
    label = _("%(choice)s (%(verdict)s) → %(step)s") % values
    return Arrow(path, f"edge edge-{choice.verdict}", f"arrow-{choice.verdict}", label)


def _outline(story: Story, troubled: set[str]) -> tuple[OutlineStep, ...]:
    """The graph as text, for whoever does not see the picture: each step, what kind it
    is, and where each of its choices leads."""
    by_key = {step.key: step for step in story.steps}
    outline = []
    for step in story.steps:
        kind = _subtitle(step) if step.is_ending else (_("Start") if step.is_start else "")
        choices = []
        for choice in step.choices:
            target = by_key.get(choice.next_key)
            choices.append(
                OutlineChoice(
                    choice.text,
                    _verdict(choice),
                    target.name if target else "",
                    target.id if target else None,
                )
            )
        outline.append(OutlineStep(step.id, step.name, kind, step.key in troubled, tuple(choices)))
    return tuple(outline)


class _GridLayout(Layout):
    """The fallback without Graphviz: columns by distance from the start, rows in order."""


def _grid(story: Story, texts: dict[str, _Text]) -> Layout:
    depth = layers(story.shapes(), story.start_key)
    last = max(depth.values(), default=-1) + 1
    column_of = {step.key: depth.get(step.key, last) for step in story.steps}
    row_height = max((text.height for text in texts.values()), default=0) + ROW_GAP
    rows: dict[int, int] = {}
    corners, place = {}, {}
    for i, step in enumerate(story.steps):
        column = column_of[step.key]
        row = rows.get(column, 0)
        rows[column] = row + 1
        x = MARGIN + column * (BOX_WIDTH + COLUMN_GAP)
        corners[f"n{i}"] = place[step.key] = (x, MARGIN + row * row_height)
    paths = {}
    for i, step in enumerate(story.steps):
        x, y = place[step.key]
        height = texts[step.key].height
        for k, choice in enumerate(step.choices):
            y1 = y + height * (k + 1) // (len(step.choices) + 1)
            x1 = x + BOX_WIDTH
            if choice.next_key not in place:
                paths[f"c{i}_{k}"] = f"M{x1},{y1} h{BROKEN_REACH}"
                continue
            tx, ty = place[choice.next_key]
            x2, y2 = tx, ty + texts[choice.next_key].height // 2
            middle = (x1 + x2) // 2
            paths[f"c{i}_{k}"] = f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}"
    columns = max(column_of.values(), default=0) + 1
    width = 2 * MARGIN + columns * BOX_WIDTH + (columns - 1) * COLUMN_GAP + BROKEN_REACH
    height = 2 * MARGIN + max(rows.values(), default=1) * row_height
    return _GridLayout(width, height, corners, paths)
