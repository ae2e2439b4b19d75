"""A return code in real Chromium with JavaScript off: a player finishes a session on a
phone and is shown four words once; weeks later, on another phone, she joins the
follow-up with them (a typing slip first) and is linked to her earlier self. In Kazakh and
Russian the same pages have no English left, and the words are in the reader's language."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from scenarios.models import Scenario
from tests.browser.conftest import CONTENT
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_languages import PACK, READABLE_TEXT, english_left
from tests.browser.test_play_in_browser import assert_fits_the_phone
from tests.session_factories import organisation
from trainer.models import SessionPlayer, TrainingSession
from trainer.sessions.return_words import LANGUAGES, WORDS
from trainer.sessions.services import session_close, session_create

pytestmark = pytest.mark.browser


def assert_all_in(page: Page, language: str, *codes: str) -> None:
    """The page is in the reader's language: no English word is left, once the join codes
    shown on it and "e-mail" (written in Latin letters in Kazakh and Russian too) are set
    aside."""
    assert page.evaluate("document.documentElement.lang") == language, page.url
    text = page.evaluate(READABLE_TEXT)
    for code in (*codes, "e-mail"):
        text = text.replace(code, " ")
    assert english_left(text) == [], f"{page.url} ({language}): English left"
    assert_fits_the_phone(page)


def make_session(slug: str, language: str, title: str, follow_up_of=None) -> TrainingSession:
    return session_create(
        organisation=organisation(),
        created_by=None,
        title=title,
        language=language,
        scenarios=[Scenario.objects.get(slug=slug, language=language)],
        follow_up_of=follow_up_of,
    )


def finish_and_read_the_code(
    page: Page, live_server, session: TrainingSession, nickname: str = "Айгүл"
) -> list[str]:
    """Join by the link, play the session's scenario to its end, go back to the session's
    page: the four words shown there."""
    page.goto(f"{live_server.url}/join/{session.code}/")
    page.locator("input[name=nickname]").fill(nickname)
    page.locator(".join-form button[type=submit]").click()
    page.locator(".session-scenarios button").click()
    while "/result/" not in page.url:
        if page.locator("input.mark").count():
            page.locator("input.mark").first.check()
        page.locator("button.choice").first.click()
        page.wait_for_load_state()
    page.locator(f'a[href="/join/{session.code}/"]').last.click()
    words = page.locator(".return-code-words li").all_inner_texts()
    assert len(words) == 4
    return words


def test_a_player_joins_a_follow_up_with_her_return_code_with_javascript_off(
    new_page, live_server, transactional_db
):
    packs = [CONTENT / "red-flag-types.json", CONTENT / "case-phone-seller.json"]
    call_command("import_scenarios", *map(str, packs), stdout=io.StringIO())
    earlier = make_session("instagram-phone-seller", "en", "Class 9B")
    phone = new_page(java_script_enabled=False)
    words = finish_and_read_the_code(phone, live_server, earlier)
    code = phone.get_by_role("region", name="Your return code")
    expect(code).to_contain_text("They are shown until you press the button below.")
    assert all(word in {row[0] for row in WORDS} for word in words)  # English on this page
    assert_fits_the_phone(phone)
    phone.reload()  # still there after a reload
    assert phone.locator(".return-code-words li").all_inner_texts() == words
    phone.get_by_role("button", name="I wrote it down").click()  # a POST, no script needed
    expect(phone.get_by_text("You wrote down your return code.")).to_be_visible()
    expect(phone.locator(".return-code-words")).to_have_count(0)
    # axe needs scripts: a classmate's phone with JavaScript on shows the same panel.
    classmate = new_page()
    finish_and_read_the_code(classmate, live_server, earlier, "Dana")
    assert blocking_violations(classmate) == []
    session_close(session=earlier)

    later = make_session("instagram-phone-seller", "en", "Class 9B, later", earlier)
    other_phone = new_page(java_script_enabled=False)
    other_phone.goto(live_server.url + "/join/")
    other_phone.get_by_label("Join code").fill(later.code.lower())
    other_phone.get_by_label("Nickname").fill("Aigul")
    field = other_phone.get_by_label("Return code (optional)")
    expect(field).to_be_hidden()  # folded away: most players have none
    other_phone.get_by_text("I have a return code from an earlier session").click()
    field.fill(" ".join(words[:3]))  # a word left out
    other_phone.get_by_role("button", name="Join").click()
    expect(other_phone.get_by_text("A return code is 4 words; you typed 3.")).to_be_visible()
    assert not SessionPlayer.objects.filter(session=later).exists()
    assert_fits_the_phone(other_phone)

    field.fill("  " + " - ".join(words).upper() + " ")
    other_phone.get_by_role("button", name="Join").click()
    expect(other_phone.get_by_text("You play as Aigul.")).to_be_visible()
    expect(
        other_phone.get_by_text("Your return code linked you to the earlier session")
    ).to_be_visible()
    assert_fits_the_phone(other_phone)
    player = SessionPlayer.objects.get(session=later)
    assert player.returning_from == SessionPlayer.objects.get(session=earlier, nickname="Айгүл")
    with_scripts = new_page()
    with_scripts.goto(live_server.url + "/join/")
    with_scripts.get_by_text("I have a return code from an earlier session").click()
    expect(with_scripts.get_by_label("Return code (optional)")).to_be_visible()
    assert blocking_violations(with_scripts) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_code_and_the_follow_ups_join_page_are_wholly_in_the_readers_language(
    new_page, live_server, transactional_db, language
):
    call_command("import_scenarios", str(PACK), stdout=io.StringIO())
    earlier = make_session("found-id-card", language, "9Б сыныбы")
    phone = new_page(locale=f"{language}-KZ", java_script_enabled=False)
    words = finish_and_read_the_code(phone, live_server, earlier)
    column = LANGUAGES.index(language)
    assert all(word in {row[column] for row in WORDS} for word in words)
    assert_all_in(phone, language, earlier.code)

    later = make_session("found-id-card", language, "9Б сыныбы, қайталау", earlier)
    phone.goto(f"{live_server.url}/join/{later.code}/")
    assert_all_in(phone, language, later.code)
    phone.locator("input[name=nickname]").fill("Айгүл")
    phone.locator("input[name=return_code]").fill("horse dog cat bird")  # nobody's code
    phone.locator(".join-form button[type=submit]").click()
    assert_all_in(phone, language, later.code)
    expect(phone.locator(".field-error")).to_have_count(1)
    phone.locator("input[name=return_code]").fill(" ".join(words))
    phone.locator(".join-form button[type=submit]").click()
    expect(phone.locator(".session-scenarios")).to_be_visible()
    assert_all_in(phone, language, later.code)
    assert SessionPlayer.objects.get(session=later).returning_from is not None
    phone.goto(live_server.url + "/join/")
    phone.locator("details.form-more summary").click()
    assert_all_in(phone, language)
