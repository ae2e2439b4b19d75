"""The rules of a story's graph, in one place for both the pack validator and the admin.

Both describe a scenario in the same small shape (`StepShape`): a pack's JSON in
`packs/rules.py`, a version in the database in `authoring/graph.py`. Each then words
the findings its own way: a pack problem names its place in the file, the admin names
the step in plain words.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StepShape:
    key: str
    is_ending: bool
    # Where each choice leads, in order; None when it leads to no step at all.
    next_keys: tuple[str | None, ...] = ()
    # The red-flag code of each message, in order; None for an innocent message.
    flags: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class GraphFindings:
    # (step index, choice index) of every choice that leads to no step of the story.
    broken: tuple[tuple[int, int], ...] = ()
    # Indexes of steps that cannot be reached from the start.
    unreachable: tuple[int, ...] = ()
    # Indexes of steps from which no ending can be reached.
    dead_ends: tuple[int, ...] = ()
    # A scam (not legitimate) without a single flagged message.
    scam_without_flag: bool = False
    # Whether the walk was made: only when every key is unique.
    walked: bool = field(default=False)


def _reachable(starts: set[str], edges: dict[str, list[str]]) -> set[str]:
    seen, queue = set(starts), list(starts)
    while queue:
        for key in edges.get(queue.pop(), ()):
            if key not in seen:
                seen.add(key)
                queue.append(key)
    return seen


def graph_findings(
    steps: Sequence[StepShape], *, start: str | None, legitimate: bool
) -> GraphFindings:
    """What is wrong with a story's graph, all of it at once.

    `start` is the start step's key, or None when the story has no valid start (then
    every step counts as a start, so only the steps that cannot reach an ending are named).
    A broken choice is named, and the walk goes on without it: a step no working choice
    leads to cannot be reached. For "no ending can be reached", a step with a broken
    choice counts as a way out, since the author is still choosing where it leads: only
    steps stuck whatever the broken choices become are named (a step whose only choice
    loops back to itself, a circle of steps with no way out).
    """
    keys = [step.key for step in steps]
    known = set(keys)
    broken = tuple(
        (i, k)
        for i, step in enumerate(steps)
        for k, target in enumerate(step.next_keys)
        if target is None or target not in known
    )
    scam_without_flag = not legitimate and not any(
        flag for step in steps if not step.is_ending for flag in step.flags
    )
    if len(known) != len(keys):
        return GraphFindings(broken=broken, scam_without_flag=scam_without_flag)
    edges = {step.key: [key for key in step.next_keys if key in known] for step in steps}
    backwards: dict[str, list[str]] = {}
    for key, targets in edges.items():
        for target in targets:
            backwards.setdefault(target, []).append(key)
    from_start = _reachable({start}, edges) if start in known else known
    ways_out = {steps[i].key for i, _k in broken} | {s.key for s in steps if s.is_ending}
    to_ending = _reachable(ways_out, backwards)
    return GraphFindings(
        broken=broken,
        unreachable=tuple(i for i, key in enumerate(keys) if key not in from_start),
        dead_ends=tuple(i for i, key in enumerate(keys) if key not in to_ending),
        scam_without_flag=scam_without_flag,
        walked=True,
    )


def layers(steps: Sequence[StepShape], start: str | None) -> dict[str, int]:
    """Each reachable step's distance from the start, in choices (breadth first)."""
    if start is None:
        return {}
    edges = {step.key: [key for key in step.next_keys if key] for step in steps}
    depth = {start: 0}
    queue = [start]
    for key in queue:
        for target in edges.get(key, ()):
            if target in edges and target not in depth:
                depth[target] = depth[key] + 1
                queue.append(target)
    return depth
