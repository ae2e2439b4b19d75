"""A picture of the story: steps as boxes in layers by distance from the start, choices as
arrows coloured by verdict, endings coloured by outcome, broken links drawn to stand out.

Only the geometry is computed here (numbers); the SVG is written by a template with
autoescaping on (`admin/scenarios/_story_picture.html`), so an author's text is always
text, and coloured by classes in the static CSS, so a strict Content-Security-Policy holds.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from scenarios.models import Ending, Verdict
from scenarios.story_graph import graph_findings, layers

from .story import Story, StoryStep

BOX_WIDTH, BOX_HEIGHT = 180, 56
COLUMN_GAP, ROW_GAP, MARGIN = 80, 28, 16
BROKEN_REACH = 44  # how far a link to nowhere sticks out of its box
LABEL_CHARACTERS = 22


@dataclass(frozen=True)
class Box:
    step_id: int
    x: int
    y: int
    title: str  # cut to fit the box; `full_title` says it all in a tooltip
    full_title: str
    subtitle: str
    classes: str


@dataclass(frozen=True)
class Arrow:
    path: str  # SVG path data: numbers only
    classes: str
    marker: str  # the id of the arrow head, one per verdict
    label: str


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]

    markers = ("safe", "risky", "harmful", "broken")

    @property
    def box_width(self) -> int:
        return BOX_WIDTH

    @property
    def box_height(self) -> int:
        return BOX_HEIGHT


def _cut(text: str, limit: int = LABEL_CHARACTERS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _columns(story: Story) -> dict[str, int]:
    """Each step's column: its distance from the start; unreachable steps in a last column."""
    depth = layers(story.shapes(), story.start_key)
    last = max(depth.values(), default=-1) + 1
    return {step.key: depth.get(step.key, last) for step in story.steps}


def _subtitle(step: StoryStep) -> str:
    if step.is_ending:
        return _("Ending: %(outcome)s") % {"outcome": Ending(step.ending).label}
    if step.is_start:
        return _("Start · %(key)s") % {"key": step.key}
    return step.key


def picture_build(story: Story) -> Picture:
    column_of = _columns(story)
    findings = graph_findings(story.shapes(), start=story.start_key, legitimate=story.legitimate)
    troubled = {story.steps[i].key for i in (*findings.unreachable, *findings.dead_ends)}
    troubled |= {story.steps[i].key for i, _k in findings.broken}
    rows: dict[int, int] = {}
    place: dict[str, tuple[int, int]] = {}
    boxes = []
    for step in story.steps:
        column = column_of[step.key]
        row = rows.get(column, 0)
        rows[column] = row + 1
        x = MARGIN + column * (BOX_WIDTH + COLUMN_GAP)
        y = MARGIN + row * (BOX_HEIGHT + ROW_GAP)
        place[step.key] = (x, y)
        classes = ["box", f"box-ending box-{step.ending}" if step.is_ending else "box-scene"]
        if step.is_start:
            classes.append("box-start")
        if step.key in troubled:
            classes.append("box-problem")
        title = step.title or step.key
        boxes.append(
            Box(step.id, x, y, _cut(title), title, _cut(_subtitle(step)), " ".join(classes))
        )
    arrows = [
        _arrow(step, k, choice, place, column_of)
        for step in story.steps
        for k, choice in enumerate(step.choices)
    ]
    columns = max(column_of.values(), default=0) + 1
    width = 2 * MARGIN + columns * BOX_WIDTH + (columns - 1) * COLUMN_GAP + BROKEN_REACH
    height = 2 * MARGIN + max(rows.values(), default=1) * (BOX_HEIGHT + ROW_GAP) + BOX_HEIGHT
    return Picture(width, height, tuple(boxes), tuple(arrows))


def _arrow(step: StoryStep, k: int, choice, place, column_of) -> Arrow:
    x, y = place[step.key]
    # The choices leave the box's right side one under another, in their order.
    y1 = y + BOX_HEIGHT * (k + 1) // (len(step.choices) + 1)
    x1 = x + BOX_WIDTH
    verdict = Verdict(choice.verdict).label if choice.verdict in Verdict.values else ""
    if choice.next_key is None or choice.next_key not in place:
        label = _("%(choice)s (%(verdict)s) → leads nowhere") % {
            "choice": choice.text,
            "verdict": verdict,
        }
        path = f"M{x1},{y1} h{BROKEN_REACH}"
        return Arrow(path, "edge edge-broken", "arrow-broken", label)
    label = _("%(choice)s (%(verdict)s) → %(step)s") % {
        "choice": choice.text,
        "verdict": verdict,
        "step": choice.next_key,
    }
    tx, ty = place[choice.next_key]
    classes = f"edge edge-{choice.verdict}"
    marker = f"arrow-{choice.verdict}"
    if column_of[choice.next_key] > column_of[step.key]:
        x2, y2 = tx, ty + BOX_HEIGHT // 2
        middle = (x1 + x2) // 2
        return Arrow(f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}", classes, marker, label)
    # Back to an earlier column (a loop) or within one: round under both boxes.
    x2, y2 = tx + BOX_WIDTH // 2, ty + BOX_HEIGHT
    low = max(y, ty) + BOX_HEIGHT + ROW_GAP // 2 + 6
    path = f"M{x1},{y1} C{x1 + COLUMN_GAP // 2},{y1} {x1 + COLUMN_GAP // 2},{low} {x1},{low} "
    path += f"L{x2},{low} L{x2},{y2}"
    return Arrow(path, classes + " edge-back", marker, label)
