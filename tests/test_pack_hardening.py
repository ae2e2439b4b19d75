"""Packs that once passed the checks and then broke the site or the import (issue 12,
items 1, 4 and 5): each is refused by the command and by the admin's upload, with its
place named, and the database is left as it was."""

import copy
import io
import json
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.content import _scenes_to_end
from scenarios.packs.exporter import pack_export
from tests.factories import build_scenario
from tests.test_authoring_transfer import import_files, upload

PACKS = Path(__file__).parent / "packs"
OUTSIDER = json.loads((PACKS / "outsider.json").read_text(encoding="utf-8"))
pytestmark = pytest.mark.django_db


def changed(change) -> dict:
    pack = copy.deepcopy(OUTSIDER)
    change(pack)
    return pack


def database_state() -> tuple:
    counts = {m: m.objects.count() for m in apps.get_app_config("scenarios").get_models()}
    return counts, pack_export()


def command_refuses(pack: dict, tmp_path) -> str:
    """The import command's stderr for a pack it must refuse; the database is unchanged."""
    before = database_state()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(pack, ensure_ascii=True), encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_scenarios", str(bad), stdout=io.StringIO(), stderr=stderr)
    assert database_state() == before
    return stderr.getvalue().replace(str(bad), "bad.json")


def admin_refuses(client, pack: dict) -> str:
    before = database_state()
    response = import_files(client, upload("bad.json", json.dumps(pack).encode()))
    assert response.status_code == 200
    html = response.content.decode()
    assert "nothing was imported" in html
    assert database_state() == before
    return html


def _newline_slug(pack):
    pack["scenarios"][0]["slug"] = "rt-newline\n"


def _newline_module_slug(pack):
    pack["modules"][0]["slug"] = "basics\n"


def _newline_step_key(pack):
    steps = pack["scenarios"][0]["steps"]
    steps[1]["key"] = "paid\n"
    steps[0]["choices"][0]["next"] = "paid\n"


def _newline_flag_code(pack):
    pack["red_flag_types"][0]["code"] = "prepayment\n"
    pack["scenarios"][0]["steps"][0]["messages"][2]["flag"] = "prepayment\n"


NEWLINE_KEYS = [
    pytest.param(_newline_slug, "bad.json: scenarios[0].slug", id="scenario-slug"),
    pytest.param(_newline_module_slug, "bad.json: modules[0].slug", id="module-slug"),
    pytest.param(_newline_step_key, "bad.json: scenarios[0].steps[1].key", id="step-key"),
    pytest.param(_newline_flag_code, "bad.json: red_flag_types[0].code", id="flag-code"),
]


@pytest.mark.parametrize(("change", "place"), NEWLINE_KEYS)
def test_a_key_ending_in_a_newline_is_refused_by_the_command(change, place, tmp_path, client):
    """Item 1: the pattern matches the whole value, so "slug\\n" is not a key, and the
    catalogue still answers."""
    call_command("import_scenarios", str(PACKS / "outsider.json"), stdout=io.StringIO())
    stderr = command_refuses(changed(change), tmp_path)
    assert f"{place}: " in stderr and "is not a valid key" in stderr
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


@pytest.mark.parametrize(("change", "place"), NEWLINE_KEYS)
def test_a_key_ending_in_a_newline_is_refused_by_the_admin_upload(
    change, place, author_client, client
):
    html = admin_refuses(author_client, changed(change))
    assert f"{place}: " in html and "is not a valid key" in html
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def _scenes_to_end_recursive(edges: dict[str, list[str]], start: str) -> dict[str, int]:
    """The figure as first written, by recursion: the reference for the loop that replaced it."""
    state, remaining = {}, {}

    def visit(key):
        state[key] = "open"
        best = -1
        for target in edges.get(key, []):
            if state.get(target) == "open":
                continue
            if target not in state:
                visit(target)
            best = max(best, remaining[target])
        remaining[key] = best + 1 if edges.get(key) else 0
        state[key] = "done"

    for key in [start, *edges]:
        if key and key not in state:
            visit(key)
    return remaining


@pytest.mark.django_db(False)
@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from("abcdefgh"), st.lists(st.sampled_from("abcdefghij"), max_size=4)
    ),
    st.sampled_from("abcdefgh"),
)
def test_the_scenes_to_the_end_are_those_the_recursive_walk_counted(edges, start):
    """Item 4: the progress bar's figure is the same as before, now without recursion."""
    assert _scenes_to_end(edges, start) == _scenes_to_end_recursive(edges, start)


def test_a_scenario_thousands_of_scenes_deep_plays_and_shows_its_statistics(client, author_client):
    """Item 4: no recursion on a depth the author chooses: 3,000 scenes in a row (built in
    the database; a draft's preview has no pack limit either) start, play and show "Where
    players go wrong"."""
    scenario = build_scenario(slug="very-long", scenes=3000)
    started = time.monotonic()
    response = client.post(reverse("scenario_start", args=[scenario.slug, "en"]))
    assert response.status_code == 303
    page = client.get(response.url)
    assert page.status_code == 200 and "Scene 0" in page.content.decode()
    stats = author_client.get(reverse("authoring_stats", args=[scenario.pk]))
    assert stats.status_code == 200 and "Scene 2999" in stats.content.decode()
    assert time.monotonic() - started < 30


def _long_story(pack):
    steps = pack["scenarios"][1]["steps"]
    scene = steps[0]
    chain = [
        {
            **scene,
            "key": f"s{i}",
            "messages": [{"key": f"s{i}-m", "text": f"Message {i}"}],
            "choices": [{**scene["choices"][0], "next": f"s{i + 1}"}],
        }
        for i in range(1000)
    ]
    chain[-1]["choices"][0]["next"] = pack["scenarios"][1]["start"]
    pack["scenarios"][1]["steps"] = [*chain, *steps]
    pack["scenarios"][1]["start"] = "s0"


def _set(path, value):
    def change(pack):
        target = pack
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


MESSAGE = ("scenarios", 0, "steps", 0, "messages", 1, "text")
ENDING = ("scenarios", 0, "steps", 1, "loss_kzt")
NOT_A_LETTER = "which is not a letter (a NUL character or half of a surrogate pair): remove it"
# Item 5 (and 4's size limit): (the change, the one problem the command prints).
CRASHED_THE_IMPORT = [
    pytest.param(
        _set(MESSAGE, "Hello \ud800 there"),
        f"bad.json: scenarios[0].steps[0].messages[1].text: holds \\ud800, {NOT_A_LETTER}",
        id="lone-surrogate",
    ),
    pytest.param(
        _set(("scenarios", 0, "steps", 1, "text"), "Blocked\x00"),
        f"bad.json: scenarios[0].steps[1].text: holds \\u0000, {NOT_A_LETTER}",
        id="nul",
    ),
    pytest.param(
        _set(("red_flag_types", 1, "name", "ru"), "Дёшево\x00"),
        f"bad.json: red_flag_types[1].name.ru: holds \\u0000, {NOT_A_LETTER}",
        id="nul-in-a-flag-name",
    ),
    pytest.param(
        _set(ENDING, 10**19),
        "bad.json: scenarios[0].steps[1].loss_kzt: must be at most 1000000000000",
        id="loss-10e19",
    ),
    pytest.param(
        _set(ENDING, 1e300),
        "bad.json: scenarios[0].steps[1].loss_kzt: must be at most 1000000000000",
        id="loss-1e300",
    ),
    pytest.param(
        _set(MESSAGE, "word " * 20_000),
        "bad.json: scenarios[0].steps[0].messages[1].text: is too long: at most 4000 characters",
        id="long-message",
    ),
    pytest.param(
        _set(("version",), "2"),
        'bad.json: version: "2" is not one of 1, 2',
        id="version-as-text",  # found by tests/test_pack_fuzzing.py: the rules read it as a number
    ),
    pytest.param(
        _long_story,
        "bad.json: scenarios[1].steps: has too many items: at most 200",
        id="thousand-steps",
    ),
]


@pytest.mark.parametrize(("change", "problem"), CRASHED_THE_IMPORT)
def test_a_pack_that_crashed_the_import_is_refused_by_the_command(change, problem, tmp_path):
    call_command("import_scenarios", str(PACKS / "outsider.json"), stdout=io.StringIO())
    assert command_refuses(changed(change), tmp_path) == problem + "\n"


@pytest.mark.parametrize(("change", "problem"), CRASHED_THE_IMPORT)
def test_a_pack_that_crashed_the_import_is_refused_by_the_admin_upload(
    change, problem, author_client
):
    html = admin_refuses(author_client, changed(change))
    assert escape(problem) in html


def test_a_message_of_ten_megabytes_is_refused_by_the_command(tmp_path):
    """The admin takes no file over 5 MB; the command reads any size, and the schema refuses."""
    problem = command_refuses(changed(_set(MESSAGE, "word " * 2_000_000)), tmp_path)
    assert problem == (
        "bad.json: scenarios[0].steps[0].messages[1].text: is too long: at most 4000 characters\n"
    )


def test_a_pack_at_the_limits_imports_and_plays(client, tmp_path):
    """The limits leave room: 200 steps, the largest loss, a text of 4,000 characters."""

    def at_limits(pack):
        _long_story(pack)
        pack["scenarios"][1]["steps"] = pack["scenarios"][1]["steps"][804:]
        pack["scenarios"][1]["start"] = "s804"
        pack["scenarios"][0]["steps"][1]["loss_kzt"] = 10**12
        pack["scenarios"][0]["steps"][0]["messages"][1]["text"] = "ab " * 1333 + "c"

    pack = changed(at_limits)
    assert len(pack["scenarios"][1]["steps"]) == 200
    good = tmp_path / "good.json"
    good.write_text(json.dumps(pack), encoding="utf-8")
    call_command("import_scenarios", str(good), stdout=io.StringIO())
    for slug in ("instagram-phone-seller", "real-shop"):
        started = client.post(reverse("scenario_start", args=[slug, "en"]))
        assert client.get(started.url).status_code == 200
