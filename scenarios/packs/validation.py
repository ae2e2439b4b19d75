"""Reading and checking scenario packs (docs/scenario-pack.md).

First the bytes must be UTF-8 JSON without repeated keys (`read_pack`). Then the
JSON Schema checks the shape and, only when the shape is right, the rules a
schema cannot say are checked: every `next` lands on a step, every step can be
reached and can reach an ending, keys are unique, flags are known
(`pack_problems`). Each problem starts with its place in the file, written the
way the documentation writes it: `scenarios[0].steps[3].choices[1].next`.
"""

import codecs
import json
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from jsonschema import Draft202012Validator, ValidationError

from .picture_rules import picture_problems
from .rules import Path_, Problem, path_order, place, problem_at, rule_problems, said

SCHEMA_PATH = Path(__file__).with_name("schema.json")


def _inlined(node: object, defs: dict, within: tuple[str, ...] = ()) -> object:
    """The schema with each `{"$ref": "#/$defs/name"}` (a description beside it at most)
    replaced by the definition it names (a definition that refers back to itself keeps its
    reference): jsonschema resolves no reference then, and checks a pack about twice as
    fast. The errors are the same."""
    if isinstance(node, list):
        return [_inlined(item, defs, within) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/") and set(node) <= {"$ref", "description", "title"}:
        name = ref.removeprefix("#/$defs/")
        return node if name in within else _inlined(defs[name], defs, within + (name,))
    return {
        key: value if key == "$defs" else _inlined(value, defs, within)
        for key, value in node.items()
    }


@cache
def pack_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(_inlined(schema, schema["$defs"]))


# Reading -----------------------------------------------------------------------------------


class _ObjectWithRepeatedKeys(dict):
    """A JSON object in which some key was written twice; found and reported after parsing."""

    repeated: list[str]


def _object_from_pairs(pairs: list[tuple[str, object]]) -> dict:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    flagged = _ObjectWithRepeatedKeys(obj)
    flagged.repeated = [
        key for key, count in Counter(key for key, _v in pairs).items() if count > 1
    ]
    return flagged


class _ConstantNotJson(ValueError):
    pass


def _refuse_constant(name: str) -> object:
    raise _ConstantNotJson(name)


def _repeated_keys(data: object) -> Iterator[Path_]:
    # A loop rather than recursion: the parser accepts deeper nesting than a recursive walk would.
    stack: list[tuple[Path_, object]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _ObjectWithRepeatedKeys):
            yield from (path + (key,) for key in value.repeated)
        if isinstance(value, dict):
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))


def read_pack(raw: bytes, *, name: str) -> tuple[dict | None, list[str]]:
    """Parse a pack file; on failure return (None, problems), each starting with `name`."""
    # Editors on Windows may start UTF-8 files with a byte-order mark; it carries no content.
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8")) + 1
        message = _(
            "%(name)s: line %(line)d, column %(column)d: not UTF-8 text (byte 0x%(byte)02x); "
            "save the file as UTF-8"
        )
        values = {"name": name, "line": line, "column": column, "byte": raw[error.start]}
        return None, [message % values]
    try:
        data = json.loads(
            text, object_pairs_hook=_object_from_pairs, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        message = _("%(name)s: line %(line)d, column %(column)d: not valid JSON (%(reason)s)")
        values = {"name": name, "line": error.lineno, "column": error.colno, "reason": error.msg}
        return None, [message % values]
    except _ConstantNotJson as error:
        message = _("%(name)s: not valid JSON (%(constant)s is not a JSON number)")
        return None, [message % {"name": name, "constant": error}]
    except RecursionError:
        return None, [_("%(name)s: not valid JSON (nested too deeply)") % {"name": name}]
    repeated = sorted(_repeated_keys(data), key=lambda path: path_order(path, data))
    if repeated:
        message = _("%(name)s: %(place)s: this key is written more than once in one object")
        return None, [message % {"name": name, "place": place(path)} for path in repeated]
    return data, []


# The shape (JSON Schema) -------------------------------------------------------------------


def _type_name(name: str) -> str:
    names = {
        "string": _("text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "boolean": _("true or false"),
        "array": _("a list"),
        "object": _("an object"),
    }
    return names.get(name, name)


def _json_type(value: object) -> str:
    kinds = [("boolean", bool), ("integer", int), ("number", float), ("string", str)]
    kinds += [("array", list), ("object", dict)]
    return next((name for name, kind in kinds if isinstance(value, kind)), "null")


def _explain(error: ValidationError) -> Iterator[Problem]:
    """Turn one jsonschema error into plain phrases at their places."""
    path: Path_ = tuple(error.absolute_path)
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        for field in expected:
            if field not in value:
                yield problem_at(path, _('missing required field "%(field)s"') % {"field": field})
    elif kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        message = _("unknown field; the fields here are %(fields)s")
        for field in value:
            if field not in allowed:
                yield problem_at(path + (field,), message % {"fields": ", ".join(allowed)})
    elif kind == "type":
        wanted = [expected] if isinstance(expected, str) else expected
        message = _("wrong type: expected %(expected)s, got %(actual)s")
        values = {
            "expected": _(" or ").join(_type_name(name) for name in wanted),
            "actual": _type_name(_json_type(value)),
        }
        yield problem_at(path, message % values)
    elif kind == "enum":
        message = _("%(value)s is not one of %(options)s")
        values = {"value": said(value), "options": ", ".join(str(item) for item in expected)}
        yield problem_at(path, message % values)
    elif kind == "const":
        message = _("must be %(expected)s, not %(value)s")
        yield problem_at(path, message % {"expected": said(expected), "value": said(value)})
    elif kind in ("minLength", "minProperties"):
        yield problem_at(path, _("must not be empty"))
    elif kind == "maxLength":
        yield problem_at(path, _("is too long: at most %(limit)d characters") % {"limit": expected})
    elif kind == "minItems":
        message = ngettext(
            "needs at least %(count)d item", "needs at least %(count)d items", expected
        )
        yield problem_at(path, message % {"count": expected})
    elif kind == "maxItems":
        yield problem_at(path, _("has too many items: at most %(count)d") % {"count": expected})
    elif kind == "pattern":
        message = _(
            '%(value)s is not a valid key: use small Latin letters, digits, "-" and "_", '
            "starting with a letter or a digit"
        )
        yield problem_at(path, message % {"value": said(value)})
    elif kind == "uniqueItems":
        yield problem_at(path, _("lists the same item more than once"))
    elif kind in ("minimum", "maximum"):
        message = (
            _("must be at least %(limit)s") if kind == "minimum" else _("must be at most %(limit)s")
        )
        yield problem_at(path, message % {"limit": expected})
    else:
        yield problem_at(path, error.message)


# Schema errors after which the rules can still read the part: a wrong plain value, a
# list of the wrong length, an extra field. Any other error (a missing field, a wrong
# type) makes its part unreadable.
_WRONG_VALUE = {"enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum"}
_WRONG_SIZE = {"minItems", "maxItems", "uniqueItems", "additionalProperties"}


def _unreadable_parts(errors: list[ValidationError]) -> set[Path_]:
    """The scenarios, modules and red-flag types (as ("scenarios", i) and so on) that the
    rules cannot read; () when the pack itself cannot be read."""
    parts: set[Path_] = set()
    for error in errors:
        if error.validator in _WRONG_SIZE:
            continue
        if error.validator in _WRONG_VALUE and isinstance(error.instance, str | int | float):
            continue
        path = tuple(error.absolute_path)
        parts.add(path[:2] if len(path) >= 2 else ())
    return parts


# A NUL character and half of a surrogate pair are no letters: PostgreSQL refuses the first,
# UTF-8 cannot hold the second (JSON can write both, as "\u0000" and "\ud800").
_NOT_A_LETTER = re.compile("[\x00\ud800-\udfff]")


def _character_problems(data: object) -> Iterator[Problem]:
    """Every text or field name holding a character no database stores alike."""
    message = _(
        "holds %(character)s, which is not a letter (a NUL character or half of a "
        "surrogate pair): remove it"
    )
    stack: list[tuple[Path_, object]] = [((), data)]
    while stack:
        path, value = stack.pop()
        texts: list[tuple[Path_, str]] = []
        if isinstance(value, dict):
            texts = [(path + (key,), key) for key in value]
            stack.extend((path + (key,), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((path + (index,), item) for index, item in enumerate(value))
        elif isinstance(value, str):
            texts = [(path, value)]
        for at, text in texts:
            found = _NOT_A_LETTER.search(text)
            if found:
                yield problem_at(at, message % {"character": f"\\u{ord(found.group()):04x}"})


def printable(text: str) -> str:
    """A problem as it can be printed and stored: a stray surrogate or NUL quoted in a pack is
    written as its escape, never as itself."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("\x00", "\\u0000")


def pack_problems(
    data: object, *, known_flag_codes: set[str], known_scenarios: set[tuple[str, str]]
) -> list[str]:
    """Everything wrong with a parsed pack, in file order; an empty list means it can be imported.

    `known_flag_codes` and `known_scenarios` (slug, language) are those that exist
    outside this pack: in the database or in other packs imported with it.
    """
    errors = list(pack_validator().iter_errors(data))
    problems = [problem for error in errors for problem in _explain(error)]
    problems += _character_problems(data)
    unreadable = _unreadable_parts(errors)
    if () not in unreadable:
        # The rules still check every scenario and module the schema left readable,
        # so an author sees every problem of the pack at once.
        problems += rule_problems(data, known_flag_codes, known_scenarios, skip=unreadable)
        problems += [
            problem
            for i, scenario in enumerate(data["scenarios"])
            if ("scenarios", i) not in unreadable
            for problem in picture_problems(scenario, ("scenarios", i))
        ]
    problems.sort(key=lambda problem: path_order(problem[0], data))
    return list(dict.fromkeys(printable(text) for _path, text in problems))


@cache
def _guide_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    wrapper = {"type": "object", "properties": {"guide": {"$ref": "#/$defs/guide"}}}
    return Draft202012Validator(wrapper | {"$defs": schema["$defs"]})


def guide_problems(guide: object) -> list[str]:
    """What is wrong with a module's guide on its own, as the pack's schema says; places start
    at `guide` (the admin checks a guide typed there the way an import checks a pack's)."""
    data = {"guide": guide}
    errors = list(_guide_validator().iter_errors(data))
    problems = [problem for error in errors for problem in _explain(error)]
    problems += _character_problems(data)
    problems.sort(key=lambda problem: path_order(problem[0], data))
    return list(dict.fromkeys(printable(text) for _path, text in problems))


def _declared(pack: object, key: str) -> list[dict]:
    """The objects under `key`, read without trusting the pack's shape (it is not checked yet)."""
    items = pack.get(key) if isinstance(pack, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _name(item: dict) -> tuple[str, str] | None:
    slug, language = item.get("slug"), item.get("language")
    return (slug, language) if isinstance(slug, str) and isinstance(language, str) else None


def packs_problems(
    packs: list[tuple[str, object]],
    *,
    known_flag_codes: set[str],
    known_scenarios: set[tuple[str, str]],
) -> list[str]:
    """Everything wrong with packs imported together, each problem starting with its pack's name.

    A pack may use the flag types and scenarios of the others; a scenario or
    module must not be in two of them.
    """
    flag_codes, scenarios = set(known_flag_codes), set(known_scenarios)
    for _pack_name, pack in packs:
        flag_types = _declared(pack, "red_flag_types")
        flag_codes |= {item["code"] for item in flag_types if isinstance(item.get("code"), str)}
        scenarios |= {_name(item) for item in _declared(pack, "scenarios")} - {None}
    problems = []
    for pack_name, pack in packs:
        found = pack_problems(pack, known_flag_codes=flag_codes, known_scenarios=scenarios)
        problems += [f"{pack_name}: {problem}" for problem in found]
    message = _('%(pack)s: %(place)s: "%(slug)s" in "%(language)s" is also in %(other)s')
    for key in ("scenarios", "modules"):
        first_pack: dict[tuple[str, str], str] = {}
        for pack_name, pack in packs:
            names = [_name(item) for item in _declared(pack, key)]
            for index, name in enumerate(names):
                if name in first_pack:
                    values = {
                        "pack": pack_name,
                        "place": place((key, index)),
                        "other": first_pack[name],
                    }
                    values |= {"slug": name[0], "language": name[1]}
                    problems.append(message % values)
            first_pack |= {name: pack_name for name in names if name and name not in first_pack}
    return [printable(problem) for problem in problems]
