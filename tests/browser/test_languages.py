"""A Kazakh or Russian reader sees no English: every player page, in a real browser.

The scenario is a small pack written in Kazakh and Russian (tests/packs/found-id-card-kk-ru.json);
an English-only scenario sits beside it and must not reach the Kazakh or Russian catalogue.
"""

import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_play_in_browser import assert_fits_the_phone
from tests.factories import build_scenario

pytestmark = pytest.mark.browser

PACK = Path(__file__).resolve().parents[1] / "packs" / "found-id-card-kk-ru.json"
ENGLISH_ONLY_TITLE = "A bargain phone"

# Names written in Latin letters in every language. "English" is the switcher's name for
# English, which is written in English on every page so that an English reader finds it.
LATIN_NAMES = ["eGov Mobile", "e-Otinish", "eGov", "Saq", "SMS", "Instagram", "WhatsApp"]
LATIN_NAMES += ["ID", "IIN", "QR", "CVV", "English"]
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# A word mixing Cyrillic and Latin letters is a typing slip (a Latin "i" for the Kazakh "і").
MIXED_WORD = re.compile(
    r"\w*(?:[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][A-Za-z]|[A-Za-z][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі])\w*"
)

# Everything a reader can see or hear on the page: its text, its title, and the labels and
# hints that screen readers and tooltips read out.
READABLE_TEXT = """() => [
  document.title,
  document.body.innerText,
  ...Array.from(document.querySelectorAll("[title], [aria-label], [placeholder], [alt]"))
    .flatMap(e => ["title", "aria-label", "placeholder", "alt"].map(a => e.getAttribute(a)))
    .filter(Boolean),
].join("\\n")"""


def english_left(text: str) -> list[str]:
    """Latin-letter words of three letters or more that are not names, and mixed words."""
    for name in sorted(LATIN_NAMES, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", " ", text)
    return sorted(set(LATIN_WORD.findall(text)) | set(MIXED_WORD.findall(text)))


def test_the_check_finds_english_and_lets_names_through():
    assert english_left("Шаг 1 · Start · eGov Mobile, e-Otinish, SMS-пен, Saq") == ["Start"]
    assert english_left("Ваш выбор: Cancel") == ["Cancel"]
    assert english_left("кiтап") == ["кiтап"]  # a Latin "i" inside a Kazakh word
    assert english_left("English · Қазақша · Русский") == []


@dataclass(frozen=True)
class Reader:
    language: str
    browser_locale: str
    title: str
    start_button: str
    other_language: str
    other_title: str
    ending_title: str
    aftercare_heading: str
    how_it_works: str


READERS = {
    "kk": Reader(
        language="kk",
        browser_locale="kk-KZ",
        title="Жоғалған куәлік табылды",
        start_button="Бастау",
        other_language="Русский",
        other_title="Нашлось потерянное удостоверение",
        ending_title="Картадан 150 000 ₸ шешіліп кетті",
        aftercare_heading="Қазақстанда қазір не істеуге болады",
        how_it_works="Қалай ойнаймыз",
    ),
    "ru": Reader(
        language="ru",
        browser_locale="ru-RU",
        title="Нашлось потерянное удостоверение",
        start_button="Начать",
        other_language="Қазақша",
        other_title="Жоғалған куәлік табылды",
        ending_title="С карты списали 150 000 ₸",
        aftercare_heading="Что можно сделать сейчас в Казахстане",
        how_it_works="Как это работает",
    ),
}


@pytest.fixture
def found_id_card(transactional_db):
    call_command("import_scenarios", str(PACK), stdout=io.StringIO())
    build_scenario(slug="english-only", language="en", title=ENGLISH_ONLY_TITLE)


def assert_all_in(page: Page, language: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language, page.url
    left = english_left(page.evaluate(READABLE_TEXT))
    assert not left, f"{page.url} ({language}): English left on the page: {left}"
    assert_fits_the_phone(page)


def mark_first_and_choose_first(page: Page) -> None:
    page.locator("input.mark").first.check()
    page.locator("button.choice").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_player_page_is_wholly_in_the_readers_language(
    new_page, live_server, found_id_card, language
):
    """Catalogue, scenario start, a step, the next step with its feedback, the ending with
    its debrief and what to do now, and a missing page: <html lang> is the reader's
    language and no English word is left in what they can read."""
    reader = READERS[language]
    page = new_page(locale=reader.browser_locale)
    page.goto(live_server.url + "/")
    assert_all_in(page, language)
    expect(page.get_by_role("link", name=reader.title)).to_be_visible()
    expect(page.get_by_role("link", name=reader.other_title)).to_have_count(0)

    page.get_by_role("link", name=reader.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reader.title)
    assert_all_in(page, language)
    other = page.locator(".also-in").get_by_role("link", name=reader.other_language)
    expected_href = f"/s/found-id-card/{'ru' if language == 'kk' else 'kk'}/"
    expect(other).to_have_attribute("href", expected_href)

    page.get_by_role("button", name=reader.start_button).click()
    page.wait_for_load_state()
    assert_all_in(page, language)
    mark_first_and_choose_first(page)
    expect(page.get_by_role("status")).to_be_visible()  # the feedback on the first choice
    assert_all_in(page, language)
    mark_first_and_choose_first(page)

    assert "/result/" in page.url
    expect(page.get_by_role("heading", name=reader.ending_title)).to_be_visible()
    aftercare = page.get_by_role("region", name=reader.aftercare_heading)
    expect(aftercare.get_by_role("listitem")).to_have_count(6)
    assert_all_in(page, language)
    assert blocking_violations(page) == []

    page.goto(f"{live_server.url}/play/{uuid.uuid4()}/")
    assert_all_in(page, language)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_switcher_switches_on_the_same_page_and_remembers(
    new_page, live_server, found_id_card, javascript
):
    """A Kazakh browser gets Kazakh first; "Русский" in the switcher on the Kazakh story's page
    shows the Russian story (it is written in Russian too), and the next page in Russian;
    "Қазақша" switches back on the same page. With JavaScript off as well."""
    page = new_page(locale="kk-KZ", java_script_enabled=javascript)
    page.goto(f"{live_server.url}/s/found-id-card/kk/")
    assert page.evaluate("document.documentElement.lang") == "kk"
    switcher = page.get_by_role("form", name="Сайт тілі")
    expect(switcher.locator("[aria-current=true]")).to_have_text("Қазақша")

    switcher.get_by_role("button", name="Русский").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/s/found-id-card/ru/"
    assert page.evaluate("document.documentElement.lang") == "ru"
    expect(page.get_by_role("heading", name=READERS["ru"].how_it_works)).to_be_visible()

    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.lang") == "ru"
    expect(page.get_by_role("link", name=READERS["ru"].title)).to_be_visible()

    page.get_by_role("form", name="Язык сайта").get_by_role("button", name="Қазақша").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/"
    assert page.evaluate("document.documentElement.lang") == "kk"
    expect(page.get_by_role("link", name=READERS["kk"].title)).to_be_visible()
