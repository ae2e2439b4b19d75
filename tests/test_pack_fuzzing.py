"""Property-based fuzzing of pack import (issue 12, "beyond the list"): the built-in packs in
content/, mutated at random, are imported into a database holding all of them. Whatever
the mutation, the import either succeeds and every scenario of the pack plays (its first
step's page answers 200), or it is refused with every problem placed ("file: place: what")
and the database unchanged. Never a traceback.

The reading of any bytes and the checking of any value at any place without a database
are fuzzed in tests/test_pack_validation.py; this file goes on to the writes and the play.

SAQ_FUZZ_EXAMPLES sets the number of examples (default 2000, well within a minute on an
idle machine); e.g. `SAQ_FUZZ_EXAMPLES=20000 pytest tests/test_pack_fuzzing.py`.
"""

import io
import json
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.content import clear_cache
from scenarios.models import Scenario
from scenarios.packs.importer import PackRejected, pack_import
from scenarios.packs.validation import read_pack

CONTENT = Path(__file__).resolve().parent.parent / "content"
PACK_FILES = sorted(CONTENT.glob("*.json"))
PACKS = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in PACK_FILES}
EXAMPLES = int(os.environ.get("SAQ_FUZZ_EXAMPLES", "2000"))
TOP_LEVEL = ("format", "version", "red_flag_types", "scenarios", "modules", "top level")
PLACED = re.compile(r"^(?P<file>[^:\n]+): (?P<place>[^\n]+?): \S", re.DOTALL)


def _places(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, path + (index,))


PLACES = {name: list(_places(pack))[1:] for name, pack in PACKS.items()}

# What authors and attackers type: values of the wrong kind and texts that broke Saq once.
NASTY_TEXTS = st.sampled_from(
    [
        "",
        " ",
        "rt-newline\n",
        "a\n",
        "Blocked\x00",
        "\ud800",
        "x" * 5000,
        "<script>alert(1)</script>",
        "\u202eRTL",
        "😀",
        "王小明",
        "scam-card-code",
        "ghost-step",
        "safe",
        "kk",
    ]
)
NASTY_NUMBERS = st.sampled_from([0, -1, 1, 5, 121, 2**31, 2**63, 10**19, 1e300, 1.5, 2.0])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | NASTY_NUMBERS | st.text(max_size=8) | NASTY_TEXTS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _mutate(pack, path, kind: str, value):
    """One change at `path`: set it, delete it, repeat a list's item, or add to a text."""
    parent = pack
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if kind == "set":
        parent[last] = value
    elif kind == "delete":
        del parent[last]
    elif kind == "repeat" and isinstance(parent, list):
        parent.insert(last, json.loads(json.dumps(parent[last])))
    elif kind == "repeat":
        parent[last] = value
    elif kind == "retext" and isinstance(parent[last], str):
        parent[last] += value if isinstance(value, str) else json.dumps(value)
    elif kind == "retext":
        parent[last] = value


@st.composite
def mutated_packs(draw):
    name = draw(st.sampled_from(sorted(PACKS)))
    pack = json.loads(json.dumps(PACKS[name]))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = list(_places(pack))[1:]
        if not places:
            break
        path = draw(st.sampled_from(places))
        kind = draw(st.sampled_from(["set", "delete", "repeat", "retext", "retext"]))
        value = draw(st.text(max_size=12) | NASTY_TEXTS if kind == "retext" else JSON_VALUES)
        _mutate(pack, path, kind, value)
    return name, pack


def _database_state() -> dict:
    return {m.__name__: m.objects.count() for m in apps.get_app_config("scenarios").get_models()}


def _first_step_answers(client: Client, pack: dict) -> None:
    for data in pack.get("scenarios", ()):
        scenario = Scenario.objects.get(slug=data["slug"], language=data["language"])
        started = client.post(reverse("scenario_start", args=[scenario.slug, scenario.language]))
        assert started.status_code == 303, (data["slug"], started.status_code)
        assert client.get(started.url).status_code == 200, data["slug"]


class _Undo(Exception):
    """Raised to roll an example's import back, so each example starts from the same data."""


@pytest.mark.django_db
def test_a_mutated_builtin_pack_imports_and_plays_or_is_refused_by_place():
    call_command("import_scenarios", *map(str, PACK_FILES), stdout=io.StringIO())
    outcomes = {"imported": 0, "refused": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,  # a busy machine is not a failure
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(mutated_packs())
    def import_one(mutated):
        name, pack = mutated
        data, problems = read_pack(json.dumps(pack).encode(), name=name)
        assert problems == [] and data is not None
        before = _database_state()
        try:
            with transaction.atomic():
                try:
                    pack_import(packs=[(name, data)])
                except PackRejected as rejected:
                    outcomes["refused"] += 1
                    assert rejected.problems
                    for problem in rejected.problems:
                        placed = PLACED.match(problem)
                        assert placed and placed["file"] == name, problem
                        assert placed["place"].startswith(TOP_LEVEL), problem
                    assert _database_state() == before
                    raise _Undo from None
                outcomes["imported"] += 1
                clear_cache()
                _first_step_answers(Client(), data)
                raise _Undo
        except _Undo:
            pass
        finally:
            clear_cache()

    import_one()
    # Both ways were taken: the mutations are not all refused, nor all harmless.
    assert outcomes["imported"] > 0 and outcomes["refused"] > 0, outcomes
