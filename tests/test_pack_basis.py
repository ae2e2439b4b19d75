"""What a scenario stands on (`basis`, `sources`), its minutes to play, and a module's audience:
optional pack fields that packs written before them leave out."""

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from scenarios.models import Module, Scenario, Step
from scenarios.packs.exporter import normalise_scenario, pack_export
from scenarios.packs.importer import PackRejected, estimated_minutes, pack_import
from tests.authoring import version_form
from tests.factories import build_module, build_scenario
from tests.test_pack_import_export import counts, load
from trainer.models import Attempt

pytestmark = pytest.mark.django_db

SCENARIO_KEYS = [
    "slug",
    "language",
    "title",
    "summary",
    "channel",
    "legitimate",
    "difficulty",
    "based_on",
    "basis",
    "sources",
    "minutes",
    "start",
    "steps",
]


def _with_basis(pack: dict, **fields) -> dict:
    pack["scenarios"][0].update(fields)
    return pack


def test_a_pack_without_the_new_fields_imports_and_exports_as_it_was():
    outsider = load("outsider.json")
    scenario = outsider["scenarios"][0]
    assert not {"basis", "sources", "minutes"} & set(scenario)
    assert "audience" not in outsider["modules"][0]
    pack_import(packs=[("outsider.json", outsider)])
    version = Scenario.objects.get(slug=scenario["slug"]).current_version
    assert (version.basis, version.sources, version.minutes_given) == ("", [], None)
    assert version.minutes == estimated_minutes(scenario)
    assert Module.objects.get(slug="basics").audience == "everyone"
    exported = pack_export()
    by_slug = {item["slug"]: item for item in exported["scenarios"]}
    assert [by_slug[item["slug"]] for item in outsider["scenarios"]] == [
        normalise_scenario(item) for item in outsider["scenarios"]
    ]
    assert not {"basis", "sources", "minutes"} & {key for s in by_slug.values() for key in s}
    assert exported["modules"] == outsider["modules"]


def test_basis_sources_and_minutes_are_stored_exported_in_order_and_import_unchanged():
    pack = _with_basis(
        load("outsider.json"),
        basis="case",
        sources=["eurasia-2021-internet-fraud", "ardfm-stop-credit"],
        minutes=9,
    )
    pack["modules"][0]["audience"] = "pupils"
    pack_import(packs=[("pack.json", pack)])
    version = Scenario.objects.get(slug=pack["scenarios"][0]["slug"]).current_version
    assert version.basis == "case"
    assert version.sources == ["eurasia-2021-internet-fraud", "ardfm-stop-credit"]
    assert (version.minutes, version.minutes_given) == (9, 9)
    assert Module.objects.get(slug="basics").audience == "pupils"

    exported = pack_export()
    scenario = next(s for s in exported["scenarios"] if s["slug"] == pack["scenarios"][0]["slug"])
    assert [key for key in SCENARIO_KEYS if key in scenario] == list(scenario)
    assert (scenario["basis"], scenario["minutes"]) == ("case", 9)
    assert scenario["sources"] == ["eurasia-2021-internet-fraud", "ardfm-stop-credit"]
    assert exported["modules"][0]["audience"] == "pupils"
    assert list(exported["modules"][0]).index("audience") == 4  # after summary, pass mark

    report = pack_import(packs=[("again.json", json.loads(json.dumps(exported)))])
    assert {outcome.describe() for outcome in report.scenarios} == {"unchanged"}


def test_changing_only_the_sources_makes_a_new_version():
    pack = _with_basis(load("outsider.json"), basis="composite", sources=["one"])
    pack_import(packs=[("first.json", pack)])
    pack = _with_basis(load("outsider.json"), basis="composite", sources=["one", "two"])
    report = pack_import(packs=[("second.json", pack)])
    assert report.scenarios[0].describe() == "new version 2"
    version = Scenario.objects.get(slug=pack["scenarios"][0]["slug"]).current_version
    assert version.sources == ["one", "two"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"basis": "rumour"}, 'scenarios[0].basis: "rumour" is not one of case, composite'),
        (
            {"sources": ["Police Site"]},
            'scenarios[0].sources[0]: "Police Site" is not a valid key',
        ),
        ({"sources": ["a", "a"]}, "scenarios[0].sources: lists the same item more than once"),
        ({"sources": "a"}, "scenarios[0].sources: wrong type: expected a list, got text"),
        ({"minutes": 0}, "scenarios[0].minutes: must be at least 1"),
        ({"minutes": 7.5}, "scenarios[0].minutes: wrong type: expected a whole number"),
    ],
)
def test_a_wrong_basis_source_or_minutes_is_refused_with_its_place(fields, problem):
    before = counts()
    with pytest.raises(PackRejected) as rejected:
        pack_import(packs=[("bad.json", _with_basis(load("outsider.json"), **fields))])
    assert len(rejected.value.problems) == 1
    assert rejected.value.problems[0].startswith(f"bad.json: {problem}")
    assert counts() == before


def test_an_unknown_audience_is_refused_with_its_place():
    pack = load("outsider.json")
    pack["modules"][0]["audience"] = "teachers"
    with pytest.raises(PackRejected) as rejected:
        pack_import(packs=[("bad.json", pack)])
    assert rejected.value.problems == [
        'bad.json: modules[0].audience: "teachers" is not one of pupils, work, families, everyone'
    ]
    assert not Module.objects.exists()


def _played_to_an_ending(client: Client, slug: str, language: str) -> str:
    """Start the scenario, take each scene's first choice until an ending; the result page."""
    scenario = Scenario.objects.get(slug=slug, language=language)
    response = client.post(reverse("scenario_start", args=[slug, language]))
    attempt = Attempt.objects.get(pk=response.url.split("/")[2])
    step = Step.objects.get(version=scenario.current_version, is_start=True)
    position = 0
    while not step.ending:
        choice = step.choices.order_by("order").first()
        client.post(reverse("play", args=[attempt.id]), {"position": position, "choice": choice.id})
        step, position = choice.next_step, position + 1
    return client.get(reverse("result", args=[attempt.id]), follow=True).content.decode()


@pytest.mark.parametrize(
    ("basis", "language", "said"),
    [
        ("case", "en", "Documented case"),
        ("composite", "en", "Composite of documented schemes"),
        ("case", "ru", "Задокументированный случай"),
        ("composite", "kk", "Құжатталған схемалардың жиынтығы"),
    ],
)
def test_the_start_page_and_the_debrief_say_what_the_story_stands_on(basis, language, said):
    pack = _with_basis(load("outsider.json"), basis=basis, sources=["a"])
    scenario = pack["scenarios"][0]
    pack_import(packs=[("pack.json", pack)])
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    start = client.get(reverse("scenario_start", args=[scenario["slug"], scenario["language"]]))
    assert said in start.content.decode()
    result = _played_to_an_ending(client, scenario["slug"], scenario["language"])
    section = result.split('class="real-case"', 1)[1].split("</section>", 1)[0]
    assert said in section and scenario["based_on"][:20] in section


def test_without_a_basis_nothing_claims_a_real_or_documented_case():
    pack = load("outsider.json")
    scenario = pack["scenarios"][0]
    pack_import(packs=[("pack.json", pack)])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    start = client.get(reverse("scenario_start", args=[scenario["slug"], scenario["language"]]))
    result = _played_to_an_ending(client, scenario["slug"], scenario["language"])
    for page in (start.content.decode(), result):
        assert "Documented case" not in page and "real case" not in page.lower()
    assert "What the story is based on" in result


def test_the_catalogue_lists_modules_under_their_audience_in_a_fixed_order(client):
    for slug, audience in [("zeta", "everyone"), ("alpha", "families"), ("pupils", "pupils")]:
        module = build_module(slug=slug, title=f"Module {slug}", scenarios=1)
        Module.objects.filter(pk=module.pk).update(audience=audience)
    html = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    headings = re.findall(r'<h3 class="audience" id="audience-(\w+)">([^<]+)</h3>', html)
    assert headings == [
        ("pupils", "For pupils and students"),
        ("families", "For older people and families"),
        ("everyone", "For everyone"),
    ]
    sections = html.split('<h3 class="audience"')[1:]
    assert ["Module pupils" in s for s in sections] == [True, False, False]
    assert ["Module alpha" in s for s in sections] == [False, True, False]
    assert ["Module zeta" in s for s in sections] == [False, False, True]
    russian = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Школьникам и студентам" not in russian  # these modules are in English only


def test_an_author_sets_basis_sources_and_minutes_on_a_draft(author_client):
    scenario = build_scenario(published=False, scenes=1)
    version = scenario.versions.get()
    form = version_form(
        version,
        [],
        basis="composite",
        sources="police-warning-2024, ardfm-stop-credit\nardfm-stop-credit",
        minutes_given="6",
    )
    response = author_client.post(
        reverse("admin:scenarios_scenarioversion_change", args=[version.pk]), form
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.basis == "composite"
    assert version.sources == ["police-warning-2024", "ardfm-stop-credit"]
    assert version.minutes_given == 6
    publish = reverse("admin:scenarios_scenarioversion_publish", args=[version.pk])
    author_client.post(publish)
    version.refresh_from_db()
    assert version.is_published and version.minutes == 6


def test_a_source_id_that_is_not_an_id_is_refused_and_nothing_is_saved(author_client):
    scenario = build_scenario(published=False, scenes=1)
    version = scenario.versions.get()
    form = version_form(version, [], sources="Police site, ok-id")
    url = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    page = author_client.post(url, form).content.decode()
    assert "Not a source id: Police site." in html.unescape(page)
    version.refresh_from_db()
    assert version.sources == []
