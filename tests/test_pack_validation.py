"""A pack with a problem is refused whole, each problem named by its place in the file.

The places are written the way docs/scenario-pack.md writes them, e.g.
`scenarios[0].steps[3].choices[1].next`.
"""

import copy
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.packs.exporter import pack_export
from scenarios.packs.validation import pack_problems, packs_problems, read_pack

PACKS = Path(__file__).parent / "packs"
OUTSIDER = json.loads((PACKS / "outsider.json").read_text(encoding="utf-8"))


def problems_of(raw: bytes, name: str = "bad.json") -> list[str]:
    """What the importer would say about these bytes, with nothing in the database."""
    data, problems = read_pack(raw, name=name)
    if problems:
        return problems
    return packs_problems([(name, data)], known_flag_codes=set(), known_scenarios=set())


def changed(change) -> bytes:
    """The outsider pack (tests/packs/outsider.json) with one change made to it."""
    pack = copy.deepcopy(OUTSIDER)
    change(pack)
    return json.dumps(pack, ensure_ascii=False).encode()


def scene(key: str, next_key: str) -> dict:
    message = {"key": f"{key}-m", "text": "Hi"}
    return {
        "key": key,
        "messages": [message],
        "choices": [{"text": "Go", "verdict": "safe", "next": next_key}],
    }


NOT_JSON = b'{\n  "format": "saq-pack",\n  "version": 1\n  "scenarios": []\n}'
NOT_UTF8 = b'{\n  "format": "saq-pack", "x": "Caf\xe9"\n}'
REPEATED_KEY = (
    b'{"format": "saq-pack", "version": 1, "scenarios": [{"slug": "a", "steps": '
    b'[{"key": "s", "choices": [{"next": "x", "next": "y"}]}]}]}'
)
CHANNELS = "social_dm, messenger, sms, phone_call, email, web_page, classified_ad"

# (the file, the one problem reported); shared by the reading test and the command test.
BAD_PACKS = [
    pytest.param(
        NOT_JSON,
        "bad.json: line 4, column 3: not valid JSON (Expecting ',' delimiter)",
        id="not-json",
    ),
    pytest.param(
        NOT_UTF8,
        "bad.json: line 2, column 34: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        id="not-utf8",
    ),
    pytest.param(
        REPEATED_KEY,
        "bad.json: scenarios[0].steps[0].choices[0].next: "
        "this key is written more than once in one object",
        id="repeated-json-key",
    ),
    pytest.param(
        changed(lambda p: p["scenarios"][0].pop("title")),
        'bad.json: scenarios[0]: missing required field "title"',
        id="missing-field",
    ),
    pytest.param(
        changed(lambda p: p["scenarios"][0]["steps"][0].update(colour="red")),
        "bad.json: scenarios[0].steps[0].colour: unknown field; "
        "the fields here are key, title, channel, sender, messages, choices",
        id="unknown-field",
    ),
    pytest.param(
        changed(lambda p: p["scenarios"][0].update(legitimate="no")),
        "bad.json: scenarios[0].legitimate: wrong type: expected true or false, got text",
        id="wrong-type",
    ),
    pytest.param(
        # (The module no longer lists it, or its reference would be a second problem.)
        changed(
            lambda p: (
                p["scenarios"][1].update(language="de")
                or p["modules"][0]["scenarios"].remove("real-shop")
            )
        ),
        'bad.json: scenarios[1].language: "de" is not one of kk, ru, en',
        id="unknown-language",
    ),
    pytest.param(
        changed(lambda p: p["scenarios"][0].update(channel="telegram")),
        f'bad.json: scenarios[0].channel: "telegram" is not one of {CHANNELS}',
        id="unknown-channel",
    ),
    pytest.param(
        changed(lambda p: p["scenarios"][0]["steps"][0]["choices"][1].update(verdict="maybe")),
        "bad.json: scenarios[0].steps[0].choices[1].verdict: "
        '"maybe" is not one of safe, risky, harmful',
        id="bad-verdict",
    ),
    pytest.param(
        changed(
            lambda p: p["scenarios"][0]["steps"][1].update(messages=[{"key": "x", "text": "x"}])
        ),
        "bad.json: scenarios[0].steps[1].messages: unknown field; "
        "the fields here are key, ending, title, text, loss_kzt",
        id="ending-with-messages",
    ),
    pytest.param(
        changed(
            lambda p: p["scenarios"][0]["steps"][0]["choices"].append(
                {**p["scenarios"][0]["steps"][0]["choices"][1], "next": "lost-money"}
            )
        ),
        'bad.json: scenarios[0].steps[0].choices[2].next: no step "lost-money"',
        id="next-to-nowhere",
    ),
    pytest.param(
        changed(lambda p: p["scenarios"][0]["steps"][0]["messages"][2].update(flag="pressure")),
        'bad.json: scenarios[0].steps[0].messages[2].flag: unknown red-flag type "pressure": '
        "add it to red_flag_types or import it first",
        id="unknown-flag",
    ),
    pytest.param(
        changed(lambda p: p["scenarios"][1]["steps"].append(scene("detour", "done"))),
        'bad.json: scenarios[1].steps[4] ("detour"): cannot be reached from start "notice"',
        id="unreachable-step",
    ),
    pytest.param(
        changed(
            lambda p: (
                p["scenarios"][1]["steps"].append(scene("loop", "loop")),
                p["scenarios"][1]["steps"][0]["choices"].append(
                    {"text": "Wait", "verdict": "risky", "next": "loop"}
                ),
            )
        ),
        'bad.json: scenarios[1].steps[4] ("loop"): no ending can be reached from this step',
        id="loop-without-ending",
    ),
    pytest.param(
        changed(lambda p: p["scenarios"][0]["steps"].append(dict(p["scenarios"][0]["steps"][1]))),
        'bad.json: scenarios[0].steps[3].key: "paid" is already at scenarios[0].steps[1]',
        id="repeated-step-key",
    ),
    pytest.param(
        changed(lambda p: [m.pop("flag", None) for m in p["scenarios"][0]["steps"][0]["messages"]]),
        "bad.json: scenarios[0]: a scam (legitimate: false) needs at least one message with a flag",
        id="scam-without-flags",
    ),
]


@pytest.mark.parametrize(("raw", "problem"), BAD_PACKS)
def test_each_kind_of_bad_pack_is_named_at_its_place(raw, problem):
    """Every kind of mistake is reported once, as "file: place: what is wrong"."""
    assert problems_of(raw) == [problem]


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "problem"), BAD_PACKS)
def test_the_command_refuses_a_bad_pack_and_changes_nothing(raw, problem, tmp_path):
    """import_scenarios writes the problem on stderr, fails, and leaves the database as it was."""
    call_command("import_scenarios", str(PACKS / "outsider.json"), stdout=io.StringIO())
    counts = {
        model: model.objects.count() for model in apps.get_app_config("scenarios").get_models()
    }
    exported = pack_export()
    bad = tmp_path / "bad.json"
    bad.write_bytes(raw)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="^1 problem; nothing was imported.$"):
        call_command("import_scenarios", str(bad), stdout=io.StringIO(), stderr=stderr)
    assert stderr.getvalue() == str(bad) + problem.removeprefix("bad.json") + "\n"
    assert {model: model.objects.count() for model in counts} == counts
    assert pack_export() == exported


def test_the_documented_example_passes_once_its_flags_are_known():
    """The doc's example uses "too-good-price" without declaring it: it must be in the database."""
    data, problems = read_pack((PACKS / "doc-example.json").read_bytes(), name="doc-example.json")
    assert problems == []
    assert pack_problems(data, known_flag_codes=set(), known_scenarios=set()) == [
        'scenarios[0].steps[0].messages[0].flag: unknown red-flag type "too-good-price": '
        "add it to red_flag_types or import it first"
    ]
    assert pack_problems(data, known_flag_codes={"too-good-price"}, known_scenarios=set()) == []


def test_a_pack_written_by_an_outsider_has_no_problems():
    """Optional fields may be left out or given at their defaults; a byte-order mark is ignored."""
    raw = (PACKS / "outsider.json").read_bytes()
    assert problems_of(raw) == []
    assert problems_of(b"\xef\xbb\xbf" + raw) == []


def test_every_problem_in_a_pack_is_listed_in_file_order():
    """The author fixes everything in one go: all shape problems are listed, sorted by place."""

    def many(pack):
        pack["modules"][0].pop("title")
        pack["scenarios"][1]["language"] = "de"
        pack["scenarios"][0]["steps"][2]["loss_kzt"] = -5
        pack["scenarios"][0]["difficulty"] = 9
        pack["format"] = "saq"

    assert problems_of(changed(many)) == [
        'bad.json: format: must be "saq-pack", not "saq"',
        "bad.json: scenarios[0].difficulty: must be at most 5",
        "bad.json: scenarios[0].steps[2].loss_kzt: must be at least 0",
        'bad.json: scenarios[1].language: "de" is not one of kk, ru, en',
        'bad.json: modules[0]: missing required field "title"',
    ]


def test_every_broken_rule_is_listed_too():
    """Once the shape is right, all rules are checked, not just the first one broken."""

    def many(pack):
        pack["scenarios"][0]["start"] = "begin"
        pack["scenarios"][1]["steps"][1]["messages"][0]["key"] = "n1"
        pack["modules"][0]["scenarios"].append("ghost")
        pack["modules"][0]["check_items"][1]["key"] = "q1"
        pack["red_flag_types"].append({"code": "prepayment", "name": "Again"})

    assert problems_of(changed(many)) == [
        'bad.json: red_flag_types[3].code: "prepayment" is already at red_flag_types[0]',
        'bad.json: scenarios[0].start: no step "begin"',
        'bad.json: scenarios[1].steps[1].messages[0].key: "n1" '
        "is already at scenarios[1].steps[0].messages[0]",
        'bad.json: modules[0].scenarios[2]: no scenario "ghost" in "en" '
        "in this pack or in the database",
        'bad.json: modules[0].check_items[1].key: "q1" is already at modules[0].check_items[0]',
    ]


def test_a_module_may_list_scenarios_and_flags_from_the_database():
    """Scenarios and red-flag types already imported count as known, in the module's language."""
    pack = json.loads(changed(lambda p: p["modules"][0]["scenarios"].append("old-case")))
    assert pack_problems(pack, known_flag_codes=set(), known_scenarios={("old-case", "en")}) == []
    assert pack_problems(pack, known_flag_codes=set(), known_scenarios={("old-case", "ru")}) == [
        'modules[0].scenarios[2]: no scenario "old-case" in "en" in this pack or in the database'
    ]


def test_the_same_scenario_in_two_packs_imported_together_is_refused():
    """Within one import a scenario (slug + language) comes from one pack only."""
    problems = packs_problems(
        [("a.json", OUTSIDER), ("b.json", OUTSIDER)], known_flag_codes=set(), known_scenarios=set()
    )
    assert problems == [
        'b.json: scenarios[0]: "instagram-phone-seller" in "en" is also in a.json',
        'b.json: scenarios[1]: "real-shop" in "en" is also in a.json',
        'b.json: modules[0]: "basics" in "en" is also in a.json',
    ]


def test_nan_is_not_json():
    assert problems_of(b'{"version": NaN}') == [
        "bad.json: not valid JSON (NaN is not a JSON number)"
    ]


@settings(max_examples=200, deadline=None)  # a busy machine is not a failure
@given(st.binary())
def test_reading_any_bytes_gives_a_pack_or_problems_never_a_crash(raw):
    data, problems = read_pack(raw, name="any.json")
    assert (data is None) == bool(problems)
    assert all(problem.startswith("any.json: ") for problem in problems)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def _places(value, path=()):
    yield path
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield from _places(item, path + (key,))


ALL_PLACES = list(_places(OUTSIDER))[1:]


@settings(max_examples=300, deadline=None)  # a busy machine is not a failure
@given(st.sampled_from(ALL_PLACES), JSON_VALUES)
def test_any_value_anywhere_in_a_pack_gives_problems_never_a_crash(path, value):
    """The rules read only packs the schema accepted, so no field of a wrong type can break them."""
    pack = copy.deepcopy(OUTSIDER)
    target = pack
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    problems = pack_problems(pack, known_flag_codes=set(), known_scenarios=set())
    assert all(isinstance(problem, str) and ": " in problem for problem in problems)


def test_a_wrong_value_does_not_hide_the_rule_problems_of_the_same_pack():
    """An author sees every problem at once: the schema's and the graph's, in file order."""

    def break_three_ways(pack):
        scenario = pack["scenarios"][0]
        scenario["difficulty"] = 9
        scenario["steps"][0]["messages"][0]["flag"] = "no-such-flag"
        scenario["steps"][0]["choices"][1]["next"] = "lost-money"

    assert problems_of(changed(break_three_ways)) == [
        "bad.json: scenarios[0].difficulty: must be at most 5",
        'bad.json: scenarios[0].steps[0].messages[0].flag: unknown red-flag type "no-such-flag": '
        "add it to red_flag_types or import it first",
        'bad.json: scenarios[0].steps[0].choices[1].next: no step "lost-money"',
        # The step the choice led to before: no working choice leads to it now.
        'bad.json: scenarios[0].steps[2] ("refused"): cannot be reached from start "offer"',
    ]


def test_a_scenario_or_module_named_twice_in_one_pack_is_refused():
    """Slug and language name one scenario (and one module) within a pack."""

    def twice(pack):
        pack["scenarios"].append(copy.deepcopy(pack["scenarios"][0]))
        pack["modules"].append(copy.deepcopy(pack["modules"][0]))

    assert problems_of(changed(twice)) == [
        'bad.json: scenarios[2]: "instagram-phone-seller" in "en" is already at scenarios[0]',
        'bad.json: modules[1]: "basics" in "en" is already at modules[0]',
    ]
