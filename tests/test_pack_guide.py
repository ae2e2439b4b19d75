"""The facilitator's guide in a pack: a scenario's `discussion` questions and a module's
`guide` (docs/scenario-pack.md, "The facilitator's guide"). Optional, exported when set,
refused with their place when wrong; authors edit both in the admin."""

import html
import json

import pytest
from django.urls import reverse

from scenarios.models import Module, Scenario
from scenarios.packs.exporter import pack_export
from scenarios.packs.importer import PackRejected, pack_import
from tests.authoring import version_form
from tests.factories import build_module, build_scenario
from tests.test_pack_import_export import counts, load

pytestmark = pytest.mark.django_db

QUESTIONS = ["Which message was the first you could check?", "Whom would you tell?"]
GUIDE = {
    "before": "Today: messages that want money or a code.",
    "after": "The story changes; the tricks do not.",
    "school_lesson": [
        {"minutes": 10, "activity": "The check before."},
        {"minutes": 35, "activity": "The scenarios, then the questions."},
    ],
    "workplace_session": [{"minutes": 30, "activity": "The scenarios and one question each."}],
}


def with_guide(**module_fields) -> dict:
    pack = load("outsider.json")
    pack["scenarios"][0]["discussion"] = QUESTIONS
    pack["modules"][0]["guide"] = GUIDE
    pack["modules"][0].update(module_fields)
    return pack


def test_questions_and_guide_are_stored_exported_last_and_import_unchanged():
    pack = with_guide()
    pack_import(packs=[("pack.json", pack)])
    slug = pack["scenarios"][0]["slug"]
    assert Scenario.objects.get(slug=slug).current_version.discussion == QUESTIONS
    assert Module.objects.get(slug="basics").guide == GUIDE
    exported = pack_export()
    scenario = next(s for s in exported["scenarios"] if s["slug"] == slug)
    assert scenario["discussion"] == QUESTIONS
    assert list(scenario)[-3:] == ["discussion", "start", "steps"]
    assert exported["modules"][0]["guide"] == GUIDE and list(exported["modules"][0])[-1] == "guide"
    report = pack_import(packs=[("again.json", json.loads(json.dumps(exported)))])
    assert {outcome.describe() for outcome in report.scenarios} == {"unchanged"}


def test_a_pack_without_them_exports_without_them():
    pack_import(packs=[("outsider.json", load("outsider.json"))])
    exported = pack_export()
    assert all("discussion" not in scenario for scenario in exported["scenarios"])
    assert all("guide" not in module for module in exported["modules"])


def test_changing_only_the_questions_makes_a_new_version_and_a_new_guide_replaces_the_old():
    pack_import(packs=[("first.json", with_guide())])
    second = with_guide()
    second["scenarios"][0]["discussion"] = QUESTIONS[:1]
    second["modules"][0]["guide"] = dict(GUIDE, after="Tell someone.")
    report = pack_import(packs=[("second.json", second)])
    assert report.scenarios[0].describe() == "new version 2"
    assert Module.objects.get(slug="basics").guide["after"] == "Tell someone."


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda p: p["scenarios"][0].update(discussion=[""]),
            "scenarios[0].discussion[0]: must not be empty",
        ),
        (
            lambda p: p["scenarios"][0].update(discussion=["?"] * 11),
            "scenarios[0].discussion: has too many items: at most 10",
        ),
        (
            lambda p: p["modules"][0]["guide"].pop("after"),
            'modules[0].guide: missing required field "after"',
        ),
        (
            lambda p: p["modules"][0]["guide"]["school_lesson"][0].update(minutes=0),
            "modules[0].guide.school_lesson[0].minutes: must be at least 1",
        ),
        (
            lambda p: p["modules"][0]["guide"].update(workplace_session=[]),
            "modules[0].guide.workplace_session: needs at least 1 item",
        ),
        (
            lambda p: p["modules"][0]["guide"].update(notes="x"),
            "modules[0].guide.notes: unknown field",
        ),
    ],
)
def test_a_wrong_question_or_guide_is_refused_with_its_place_and_nothing_changes(change, problem):
    pack = json.loads(json.dumps(with_guide()))
    change(pack)
    before = counts()
    with pytest.raises(PackRejected) as rejected:
        pack_import(packs=[("bad.json", pack)])
    problems = rejected.value.problems
    assert any(p.startswith(f"bad.json: {problem}") for p in problems), problems
    assert counts() == before


def test_an_author_writes_questions_on_a_draft_and_a_new_draft_keeps_them(author_client):
    scenario = build_scenario(published=False, scenes=1)
    version = scenario.versions.get()
    form = version_form(version, [], discussion="First question?\n\n  Second question?  \n")
    url = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    response = author_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.discussion == ["First question?", "Second question?"]
    author_client.post(reverse("admin:scenarios_scenarioversion_publish", args=[version.pk]))
    from scenarios.authoring.drafts import version_copy

    copy = version_copy(version, scenario=scenario, number=version.number + 1)
    assert copy.discussion == ["First question?", "Second question?"]


def test_more_than_ten_questions_are_refused_in_the_admin(author_client):
    version = build_scenario(published=False, scenes=1).versions.get()
    form = version_form(version, [], discussion="\n".join(f"Q{i}?" for i in range(11)))
    page = author_client.post(
        reverse("admin:scenarios_scenarioversion_change", args=[version.pk]), form
    ).content.decode()
    assert "At most 10 questions, one per line." in html.unescape(page)
    version.refresh_from_db()
    assert version.discussion == []


def test_the_admin_refuses_a_module_guide_the_pack_would_refuse():
    from scenarios.authoring.forms import ModuleForm

    module = build_module()
    bad = dict(GUIDE, school_lesson=[{"minutes": 120, "activity": "Everything."}])
    data = {
        "slug": module.slug,
        "language": "en",
        "title": module.title,
        "summary": "",
        "pass_mark": 70,
        "audience": "everyone",
        "check_size": 20,
        "guide": json.dumps(bad),
    }
    form = ModuleForm(data, instance=module)
    assert not form.is_valid()
    assert form.errors["guide"] == ["guide.school_lesson[0].minutes: must be at most 90"]
    good = ModuleForm(dict(data, guide=json.dumps(GUIDE)), instance=module)
    assert good.is_valid(), good.errors
