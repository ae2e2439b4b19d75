"""The rules of a scenario pack that its JSON Schema cannot say (docs/scenario-pack.md, "Rules").

They run only on a pack whose shape the schema has accepted, so fields can be
read without checking their types. Also here: how a problem names its place
in the file, shared with the schema's messages in validation.py.
"""

import json
import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from scenarios.check_pool import PoolEntry, pool_shortfall_of
from scenarios.message_kinds import TEXT, detail_problems, flag_part_problem
from scenarios.story_graph import StepShape, graph_findings

# A place in the file: ("scenarios", 0, "steps", 3) is scenarios[0].steps[3].
Path_ = tuple[str | int, ...]
# A problem's place and its text ("place: what is wrong"); the place sorts the list in file order.
Problem = tuple[Path_, str]

_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def place(path: Path_) -> str:
    """("scenarios", 0, "steps", 3) -> "scenarios[0].steps[3]"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_NAME.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text or _("top level")


def said(value: object, limit: int = 60) -> str:
    """A value as it is written in JSON, cut short when long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem_at(path: Path_, message: str, label: str = "") -> Problem:
    """A problem written "place: what is wrong"; `label` names a step after its place."""
    return path, f"{place(path)}{label}: {message}"


def path_order(path: Path_, data: object) -> tuple[int, ...]:
    """Where a place comes in the file: fields in the order they were written, items by index."""
    order, node = [], data
    for part in path:
        if isinstance(node, dict) and part in node:
            order.append(list(node).index(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            order.append(part)
            node = node[part]
        else:
            order.append(len(node) if isinstance(node, dict | list) else 0)
            node = None
    return tuple(order)


def _already(path: Path_, what: str, first: str) -> Problem:
    return problem_at(path, _("%(what)s is already at %(first)s") % {"what": what, "first": first})


def _unknown_flag(path: Path_, code: str) -> Problem:
    message = _('unknown red-flag type "%(code)s": add it to red_flag_types or import it first')
    return problem_at(path, message % {"code": code})


# A message's own fields (a picture's `image` and `alt` among them: any message may show
# one); every other field of a message is one of its kind's.
MESSAGE_FIELDS = frozenset(
    {"key", "kind", "text", "flag", "flag_part", "explanation", "image", "alt"}
)
# What version 1 of the format cannot say, by where it is written.
_NEW_IN_2 = {"message": {"kind", "flag_part"}, "step": {"channel"}, "choice": {"says"}}


def message_details(message: dict) -> dict:
    """The fields of a pack message's kind (a link's url...), as Message.details keeps them."""
    return {name: value for name, value in message.items() if name not in MESSAGE_FIELDS}


def _message_problems(item: dict, here: Path_, version: int) -> Iterator[Problem]:
    details = message_details(item)
    if version < 2:
        for name in sorted((_NEW_IN_2["message"] & set(item)) | set(details)):
            yield problem_at(here + (name,), _("needs version 2 of the pack format"))
        return
    kind = item.get("kind", TEXT)
    for name, problem in detail_problems(kind, item.get("text", ""), details):
        yield problem_at(here + (name,), f"{problem} ({said(kind)})")
    part_problem = flag_part_problem(
        kind, item.get("text", ""), item.get("flag_part", ""), "flag" in item
    )
    if part_problem:
        yield problem_at(here + ("flag_part" if "flag_part" in item else "flag",), part_problem)


def _version_2_problems(step: dict, here: Path_) -> Iterator[Problem]:
    """A version 1 pack using what only version 2 can say, on a step or its choices."""
    for name in sorted(_NEW_IN_2["step"] & set(step)):
        yield problem_at(here + (name,), _("needs version 2 of the pack format"))
    if "handle" in (step.get("sender") or {}):
        yield problem_at(here + ("sender", "handle"), _("needs version 2 of the pack format"))
    for k, choice in enumerate(step.get("choices", ())):
        for name in sorted(_NEW_IN_2["choice"] & set(choice)):
            yield problem_at(here + ("choices", k, name), _("needs version 2 of the pack format"))


def _scenario_problems(
    scenario: dict, at: Path_, flag_codes: set[str], version: int = 2
) -> Iterator[Problem]:
    steps = scenario["steps"]
    step_index: dict[str, int] = {}
    message_place: dict[str, str] = {}
    for j, step in enumerate(steps):
        here = at + ("steps", j)
        if step["key"] in step_index:
            first = place(at + ("steps", step_index[step["key"]]))
            yield _already(here + ("key",), said(step["key"]), first)
        step_index.setdefault(step["key"], j)
        if version < 2:
            yield from _version_2_problems(step, here)
        for k, item in enumerate(step.get("messages", ())):
            yield from _message_problems(item, here + ("messages", k), version)
            if item["key"] in message_place:
                yield _already(
                    here + ("messages", k, "key"), said(item["key"]), message_place[item["key"]]
                )
            message_place.setdefault(item["key"], place(here + ("messages", k)))
            if "flag" in item and item["flag"] not in flag_codes:
                yield _unknown_flag(here + ("messages", k, "flag"), item["flag"])
    start = scenario["start"]
    shapes = [
        StepShape(
            key=step["key"],
            is_ending="ending" in step,
            next_keys=tuple(choice["next"] for choice in step.get("choices", ())),
            flags=tuple(item.get("flag") for item in step.get("messages", ())),
        )
        for step in steps
    ]
    found = graph_findings(
        shapes, start=start if start in step_index else None, legitimate=scenario["legitimate"]
    )
    for j, k in found.broken:
        path = at + ("steps", j, "choices", k, "next")
        yield problem_at(path, _('no step "%(key)s"') % {"key": steps[j]["choices"][k]["next"]})
    if found.scam_without_flag:
        yield problem_at(at, _("a scam (legitimate: false) needs at least one message with a flag"))
    if start not in step_index:
        yield problem_at(at + ("start",), _('no step "%(key)s"') % {"key": start})
    for j in sorted(set(found.unreachable) | set(found.dead_ends)):
        label = f" ({said(steps[j]['key'])})"  # as JSON: a newline in a key shows as \n
        if j in found.unreachable:
            message = _('cannot be reached from start "%(start)s"') % {"start": start}
            yield problem_at(at + ("steps", j), message, label)
        if j in found.dead_ends:
            yield problem_at(at + ("steps", j), _("no ending can be reached from this step"), label)


def rule_problems(
    pack: dict,
    known_flag_codes: set[str],
    known_scenarios: set[tuple[str, str]],
    *,
    skip: set[Path_] = frozenset(),
) -> Iterator[Problem]:
    """What breaks the rules in a pack; flags and scenarios may be known outside it.

    The parts in `skip` (("scenarios", 2), ("modules", 0)...) failed the schema in a way
    that leaves them unreadable: they are not checked, but the codes and names they give
    still count, so the other parts are not blamed for them.
    """
    flag_codes = set(known_flag_codes)
    first_code: dict[str, int] = {}
    for i, flag_type in enumerate(pack.get("red_flag_types", ())):
        code = flag_type.get("code") if isinstance(flag_type, dict) else None
        if ("red_flag_types", i) in skip:
            flag_codes |= {code} if isinstance(code, str) else set()
            continue
        if code in first_code:
            yield _already(
                ("red_flag_types", i, "code"),
                said(code),
                place(("red_flag_types", first_code[code])),
            )
        first_code.setdefault(code, i)
        flag_codes.add(code)
    # A version the schema refused ("2", 3) is read as the latest: its own problem is said.
    format_version = pack.get("version", 1)
    if format_version not in (1, 2) or isinstance(format_version, bool):
        format_version = 2
    first_scenario: dict[tuple[str, str], int] = {}
    for i, scenario in enumerate(pack["scenarios"]):
        if ("scenarios", i) in skip:
            known_scenarios = known_scenarios | _name_of(scenario)
            continue
        yield from _repeated_name(scenario, ("scenarios", i), first_scenario)
        yield from _scenario_problems(scenario, ("scenarios", i), flag_codes, format_version)
    scenarios = known_scenarios | set(first_scenario)
    first_module: dict[tuple[str, str], int] = {}
    for i, module in enumerate(pack.get("modules", ())):
        if ("modules", i) in skip:
            continue
        yield from _repeated_name(module, ("modules", i), first_module)
        yield from _module_problems(module, ("modules", i), flag_codes, scenarios)


def _repeated_name(item: dict, at: Path_, first: dict[tuple[str, str], int]) -> Iterator[Problem]:
    """A scenario or module whose slug and language an earlier one of its kind has already."""
    name = (item["slug"], item["language"])
    if name in first:
        what = _('"%(slug)s" in "%(language)s"') % {"slug": name[0], "language": name[1]}
        yield _already(at, what, place((at[0], first[name])))
    first.setdefault(name, at[1])


def _name_of(scenario: object) -> set[tuple[str, str]]:
    """A scenario's (slug, language), if it gives both as text."""
    if isinstance(scenario, dict):
        slug, language = scenario.get("slug"), scenario.get("language")
        if isinstance(slug, str) and isinstance(language, str):
            return {(slug, language)}
    return set()


def _module_problems(
    module: dict, at: Path_, flag_codes: set[str], scenarios: set[tuple[str, str]]
) -> Iterator[Problem]:
    listed: dict[str, int] = {}
    for k, slug in enumerate(module["scenarios"]):
        if slug in listed:
            yield _already(
                at + ("scenarios", k), said(slug), place(at + ("scenarios", listed[slug]))
            )
        elif (slug, module["language"]) not in scenarios:
            message = _('no scenario "%(slug)s" in "%(language)s" in this pack or in the database')
            yield problem_at(
                at + ("scenarios", k), message % {"slug": slug, "language": module["language"]}
            )
        listed.setdefault(slug, k)
    item_keys: dict[str, int] = {}
    for k, item in enumerate(module.get("check_items", ())):
        here = at + ("check_items", k)
        if item["key"] in item_keys:
            yield _already(
                here + ("key",),
                said(item["key"]),
                place(at + ("check_items", item_keys[item["key"]])),
            )
        item_keys.setdefault(item["key"], k)
        if "flag" in item and item["flag"] not in flag_codes:
            yield _unknown_flag(here + ("flag",), item["flag"])
    size = module.get("check_size")
    # A size the schema refused is reported by it alone.
    if type(size) is int and 2 <= size <= 100 and module.get("check_items"):
        short = pool_shortfall(module["check_items"], module["check_size"])
        if short:
            yield problem_at(at + ("check_size",), short)


def pool_shortfall(items: list[dict], check_size: int) -> str:
    """What a module's pool lacks for checks of `check_size`, in words; "" when nothing."""
    pool = [PoolEntry(k, item["legitimate"], item.get("form", "")) for k, item in enumerate(items)]
    return pool_shortfall_of(pool, check_size)
