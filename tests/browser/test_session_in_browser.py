"""A session in real Chromium: a facilitator makes it, three players join from three
browsers (one with JavaScript off) and play, the board follows them without a reload, the
facilitator closes the session and downloads the CSV, whose rows match what was played."""

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import FACILITATOR_PASSWORD
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_play_in_browser import answer_step, assert_fits_the_phone
from trainer.models import Attempt, SessionPlayer

pytestmark = pytest.mark.browser


def make_session(page: Page, live_server, scenario_title: str = "", *, module: str = "") -> str:
    """Log in, make a session of one scenario or of a module; the join code shown for the
    projector."""
    page.goto(live_server.url + "/facilitator/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    page.get_by_role("link", name="New session").first.click()
    page.get_by_label("Title").fill("Class 9B")
    if module:
        page.get_by_label("A module").select_option(label=module)
    else:
        page.get_by_label(scenario_title).check()
    page.get_by_role("button", name="Make the session").click()
    expect(page.get_by_role("heading", name="Class 9B")).to_be_visible()
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    # The QR code is an SVG file the page loads: it must arrive and be drawn. (Read as
    # properties: a polled script would be evaluated as a string, which the CSP forbids.)
    expect(qr).to_have_js_property("complete", True)
    expect(qr).not_to_have_js_property("naturalWidth", 0)
    return page.locator(".join-code").inner_text().strip()


def join_by_code(page: Page, live_server, code: str, nickname: str) -> None:
    page.goto(live_server.url + "/join/")
    page.get_by_label("Join code").fill(code.lower())
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text(f"You play as {nickname}.")).to_be_visible()


def board_row(board: Page, nickname: str):
    return board.get_by_role("row").filter(has=board.get_by_role("rowheader", name=nickname))


def test_a_facilitator_runs_a_session_for_three_players_and_files_its_report(
    new_page, desk_page, live_server, phone_seller, alice, settings
):
    settings.BOARD_REFRESH_SECONDS = 1
    facilitator = desk_page
    errors = []  # a console error (a broken Content-Security-Policy is one) or a thrown one
    facilitator.on("console", lambda m: m.type == "error" and errors.append(m.text))
    facilitator.on("pageerror", lambda error: errors.append(str(error)))
    code = make_session(facilitator, live_server, phone_seller.title)
    join_link = facilitator.locator(f'a[href$="/join/{code}/"]').get_attribute("href")

    aigul, dmitry, sam = new_page(), new_page(), new_page(java_script_enabled=False)
    aigul.on("console", lambda m: m.type == "error" and errors.append(m.text))
    join_by_code(aigul, live_server, code, "Айгүл")
    assert not blocking_violations(aigul)
    dmitry.goto(join_link)  # the link, as the QR code gives it
    dmitry.get_by_label("Nickname").fill("Дмитрий")
    dmitry.get_by_role("button", name="Join").click()
    join_by_code(sam, live_server, code, "Sam")
    assert_fits_the_phone(sam)

    facilitator.get_by_role("link", name="Live board").first.click()
    expect(facilitator.get_by_text("3 players joined")).to_be_visible()
    facilitator.evaluate("window.notReloaded = true")

    for player in (aigul, dmitry):
        player.get_by_role("button", name="Play").click()
        while "/result/" not in player.url:
            answer_step(player)
        player.get_by_role("link", name="Back to the session").click()
        expect(player.get_by_text(re.compile(r"Done: \d+ / 100"))).to_be_visible()
    sam.get_by_role("button", name="Play").click()
    answer_step(sam)  # one step, then the session is closed under him

    for nickname in ("Айгүл", "Дмитрий"):
        expect(board_row(facilitator, nickname)).to_contain_text("all done", timeout=10_000)
    expect(board_row(facilitator, "Sam")).to_contain_text("scenario 1, step 2", timeout=10_000)
    assert facilitator.evaluate("window.notReloaded") is True  # updated in place

    facilitator.get_by_role("link", name="The group's choices").click()
    expect(facilitator.get_by_text("3 players answered it")).to_be_visible()
    assert not blocking_violations(facilitator)

    facilitator.get_by_role("link", name="Live board").last.click()
    facilitator.get_by_role("link", name="Join code and QR code").click()
    facilitator.get_by_role("link", name="Close the session").click()
    facilitator.get_by_role("button", name="Close it").click()
    expect(facilitator.get_by_text("The session is closed")).to_be_visible()
    assert not blocking_violations(facilitator)  # the report
    facilitator.get_by_role("link", name="Sessions").click()
    facilitator.get_by_role("link", name="Live board").click()
    expect(board_row(facilitator, "Sam")).to_contain_text("scenario 1, step 2")
    assert not blocking_violations(facilitator)  # the board, still now that it is closed
    facilitator.get_by_role("link", name="Report").last.click()

    answer_step(sam)  # the answer is refused, with a clear message
    expect(
        sam.get_by_text("This session has been closed: it takes no more answers.")
    ).to_be_visible()

    assert errors == []

    with facilitator.expect_download() as download:
        facilitator.get_by_role("link", name="Download CSV").click()
    body = download.value.path().read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    played = {
        player.nickname: Attempt.objects.get(player_key=player.player_key)
        for player in SessionPlayer.objects.all()
    }
    assert [row["Nickname"] for row in rows] == ["Айгүл", "Дмитрий", "Sam"]
    for row in rows:
        attempt = played[row["Nickname"]]
        assert row["Scenario"] == phone_seller.title
        assert row["Steps answered"] == str(attempt.answers.count())
        if attempt.is_finished:
            assert (row["Status"], row["Score"]) == ("finished", str(attempt.score))
            assert row["Ending"] == attempt.current_step.get_ending_display()
        else:
            assert (row["Status"], row["Score"], row["Steps answered"]) == ("not finished", "", "1")
