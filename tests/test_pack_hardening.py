"""Packs that once passed the checks and then broke the site or the import (issue 12,
items 1, 4 and 5): each is refused by the command and by the admin's upload, with its
place named, and the database is left as it was."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from scenarios.packs.exporter import pack_export
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
