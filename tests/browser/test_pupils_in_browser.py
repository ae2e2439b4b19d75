"""A pupil plays the money-mule scenario of the module for pupils, in Kazakh and in Russian,
in a real browser at a phone's size: from the catalogue, where the module stands under its
audience, along the careful path to the safe ending, with no English word on any page."""

import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import CONTENT
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_languages import assert_all_in

pytestmark = pytest.mark.browser

SLUG = "card-for-rent"
# The careful path: from each scene, the safe choice that leads to the next key.
CAREFUL_PATH = [("ad", "ask"), ("ask", "push"), ("push", "safe")]


@dataclass(frozen=True)
class Pupil:
    browser_locale: str
    audience: str
    module_title: str
    start_button: str
    basis: str
    aftercare_heading: str


PUPILS = {
    "kk": Pupil(
        browser_locale="kk-KZ",
        audience="Оқушылар мен студенттерге",
        module_title="Оқушылар мен студенттерге",
        start_button="Бастау",
        basis="Құжатталған схемалардың жиынтығы",
        aftercare_heading="Қазақстанда қазір не істеуге болады",
    ),
    "ru": Pupil(
        browser_locale="ru-RU",
        audience="Школьникам и студентам",
        module_title="Школьникам и студентам",
        start_button="Начать",
        basis="Собрано из задокументированных схем",
        aftercare_heading="Что можно сделать сейчас в Казахстане",
    ),
}


@pytest.fixture
def pupils_content(transactional_db):
    """The pupils' module and the one scenario played here; the module lists five, so its
    card in the catalogue waits for them: import the rest of the module's packs too."""
    module = json.loads((CONTENT / "module-pupils.json").read_text(encoding="utf-8"))
    slugs = module["modules"][0]["scenarios"]
    packs = {path.name for path in CONTENT.glob("pupils-*.json")}
    assert {f"pupils-{slug}.json" for slug in slugs} == packs
    names = ["red-flag-types.json", *sorted(packs), "module-pupils.json"]
    call_command("import_scenarios", *[str(CONTENT / n) for n in names], stdout=io.StringIO())


def scenario_in(language: str) -> dict:
    pack = json.loads((CONTENT / f"pupils-{SLUG}.json").read_text(encoding="utf-8"))
    return next(s for s in pack["scenarios"] if s["language"] == language)


def answer(page: Page, step: dict, next_key: str) -> None:
    """Mark exactly the step's red flags, then take the safe choice that leads to next_key."""
    marks = page.locator("input.mark")
    expect(marks).to_have_count(len(step["messages"]))
    for index, message in enumerate(step["messages"]):
        if message.get("flag"):
            marks.nth(index).check()
    choice = next(c for c in step["choices"] if c["next"] == next_key and c["verdict"] == "safe")
    page.get_by_role("button", name=choice["text"], exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_pupil_finds_the_module_and_plays_the_money_mule_scenario_safely(
    new_page, live_server, pupils_content, language
):
    pupil = PUPILS[language]
    scenario = scenario_in(language)
    steps = {step["key"]: step for step in scenario["steps"]}
    page = new_page(locale=pupil.browser_locale)

    page.goto(live_server.url + "/")
    assert_all_in(page, language)
    heading = page.get_by_role("heading", name=pupil.audience, level=3)
    expect(heading).to_be_visible()
    group = page.get_by_role("list").filter(has=page.get_by_role("link", name=pupil.module_title))
    expect(group.get_by_role("link", name=pupil.module_title)).to_be_visible()

    page.goto(f"{live_server.url}/s/{SLUG}/{language}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(scenario["title"])
    expect(page.locator(".facts")).to_contain_text(pupil.basis)
    expect(page.locator(".facts")).to_contain_text(str(scenario["minutes"]))
    assert_all_in(page, language)
    page.get_by_role("button", name=pupil.start_button).click()
    page.wait_for_load_state()

    for here, next_key in CAREFUL_PATH:
        expect(page.locator("#step-title")).to_have_text(steps[here]["title"])
        assert_all_in(page, language)
        answer(page, steps[here], next_key)

    assert "/result/" in page.url
    ending = steps["safe"]
    expect(page.get_by_role("heading", name=ending["title"])).to_be_visible()
    expect(page.locator(".score-total")).to_contain_text("100 / 100")
    case = page.get_by_role("region", name=pupil.basis)
    expect(case).to_contain_text(scenario["based_on"][:40])
    expect(page.get_by_role("region", name=pupil.aftercare_heading)).to_be_visible()
    assert_all_in(page, language)
    assert blocking_violations(page) == []
