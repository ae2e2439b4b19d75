"""An import never silently sets aside a draft with unpublished edits: the importer stops
and says which, the command wants --replace-drafts, the admin asks first. Every version an
import publishes records who imported it and from which pack."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from scenarios.authoring.drafts import draft_start, is_open_draft, scenario_draft
from scenarios.models import Scenario, ScenarioVersion, Step
from scenarios.packs.importer import DraftsInTheWay, pack_import
from tests.authoring import author

PACKS = Path(__file__).parent / "packs"
pytestmark = pytest.mark.django_db


def outsider() -> dict:
    return json.loads((PACKS / "outsider.json").read_text())


def changed(pack: dict) -> dict:
    """The pack with the phone seller's first step retitled: a new version to import."""
    pack = copy.deepcopy(pack)
    pack["scenarios"][0]["steps"][0]["title"] = "A cheaper phone"
    return pack


def seller() -> Scenario:
    return Scenario.objects.get(slug="instagram-phone-seller", language="en")


def edited_draft() -> ScenarioVersion:
    """The phone seller published, then a draft started and one step's title edited."""
    pack_import(packs=[("outsider.json", outsider())])
    draft = draft_start(scenario=seller())
    Step.objects.filter(version=draft, key="offer").update(title="My edit")
    return draft


def test_an_import_over_an_edited_draft_stops_and_names_it_and_writes_nothing():
    draft = edited_draft()
    versions = ScenarioVersion.objects.count()
    with pytest.raises(DraftsInTheWay) as stopped:
        pack_import(packs=[("changed.json", changed(outsider()))])
    assert stopped.value.describe() == [
        "instagram-phone-seller (en): draft version 2 has edits that are not published; "
        "importing would set it aside (kept, but no longer editable)."
    ]
    assert ScenarioVersion.objects.count() == versions
    assert scenario_draft(seller()) == draft and seller().current_version.number == 1


def test_a_draft_nobody_changed_is_overtaken_without_asking():
    pack_import(packs=[("outsider.json", outsider())])
    draft_start(scenario=seller())
    report = pack_import(packs=[("changed.json", changed(outsider()))])
    assert [o.describe() for o in report.scenarios][0] == "new version 3"


def test_an_unchanged_scenario_leaves_its_draft_alone():
    draft = edited_draft()
    report = pack_import(packs=[("outsider.json", outsider())])
    assert {o.outcome for o in report.scenarios} == {"unchanged"}
    assert scenario_draft(seller()) == draft


def test_set_aside_on_request_and_recorded_as_published_by_the_importer_from_its_pack():
    draft = edited_draft()
    importer = User.objects.create_user("dana")
    pack_import(packs=[("changed.json", changed(outsider()))], by=importer, set_aside_drafts=True)
    current = seller().current_version
    assert (current.number, current.published_by, current.imported_from) == (
        3,
        importer,
        "changed.json",
    )
    draft.refresh_from_db()
    assert not is_open_draft(draft) and Step.objects.get(version=draft, key="offer").title == (
        "My edit"
    )  # kept, read-only


def run_import(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_scenarios", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_refuses_over_an_edited_draft_unless_told_to_replace_it(tmp_path):
    edited_draft()
    pack_file = tmp_path / "changed.json"
    pack_file.write_text(json.dumps(changed(outsider())))
    err = io.StringIO()
    with pytest.raises(CommandError, match="run again with --replace-drafts"):
        call_command("import_scenarios", str(pack_file), stdout=io.StringIO(), stderr=err)
    assert "instagram-phone-seller (en): draft version 2 has edits" in err.getvalue()
    assert seller().current_version.number == 1

    User.objects.create_user("dana")
    out, _err = run_import(str(pack_file), "--replace-drafts", "--by", "dana")
    assert "instagram-phone-seller (en): new version 3" in out
    current = seller().current_version
    assert (current.published_by.username, current.imported_from) == ("dana", "changed.json")


def test_the_command_refuses_an_unknown_user(tmp_path):
    pack_file = tmp_path / "outsider.json"
    pack_file.write_text(json.dumps(outsider()))
    with pytest.raises(CommandError, match='No user "nobody": nothing was imported.'):
        run_import(str(pack_file), "--by", "nobody")
    assert not Scenario.objects.exists()


def upload(name: str, pack: dict) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(pack).encode(), content_type="application/json")


def test_the_admin_asks_before_setting_a_draft_aside_then_imports_as_the_author(client):
    edited_draft()
    writer = author()
    client.force_login(writer)
    url = reverse("admin:scenarios_scenario_import")
    asked = client.post(url, {"packs": [upload("changed.json", changed(outsider()))]})
    html = asked.content.decode()
    assert "Nothing is imported yet: drafts would be set aside" in html
    assert "instagram-phone-seller (en): draft version 2 has edits" in html
    assert seller().current_version.number == 1  # nothing written before the answer

    token = asked.context["pending_token"]
    assert token and f'name="confirm" value="{token}"' in html
    done = client.post(url, {"confirm": token})
    assert "instagram-phone-seller (en): new version 3" in done.content.decode()
    current = seller().current_version
    assert (current.published_by, current.imported_from) == (writer, "changed.json")
    overview = client.get(reverse("admin:scenarios_scenario_change", args=[seller().pk]))
    assert "aigerim, from the pack changed.json" in overview.content.decode()

    again = client.post(url, {"confirm": token})  # answered once: the packs are gone
    assert "The packs waiting for your answer are gone" in again.content.decode()
    assert seller().versions.count() == 3


def test_an_upload_without_drafts_in_the_way_is_recorded_as_the_authors(client):
    writer = author()
    client.force_login(writer)
    client.post(
        reverse("admin:scenarios_scenario_import"), {"packs": [upload("outsider.json", outsider())]}
    )
    assert seller().current_version.published_by == writer
