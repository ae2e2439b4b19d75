"""The picture of the story at the end of the debrief: every scene and ending as a dot, in
rows by distance from the start (top to bottom, so it fits a phone's width), the player's
own path drawn bold and numbered, the paths not taken faint, each ending coloured by its
outcome. The same layering as the author's picture (scenarios.story_graph.layers).

Only numbers are computed here; `play/_story_map.html` writes the SVG with autoescaping
on, coloured by classes in the static CSS, so the strict Content-Security-Policy holds. The
picture has a text twin on the page (the path in words, the endings not reached), which
is what a screen reader reads.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import get_language

from scenarios.content import MemoryCache, StepView, VersionContent, on_clear
from scenarios.story_graph import StepShape, layers
from trainer.play.answers import AnswerRow

# Rendered pictures of published versions, by version, path and language: a published
# version never changes, and a story has few paths, so most debriefs find theirs here.
_rendered = MemoryCache(2048)
on_clear(_rendered.clear)

WIDTH = 320
ROW = 64
MARGIN = 20
SCENE_RADIUS, ENDING_RADIUS = 11, 14


@dataclass(frozen=True)
class Dot:
    x: int
    y: int
    r: int
    classes: str
    title: str  # the step's title, as a tooltip
    number: str  # its place on the player's path ("1", "2"...), or ""


@dataclass(frozen=True)
class Line:
    path: str  # SVG path data: numbers only
    classes: str


@dataclass(frozen=True)
class PathStep:
    title: str
    choice_text: str
    verdict: str


@dataclass(frozen=True)
class StoryMap:
    width: int
    height: int
    dots: tuple[Dot, ...]
    lines: tuple[Line, ...]
    path: tuple[PathStep, ...]  # the scenes the player answered, in order
    ending: StepView
    endings_not_reached: tuple[StepView, ...]
    scenes: int


def story_map_build(content: VersionContent, answers: list[AnswerRow], ending_id: int) -> StoryMap:
    steps = list(content.steps.values())
    shapes = [
        StepShape(step.key, step.is_ending, tuple(c.next_key for c in step.choices))
        for step in steps
    ]
    depth = layers(shapes, content.start_key)
    rows: dict[int, list[StepView]] = {}
    for step in steps:
        if step.key in depth:
            rows.setdefault(depth[step.key], []).append(step)
    place = {}
    for row, members in rows.items():
        for i, step in enumerate(members):
            x = MARGIN + (WIDTH - 2 * MARGIN) * (2 * i + 1) // (2 * len(members))
            place[step.key] = (x, MARGIN + ENDING_RADIUS + row * ROW)

    ending = content.step_by_id(ending_id)
    visited = [content.step_by_id(answer.step_id).key for answer in answers] + [ending.key]
    number = {key: str(i + 1) for i, key in reversed(list(enumerate(visited)))}
    taken = set()
    path = []
    for answer in answers:
        step = content.step_by_id(answer.step_id)
        choice = step.choice(answer.choice_id)
        if choice is not None:
            taken.add((step.key, choice.next_key))
        path.append(
            PathStep(
                title=step.title or content.title,
                choice_text=choice.text if choice else "",
                verdict=choice.verdict if choice else "",
            )
        )

    lines = []
    for step in steps:
        for choice in step.choices:
            if step.key not in place or choice.next_key not in place:
                continue
            on_path = (step.key, choice.next_key) in taken
            classes = f"map-line map-{choice.verdict} " + ("taken" if on_path else "not-taken")
            lines.append(Line(_curve(place[step.key], place[choice.next_key]), classes))
    # The path goes on top of the lines not taken.
    lines.sort(key=lambda line: line.classes.endswith(" taken"))

    dots = []
    for step in steps:
        if step.key not in place:
            continue
        x, y = place[step.key]
        kind = f"map-ending map-ending-{step.ending}" if step.is_ending else "map-scene"
        seen = " visited" if step.key in number else ""
        here = " here" if step.key == ending.key else ""
        radius = ENDING_RADIUS if step.is_ending else SCENE_RADIUS
        title = step.title or content.title
        dots.append(
            Dot(x, y, radius, f"map-dot {kind}{seen}{here}", title, number.get(step.key, ""))
        )

    height = MARGIN * 2 + ENDING_RADIUS * 2 + max(rows, default=0) * ROW
    others = tuple(
        step for step in steps if step.is_ending and step.key != ending.key and step.key in place
    )
    scenes = sum(1 for step in steps if not step.is_ending and step.key in place)
    return StoryMap(WIDTH, height, tuple(dots), tuple(lines), tuple(path), ending, others, scenes)


def _curve(start: tuple[int, int], end: tuple[int, int]) -> str:
    (x1, y1), (x2, y2) = start, end
    if y2 > y1:
        middle = (y1 + y2) // 2
        return f"M{x1},{y1} C{x1},{middle} {x2},{middle} {x2},{y2}"
    if y2 == y1:
        # Along a row: a bow under both dots.
        low = y1 + ROW // 2
        return f"M{x1},{y1} C{x1},{low} {x2},{low} {x2},{y2}"
    # Back up the story (a loop): bow out to the side.
    side = 28 if x1 <= WIDTH // 2 else -28
    return f"M{x1},{y1} C{x1 - side},{y1} {x2 - side},{y2} {x2},{y2}"


def story_map_html(content: VersionContent, answers: list[AnswerRow], ending_id: int) -> str:
    """The picture of the story and its words (`play/_story_map.html`), rendered once per
    published version, path and language. It holds nothing of the player but their path."""
    key = (
        content.id,
        tuple((answer.step_id, answer.choice_id) for answer in answers),
        ending_id,
        get_language(),
    )

    def render() -> str:
        picture = story_map_build(content, answers, ending_id)
        return render_to_string("play/_story_map.html", {"map": picture, "content": content})

    return _rendered.get_or_make(key, render, keep=content.published)
