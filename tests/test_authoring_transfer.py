"""Packs in and out of the admin: uploaded packs are checked like the command's (refused
whole, every problem by its place, nothing changed); the selected scenarios export as a
pack that imports back unchanged, and on a fresh database with the command."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scenarios.authoring.drafts import draft_publish, draft_start
from scenarios.models import Module, RedFlagType, Scenario, ScenarioVersion
from scenarios.packs.exporter import version_as_pack, with_content
from scenarios.packs.importer import pack_import
from tests.authoring import step_form, version_form
from tests.factories import build_scenario

ROOT = Path(__file__).resolve().parent.parent
PACKS = Path(__file__).parent / "packs"
pytestmark = pytest.mark.django_db


def upload(name: str, data) -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def import_files(client, *files):
    return client.post(reverse("admin:scenarios_scenario_import"), {"packs": list(files)})


def test_uploaded_packs_are_imported_together(author_client):
    outsider = (PACKS / "outsider.json").read_bytes()
    response = import_files(author_client, upload("outsider.json", outsider))
    html = response.content.decode()
    assert response.status_code == 200
    assert "instagram-phone-seller (en): created" in html and "real-shop (en): created" in html
    assert "Red-flag types: 3 created, 0 updated." in html
    assert Scenario.objects.published().count() == 2 and Module.objects.count() == 1


def test_a_pack_with_problems_is_refused_whole_with_every_problem_by_its_place(author_client):
    good = json.loads((PACKS / "outsider.json").read_text())
    bad = json.loads((PACKS / "outsider.json").read_text())
    bad["scenarios"][0]["steps"][0]["choices"][1]["next"] = "lost-money"
    bad["scenarios"][1]["channel"] = "telegram"
    for scenario in bad["scenarios"]:
        scenario["slug"] += "-copy"
    bad.pop("modules")
    bad.pop("red_flag_types")
    response = import_files(
        author_client,
        upload("good.json", {**good, "modules": []}),
        upload("bad.json", bad),
        upload("broken.json", b'{"format": "saq-pack",'),
    )
    html = response.content.decode()
    assert "4 problems: nothing was imported." in html
    assert "bad.json: scenarios[0].steps[0].choices[1].next: no step &quot;lost-money&quot;" in html
    assert "bad.json: scenarios[0].steps[2] (&quot;refused&quot;): cannot be reached" in html
    assert "bad.json: scenarios[1].channel: &quot;telegram&quot; is not one of" in html
    assert "broken.json: line 1, column 23: not valid JSON" in html
    assert not Scenario.objects.exists() and not RedFlagType.objects.exists()


def test_a_file_that_is_not_uploaded_is_asked_for(author_client):
    response = author_client.post(reverse("admin:scenarios_scenario_import"), {})
    assert "This field is required." in response.content.decode()


def export(client, scenarios, download: bool = True):
    """The export action, from the report page's button (`download`) or the list's."""
    data = {"action": "export_selected", "_selected_action": [s.pk for s in scenarios]}
    return client.post(
        reverse("admin:scenarios_scenario_changelist"),
        {**data, "download": "yes"} if download else data,
    )


def test_the_selected_scenarios_export_as_a_pack_that_imports_back_unchanged(author_client):
    pack_import(packs=[("outsider.json", json.loads((PACKS / "outsider.json").read_text()))])
    chosen = list(Scenario.objects.all())
    draft_only = build_scenario(slug="unfinished", published=False)
    response = export(author_client, [*chosen, draft_only])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="saq-scenarios.json"' in response["Content-Disposition"]
    pack = json.loads(response.content)
    assert [s["slug"] for s in pack["scenarios"]] == ["instagram-phone-seller", "real-shop"]
    assert "modules" not in pack
    report = pack_import(packs=[("exported.json", pack)])
    assert [o.describe() for o in report.scenarios] == ["unchanged", "unchanged"]


def test_exporting_only_drafts_says_so_on_the_same_page_and_gives_no_file(author_client):
    draft = build_scenario(slug="unfinished", published=False)
    page = export(author_client, [draft], download=False).content.decode()
    assert "nothing: it is not published yet" in page and "draft version 1, not published" in page
    assert "Nothing of the selected scenarios is published: there is no pack to save." in page
    assert "Save the pack file" not in page


def test_the_export_says_first_which_version_goes_in_and_which_draft_stays_out(author_client):
    scenario = build_scenario(slug="edited")
    draft_start(scenario=scenario)
    untouched = build_scenario(slug="untouched")
    page = export(author_client, [scenario, untouched], download=False).content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert rows.count("published version 1") == 2
    assert rows.count("draft version 2, not published") == 1
    assert 'name="download" value="yes"' in page and "Save the pack file" in page
    assert f'name="_selected_action" value="{scenario.pk}"' in page


def test_a_scenario_written_in_the_admin_exports_and_imports_on_a_fresh_database(
    author_client, tmp_path
):
    """Built through the admin's forms, published, exported with the admin's action, then
    imported by `manage.py import_scenarios` into a database made just for it."""
    version = build_scenario(slug="admin-made", published=False, scenes=1).versions.get()
    scene = version.steps.get(key="scene-0")
    rows = [
        {
            "id": str(m.pk),
            "order": str(m.order),
            "key": m.key,
            "text": m.text,
            "flag": str(m.flag_id or ""),
            "explanation": m.explanation,
        }
        for m in scene.messages.order_by("order")
    ]
    rows[1]["text"] = "Line one\nline two, with <b>tags</b> & “quotes”"
    choices = [
        {
            "id": str(c.pk),
            "order": str(c.order),
            "text": c.text,
            "verdict": c.verdict,
            "feedback": c.feedback,
            "next_step": str(c.next_step_id),
        }
        for c in scene.choices.order_by("order")
    ]
    step_page = reverse("admin:scenarios_step_change", args=[scene.pk])
    assert author_client.post(step_page, step_form(scene, rows, choices)).status_code == 302
    steps = [
        {
            "id": str(s.pk),
            "order": str(s.order),
            "key": s.key,
            "title": s.title,
            "ending": s.ending,
            "text": s.text,
            "loss_kzt": s.loss_kzt or "",
            **({"is_start": "on"} if s.is_start else {}),
        }
        for s in version.steps.order_by("order")
    ]
    page = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    data = version_form(version, steps, initial=len(steps), title="Made in the admin")
    assert author_client.post(page, data).status_code == 302
    assert draft_publish(version=version, user=None)
    exported = export(author_client, [version.scenario]).content
    pack_file = tmp_path / "exported.json"
    pack_file.write_bytes(exported)

    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["import_scenarios", str(pack_file)],
        ["export_scenarios"],
    ):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout and "admin-made (en)" not in done.stdout.splitlines()[0]
    again = json.loads(done.stdout)
    mine = version_as_pack(with_content(ScenarioVersion.objects.filter(pk=version.pk))[0])
    assert again["scenarios"] == [mine]
    assert mine["title"] == "Made in the admin"
    assert (
        mine["steps"][0]["messages"][1]["text"] == "Line one\nline two, with <b>tags</b> & “quotes”"
    )
