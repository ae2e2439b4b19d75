"""Someone at work and someone older each play a scenario of their module, in Kazakh and in
Russian, in a real browser at a phone's size: from the catalogue, where the module stands
under its audience, along the careful path to the safe ending, with no English word on any
page (tests/browser/test_languages.py)."""

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


@dataclass(frozen=True)
class Play:
    module: str  # the module's pack, content/module-<module>.json
    slug: str
    careful_path: list[tuple[str, str]]  # (scene, the key its safe choice leads to)


PLAYS = {
    "at-work": Play(
        "at-work",
        "fake-director-chat",
        [("director", "real-director"), ("real-director", "report"), ("report", "safe")],
    ),
    "older-people": Play(
        "older-people",
        "relative-in-trouble-call",
        [("cry", "call-grandson"), ("call-grandson", "report"), ("report", "safe")],
    ),
}


@dataclass(frozen=True)
class Reader:
    browser_locale: str
    audiences: dict[str, str]
    start_button: str
    basis: str
    aftercare_heading: str


READERS = {
    "kk": Reader(
        browser_locale="kk-KZ",
        audiences={"at-work": "Жұмыста", "older-people": "Егде жастағы адамдар мен отбасыларға"},
        start_button="Бастау",
        basis="Құжатталған схемалардың жиынтығы",
        aftercare_heading="Қазақстанда қазір не істеуге болады",
    ),
    "ru": Reader(
        browser_locale="ru-RU",
        audiences={"at-work": "На работе", "older-people": "Пожилым людям и семьям"},
        start_button="Начать",
        basis="Собрано из задокументированных схем",
        aftercare_heading="Что можно сделать сейчас в Казахстане",
    ),
}


def _pack_of_each_scenario() -> dict[str, str]:
    found = {}
    for path in CONTENT.glob("*.json"):
        for scenario in json.loads(path.read_text(encoding="utf-8")).get("scenarios", []):
            found[scenario["slug"]] = path.name
    return found


def _module(name: str, language: str) -> dict:
    pack = json.loads((CONTENT / f"module-{name}.json").read_text(encoding="utf-8"))
    return next(m for m in pack["modules"] if m["language"] == language)


@pytest.fixture
def work_and_family_content(transactional_db):
    """Both modules and every scenario they list, so that both stand in the catalogue."""
    packs = _pack_of_each_scenario()
    names = {packs[slug] for name in PLAYS for slug in _module(name, "en")["scenarios"]}
    names = ["red-flag-types.json", *sorted(names), "module-at-work.json"]
    names.append("module-older-people.json")
    call_command("import_scenarios", *[str(CONTENT / n) for n in names], stdout=io.StringIO())


def scenario_in(slug: str, language: str) -> dict:
    pack = json.loads((CONTENT / _pack_of_each_scenario()[slug]).read_text(encoding="utf-8"))
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


@pytest.mark.parametrize("audience", list(PLAYS))
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_player_finds_the_module_and_plays_its_scenario_safely(
    new_page, live_server, work_and_family_content, language, audience
):
    reader, play = READERS[language], PLAYS[audience]
    scenario = scenario_in(play.slug, language)
    steps = {step["key"]: step for step in scenario["steps"]}
    module_title = _module(play.module, language)["title"]
    page = new_page(locale=reader.browser_locale)

    page.goto(live_server.url + "/")
    assert_all_in(page, language)
    expect(page.get_by_role("heading", name=reader.audiences[audience], level=3)).to_be_visible()
    cards = page.get_by_role("list", name=reader.audiences[audience])
    expect(cards.get_by_role("link", name=module_title)).to_be_visible()

    page.goto(f"{live_server.url}/s/{play.slug}/{language}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(scenario["title"])
    expect(page.locator(".facts")).to_contain_text(reader.basis)
    expect(page.locator(".facts")).to_contain_text(str(scenario["minutes"]))
    assert_all_in(page, language)
    page.get_by_role("button", name=reader.start_button).click()
    page.wait_for_load_state()

    for here, next_key in play.careful_path:
        expect(page.locator("#step-title")).to_have_text(steps[here]["title"])
        assert_all_in(page, language)
        answer(page, steps[here], next_key)

    assert "/result/" in page.url
    ending = steps["safe"]
    expect(page.get_by_role("heading", name=ending["title"])).to_be_visible()
    expect(page.locator(".score-total")).to_contain_text("100 / 100")
    expect(page.get_by_role("region", name=reader.basis)).to_contain_text(scenario["based_on"][:40])
    expect(page.get_by_role("region", name=reader.aftercare_heading)).to_be_visible()
    assert_all_in(page, language)
    assert blocking_violations(page) == []


def test_a_facilitator_opens_a_sessions_guide_prints_it_and_downloads_its_pdf(
    desk_page, live_server, work_and_family_content, alice
):
    """From a session made of the module for older people in Kazakh, the session's page leads
    to the module's guide, wholly in Kazakh; printed, it leaves out the site's navigation and
    its own buttons; its PDF downloads and reads back."""
    from pypdf import PdfReader

    from tests.browser.conftest import FACILITATOR_PASSWORD

    page = desk_page
    module = _module("older-people", "kk")
    page.goto(live_server.url + "/facilitator/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/facilitator/sessions/new/?language=kk")
    expect(
        page.get_by_role("link", name="Read the facilitator’s guide of each module")
    ).to_have_attribute("href", "/facilitator/guides/?language=kk")
    page.get_by_label("Title").fill("Ата-әжелер клубы")
    page.get_by_label("A module").select_option(label=module["title"])
    page.get_by_role("button", name="Make the session").click()
    expect(page.get_by_role("heading", name="Ата-әжелер клубы")).to_be_visible()
    page.get_by_role("link", name="Facilitator’s guide to this module").click()

    guide = page.locator("article.guide")
    expect(guide).to_have_attribute("lang", "kk")
    expect(guide.get_by_role("heading", level=1)).to_have_text(module["title"])
    expect(guide).to_contain_text(module["guide"]["before"])
    expect(guide.get_by_role("heading", name="Мектеп сабағы: 45 минут")).to_be_visible()
    expect(guide.get_by_role("heading", name="Жұмыстағы сессия: 30 минут")).to_be_visible()
    download = page.get_by_role("link", name="Download the PDF")
    expect(download).to_be_visible()
    assert blocking_violations(page) == []

    page.emulate_media(media="print")
    expect(guide).to_be_visible()
    for chrome in (".site-header", ".facilitator-nav", "p.no-print"):
        expect(page.locator(chrome).first).to_be_hidden()
    page.emulate_media(media="null")
    printed = PdfReader(io.BytesIO(page.pdf()))
    text = " ".join(p.extract_text() for p in printed.pages)
    assert "Жүргізуші нұсқаулығы" in text and "Download the PDF" not in text

    with page.expect_download() as downloaded:
        download.click()
    pdf = PdfReader(downloaded.value.path())
    first = pdf.pages[0].extract_text()
    assert module["title"] in first and "Жүргізуші нұсқаулығы" in first
