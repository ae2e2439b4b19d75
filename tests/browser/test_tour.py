"""The README's five-minute tour, walked in Chromium step by step: play a case, run a
session with two phones, write a scenario. Each step saves the screenshot the README shows
(docs/tour/*.png) when SAQ_TOUR_PICTURES=1 (`make tour`), so the pictures stay current; a
step that no longer works fails here. Otherwise the pictures go to a temporary folder, so
that a test run leaves the checkout as it was (join codes and times differ every run). The
pictures themselves are not compared: a changed pixel is no failure."""

import io
import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.authoring import authors_group
from tests.browser.test_play_in_browser import answer_step, play_to_the_end
from tests.browser.test_session_in_browser import join_by_code, make_session

pytestmark = pytest.mark.browser

TOUR = (
    Path(__file__).resolve().parents[2] / "docs" / "tour"
    if os.environ.get("SAQ_TOUR_PICTURES") == "1"
    else Path(tempfile.gettempdir()) / "saq-tour"
)
AUTHOR_PASSWORD = "a long pass phrase for the author"


def shot(page: Page, name: str) -> None:
    TOUR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=TOUR / f"{name}.png", full_page=False)


def test_the_tour_of_the_readme_works_and_keeps_its_pictures(
    new_page, desk_page, live_server, phone_seller, alice
):
    # 1. Play a case, on a phone.
    phone = new_page()
    phone.goto(live_server.url + "/")
    shot(phone, "1-catalogue")
    phone.get_by_role("link", name=phone_seller.title).first.click()
    phone.get_by_role("button", name="Start").click()
    expect(phone.get_by_role("checkbox").first).to_be_visible()
    shot(phone, "2-step")
    answer_step(phone)
    play_to_the_end(phone)
    expect(phone.get_by_role("heading", name=phone_seller.ending_title)).to_be_visible()
    shot(phone, "3-debrief")

    # 2. Run a session with two phones: the facilitator's projector page, two players.
    code = make_session(desk_page, live_server, phone_seller.title)
    shot(desk_page, "4-session")
    first, second = new_page(), new_page()
    first.goto(live_server.url + "/join/")
    first.get_by_label("Join code").fill(code.lower())
    first.get_by_label("Nickname").fill("Aigul")
    shot(first, "5-join")
    first.get_by_role("button", name="Join").click()
    expect(first.get_by_text("You play as Aigul.")).to_be_visible()
    join_by_code(second, live_server, code, "Dana")
    for player in (first, second):
        player.get_by_role("button", name="Play").click()
        answer_step(player)
    desk_page.get_by_role("link", name="Live board").click()
    expect(desk_page.get_by_role("rowheader", name="Aigul")).to_be_visible()
    expect(desk_page.get_by_role("rowheader", name="Dana")).to_be_visible()
    shot(desk_page, "6-board")

    # 3. Write a scenario: an author made with one command, in the admin.
    authors_group()  # as its migration makes it: a flushed database lost it
    call_command("make_staff", "--author", "aigerim", "--no-input", stdout=io.StringIO())
    author = get_user_model().objects.get(username="aigerim")
    author.set_password(AUTHOR_PASSWORD)
    author.save()
    desk_page.context.clear_cookies()  # alice leaves the desk to the author
    admin = desk_page
    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill("aigerim")
    admin.get_by_label("Password").fill(AUTHOR_PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.locator("#scenarios-scenario").get_by_role("link", name="Scenarios").click()
    admin.get_by_role("link", name="Add scenario").click()
    admin.get_by_label("Slug").fill("cheap-phone")
    admin.get_by_label("Language").select_option("en")
    admin.get_by_label("Title").fill("A phone at a third of the price")
    admin.get_by_label("Summary").fill("A seller in a chat offers a new phone far below its price.")
    admin.get_by_label("Channel").select_option(label="Messenger chat")
    admin.get_by_label("Based on").fill("Astana, 2021: a seller took deposits and sent nothing.")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.get_by_text("Draft of version 1")).to_be_visible()
    shot(admin, "7-draft")
