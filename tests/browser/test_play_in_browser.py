"""A player on a phone plays the fake phone seller in a real browser, with and without JavaScript.

The tests follow the scenario by reading the page: on every step they mark the first message
as suspicious, take the first choice, and read the feedback, until the ending and its debrief.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from trainer.models import Attempt, StepAnswer

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360
MOST_STEPS = 20  # a scenario longer than this is a loop, not a story


def assert_fits_the_phone(page: Page) -> None:
    """Nothing on the page is wider than the phone: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px wide"


def open_and_start(page: Page, live_server, case) -> None:
    page.goto(live_server.url + "/")
    assert_fits_the_phone(page)
    page.get_by_role("link", name=case.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.title)
    assert_fits_the_phone(page)
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()


def message_texts(page: Page) -> list[str]:
    """The words of the messages to mark (not the player's own, shown above them)."""
    words = page.locator("li.message:not(.message-own) .bubble-text").all_inner_texts()
    return [" ".join(text.split()) for text in words]


def choice_texts(page: Page) -> list[str]:
    return page.get_by_role("group", name="What do you do?").get_by_role("button").all_inner_texts()


def answer_step(page: Page) -> str:
    """Mark the first message as suspicious, take the first choice; return the choice's text.

    The control reads "Mark as suspicious" and is described by the message it marks."""
    first = page.locator("li.message").filter(has_text=message_texts(page)[0]).first
    mark = first.get_by_role("checkbox", name=re.compile("^Mark (the message )?as suspicious$"))
    # Any white space between the words: the description keeps a message's no-break spaces
    # ("18 600 ₸"), which message_texts writes as plain ones.
    words = message_texts(page)[0].split()
    expect(mark).to_have_accessible_description(re.compile(r"\s+".join(map(re.escape, words))))
    mark.check()
    expect(mark).to_be_checked()
    choice = choice_texts(page)[0]
    page.get_by_role("button", name=choice, exact=True).click()
    page.wait_for_load_state()  # the next step, or the ending
    return choice


def play_to_the_end(page: Page) -> list[str]:
    """Answer step after step until the ending; return the choices taken."""
    taken = []
    while "/result/" not in page.url:
        assert len(taken) < MOST_STEPS, "the scenario never ends"
        expect(page.get_by_role("group", name="What do you do?")).to_be_visible()
        assert_fits_the_phone(page)
        taken.append(answer_step(page))
        feedback = page.get_by_role("status")
        expect(feedback).to_contain_text("You chose:")
        expect(feedback).to_contain_text(taken[-1])
    return taken


def assert_debrief(page: Page, case) -> None:
    expect(page.get_by_role("heading", name=case.ending_title)).to_be_visible()
    expect(page.locator(".score-total")).to_contain_text(re.compile(r"^\d+ / 100$"))
    debrief = page.get_by_role("region", name="Debrief")
    expect(debrief).to_contain_text(re.compile("Red flag you (caught|missed)"))
    expect(page.get_by_role("heading", name="Documented case")).to_be_visible()
    assert_fits_the_phone(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_player_on_a_phone_plays_to_the_ending_and_reads_the_debrief(
    new_page, live_server, phone_seller, javascript
):
    """At 360×740, with or without JavaScript: catalogue, start, every step answered by
    marking a message and taking a choice, feedback after each, then the ending, the score,
    the red flags caught or missed and the documented case. No page scrolls sideways."""
    page = new_page(java_script_enabled=javascript)
    open_and_start(page, live_server, phone_seller)
    taken = play_to_the_end(page)
    assert_debrief(page, phone_seller)
    attempt = Attempt.objects.get()
    assert attempt.is_finished and attempt.answers.count() == len(taken)
    assert [answer.choice.text for answer in attempt.answers.all()] == taken


def test_reload_back_and_an_old_form_sent_again_count_each_step_once(
    page, live_server, phone_seller
):
    """After a step is answered, reloading and pressing back show the current step (never the
    step already answered), and the old step's form, sent again from a stale copy in another
    tab, changes nothing: every position is counted once."""
    open_and_start(page, live_server, phone_seller)
    old_tab = page.context.new_page()  # the first step, left open in a second tab
    old_tab.goto(page.url)
    first_step = message_texts(page)
    answer_step(page)
    second_step = message_texts(page)
    assert second_step != first_step

    page.reload()
    assert message_texts(page) == second_step
    assert page.go_back() is not None, "there was no page to go back to"
    assert "/play/" in page.url
    assert message_texts(page) == second_step
    expect(page.get_by_text("Step 2 of about")).to_be_visible()

    assert old_tab.locator("input[name=position]").input_value() == "0"  # the stale form
    answer_step(old_tab)
    assert message_texts(old_tab) == second_step
    expect(old_tab.get_by_text("Step 2 of about")).to_be_visible()

    assert Attempt.objects.get().position == 1
    assert list(StepAnswer.objects.values_list("position", flat=True)) == [0]


def test_the_play_pages_log_no_console_error_and_break_no_content_security_policy(
    page, live_server, phone_seller
):
    """With JavaScript on and the site's Content-Security-Policy enforced, no page from the
    catalogue to the debrief logs an error to the console (a CSP violation is one) or throws."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_and_start(page, live_server, phone_seller)
    play_to_the_end(page)
    assert_debrief(page, phone_seller)
    assert errors == []
