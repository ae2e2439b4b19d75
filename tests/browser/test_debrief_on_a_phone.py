"""The debrief on a 360 px phone, in Kazakh, Russian and English: a scammed ending's first
screen says what to do in the next hour; the red flags are a short list whose explanations
open one tap away; the story's picture shows the player's own path; and at 150 % text size
no page of play scrolls sideways."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import CONTENT, PHONE

pytestmark = pytest.mark.browser

# Each language's words the test reads on the page.
WORDS = {
    "en": {
        "start": "Start",
        "choices": "What do you do?",
        "now": "What to do now in Kazakhstan",
        "when": "In the next hour",
        "flags": "Red flags",
        "path": "Your path through the story",
    },
    "ru": {
        "start": "Начать",
        "choices": "Что вы сделаете?",
        "now": "Что можно сделать сейчас в Казахстане",
        "when": "В ближайший час",
        "flags": "Тревожные признаки",
        "path": "Ваш путь по истории",
    },
    "kk": {
        "start": "Бастау",
        "choices": "Не істейсіз?",
        "now": "Қазақстанда қазір не істеуге болады",
        "when": "Алдағы бір сағатта",
        "flags": "Қауіп белгілері",
        "path": "Оқиғадағы жолыңыз",
    },
}
MOST_STEPS = 20
LOADED = "img => img.complete && img.naturalWidth > 0"


@pytest.fixture
def the_cases(transactional_db):
    names = ["red-flag-types.json", "case-phone-seller.json", "case-multiply-money.json"]
    call_command("import_scenarios", *[str(CONTENT / n) for n in names], stdout=io.StringIO())


# The elements that stick out on the right, to say what makes a page scroll sideways.
STICKING_OUT = """() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node && out.length < 5; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = Math.max(0, ...[...range.getClientRects()].map(r => r.right));
    const where = node.parentElement;
    if (right > window.innerWidth + 1)
      out.push(`${where.tagName}.${where.className}: ${node.data.trim().slice(0, 40)}`);
  }
  return out;
}"""


def fits_sideways(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, (
        f"{page.url} scrolls sideways: {width}px wide in {viewport}px; "
        f"{page.evaluate(STICKING_OUT)}"
    )


def play_first_choices(page: Page, live_server, slug: str, language: str) -> None:
    """Start the scenario and take the first choice of every step, marking the first message."""
    page.goto(f"{live_server.url}/s/{slug}/{language}/")
    fits_sideways(page)
    # Each page is measured once it has loaded with its stylesheet: a layout read while
    # the CSS is still on its way is the bare HTML's.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=WORDS[language]["start"], exact=True).click()
    for _ in range(MOST_STEPS):
        if "/result/" in page.url:
            return
        fits_sideways(page)
        page.locator("input.mark").first.check()
        group = page.get_by_role("group", name=WORDS[language]["choices"])
        with page.expect_navigation(wait_until="load"):
            group.get_by_role("button").first.click()
    raise AssertionError("the scenario never ends")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_scammed_endings_first_screen_says_what_to_do_in_the_next_hour(
    new_page, live_server, the_cases, language
):
    page = new_page(locale={"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}[language])
    play_first_choices(page, live_server, "instagram-phone-seller", language)
    words = WORDS[language]
    now = page.get_by_role("region", name=words["now"])
    expect(now.locator(".aftercare-when")).to_have_text(words["when"])
    # The heading and the first action are on the first screen, before any scrolling.
    first_action = page.locator(".aftercare-actions li").first
    box = first_action.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    # The red flags: a short list, each explanation behind a tap.
    flags = page.get_by_role("region", name=words["flags"])
    items = flags.locator("details")
    assert items.count() >= 3
    explanation = items.first.locator(".flag-detail")
    expect(explanation).to_be_hidden()
    items.first.locator("summary").click()
    expect(explanation).to_be_visible()
    # The picture of the story: the player's path drawn, and said in words.
    story = page.get_by_role("region", name=words["path"])
    expect(story.get_by_role("img")).to_be_visible()
    expect(story.locator(".path-steps li")).not_to_have_count(0)
    fits_sideways(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"debrief height at 360 px ({language}): {height}px")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_at_150_percent_text_no_page_of_play_scrolls_sideways(
    new_page, live_server, the_cases, language
):
    """The browser's text size at 150 % (its default font at 24 px instead of 16, as a
    reader's setting makes it): every step (pictures among them), the ending and the
    debrief fit the phone's width."""
    page = new_page(locale={"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}[language])
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24, "fixed": 20}})
    for slug in ("multiply-money", "instagram-phone-seller"):
        play_first_choices(page, live_server, slug, language)
        size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
        assert size == "24px", size
        fits_sideways(page)
        for details in page.locator("details").all():
            details.locator("summary").click()
        fits_sideways(page)


@pytest.mark.parametrize("language", ["kk", "en"])
def test_a_step_with_a_picture_and_the_new_debrief_pass_axe(
    new_page, live_server, the_cases, language
):
    """The payout screenshots' step and the debrief, its explanations opened: no serious or
    critical violation; the picture's text is its accessible name."""
    from tests.browser.test_accessibility import blocking_violations

    page = new_page(locale={"kk": "kk-KZ", "en": "en-GB"}[language])
    page.goto(f"{live_server.url}/s/multiply-money/{language}/")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=WORDS[language]["start"], exact=True).click()
    picture = page.locator("img.message-picture")
    expect(picture).to_have_count(1)
    picture.scroll_into_view_if_needed()  # it loads lazily, when near the screen
    page.wait_for_function(LOADED, arg=picture.element_handle())
    expect(page.get_by_role("img", name=re.compile(r"150\s000\s₸"))).to_be_visible()
    found = blocking_violations(page)
    play_first_choices(page, live_server, "multiply-money", language)
    for details in page.locator("details").all():
        details.locator("summary").click()
    found += blocking_violations(page)
    assert not found, "\n".join(found)
