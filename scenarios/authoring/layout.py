"""Where the story picture's boxes and arrows go: a layered graph layout by Graphviz's `dot`.

`dot` (Debian's graphviz package) ranks the steps from the start, orders each rank to
cross few arrows and routes every arrow as a spline around the boxes. It is given only
numbers: node ids and box sizes, never an author's text, so nothing needs escaping on the
way in; what comes back (JSON) is read for coordinates only, and the SVG is written by our
own template. Without `dot`, or when it fails, `dot_layout` returns None and the picture
falls back to a simple grid.
"""

import json
import logging
import shutil
import subprocess
from dataclasses import dataclass

log = logging.getLogger(__name__)

DOT_SECONDS = 5
POINTS_PER_INCH = 72  # dot measures in points and inches; one point is drawn as one pixel


@dataclass(frozen=True)
class Node:
    name: str
    width: int
    height: int
    invisible: bool = False  # the far end of a choice that leads nowhere


@dataclass(frozen=True)
class Edge:
    name: str
    tail: str
    head: str


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    corners: dict[str, tuple[int, int]]  # each node's top-left corner
    paths: dict[str, str]  # each edge's SVG path data, ending on the head's border


def dot_path() -> str | None:
    return shutil.which("dot")


def dot_source(nodes: list[Node], edges: list[Edge], first: str | None) -> str:
    lines = [
        "digraph story {",
        "rankdir=LR; nodesep=0.3; ranksep=0.8; splines=true;",
        'node [shape=box fixedsize=true label=""];',
    ]
    for node in nodes:
        if node.invisible:
            lines.append(f"{node.name} [shape=point style=invis width=0.05 height=0.05];")
        else:
            width, height = node.width / POINTS_PER_INCH, node.height / POINTS_PER_INCH
            lines.append(f"{node.name} [width={width:.3f} height={height:.3f}];")
    if first:
        lines.append(f"{{rank=min; {first};}}")
    lines += [f"{edge.tail} -> {edge.head} [id={edge.name}];" for edge in edges]
    lines.append("}")
    return "\n".join(lines)


def dot_layout(
    nodes: list[Node], edges: list[Edge], first: str | None, margin: int
) -> Layout | None:
    """The layout `dot` makes of these nodes (names are safe ids) and edges, or None."""
    dot = dot_path()
    if not nodes or dot is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 (a fixed program; its input is ids and numbers)
            [dot, "-Tjson"],
            input=dot_source(nodes, edges, first),
            capture_output=True,
            text=True,
            timeout=DOT_SECONDS,
            check=True,
        )
        return _read(json.loads(done.stdout), nodes, margin)
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as error:
        log.warning("dot could not lay out the story picture: %s", error)
        return None


def _read(graph: dict, nodes: list[Node], margin: int) -> Layout:
    _x0, _y0, right, top = (float(n) for n in graph["bb"].split(","))

    def point(text: str) -> tuple[int, int]:
        x, y = (float(n) for n in text.split(","))
        return round(x) + margin, round(top - y) + margin  # dot's y grows upwards

    size = {node.name: node for node in nodes}
    corners = {}
    for item in graph.get("objects", ()):
        node = size.get(item["name"])
        if node is not None:
            x, y = point(item["pos"])
            corners[node.name] = (x - node.width // 2, y - node.height // 2)
    paths = {}
    for item in graph.get("edges", ()):
        end, points = None, []
        for token in item["pos"].split():
            if token.startswith("e,"):
                end = point(token[2:])
            elif not token.startswith("s,"):
                points.append(point(token))
        path = f"M{points[0][0]},{points[0][1]}"
        for i in range(1, len(points) - 2, 3):
            (a, b), (c, d), (e, f) = points[i : i + 3]
            path += f" C{a},{b} {c},{d} {e},{f}"
        if end is not None:
            path += f" L{end[0]},{end[1]}"
        paths[item["id"]] = path
    return Layout(round(right) + 2 * margin, round(top) + 2 * margin, corners, paths)
