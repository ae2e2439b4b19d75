"""A session made from the built-in module, in real Chromium: a player on a phone takes the
check before, plays both scenarios, takes the check after and reads their result; a
second player, JavaScript off, takes the check before. The facilitator's board follows
them through the checks, and the report reads the group's before and after.

The player calls every message a scam before and judges every message right after, with
2 scams and 2 genuine messages in each check: 2 of 4 right, then 4 of 4, shown with no
verdict on the one player; one player is too few for the group's reading.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_module import (
    MODULE,
    answer_the_check,
    everything_is_a_scam,
    figures,
    truthfully,
)
from tests.browser.test_play_in_browser import assert_fits_the_phone, play_to_the_end
from tests.browser.test_session_in_browser import board_row, join_by_code, make_session
from trainer.models import Attempt, CheckAnswer, ModuleRun

pytestmark = pytest.mark.browser


def step(page: Page, title: str):
    """A step of the player's way through the module on the session's page."""
    return page.locator("li.run-step").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def test_a_player_goes_through_the_modules_check_before_and_after_in_a_session(
    new_page, desk_page, live_server, basics, alice, settings
):
    settings.BOARD_REFRESH_SECONDS = 1
    facilitator = desk_page
    errors = []
    code = make_session(facilitator, live_server, module=MODULE)
    facilitator.get_by_role("link", name="Live board").first.click()

    aigul, sam = new_page(), new_page(java_script_enabled=False)
    for page in (aigul, facilitator):
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    join_by_code(aigul, live_server, code, "Айгүл")
    join_by_code(sam, live_server, code, "Sam")
    expect(step(aigul, "Check before the scenarios")).to_contain_text("Take the check")
    expect(step(aigul, "A bargain phone on Instagram")).to_contain_text("Not yet")
    assert_fits_the_phone(aigul)
    found = blocking_violations(aigul)
    expect(board_row(facilitator, "Айгүл")).to_contain_text("check before the scenarios")

    aigul.get_by_role("link", name="Take the check").click()
    expect(aigul.get_by_text(f"Session {code}")).to_be_visible()
    found += blocking_violations(aigul)
    answer_the_check(aigul, everything_is_a_scam)
    expect(step(aigul, "Check before the scenarios")).to_contain_text("Done")
    sam.get_by_role("link", name="Take the check").click()
    answer_the_check(sam, truthfully)
    expect(step(sam, "Check before the scenarios")).to_contain_text("Done")
    expect(board_row(facilitator, "Sam")).to_contain_text("waiting")

    for _scenario in range(2):
        aigul.get_by_role("button", name="Start").click()
        aigul.wait_for_load_state()
        play_to_the_end(aigul)
        aigul.get_by_role("link", name="Back to the session").click()
    expect(aigul.get_by_text("Done: ")).to_have_count(2)
    expect(board_row(facilitator, "Айгүл")).to_contain_text("check after the scenarios")

    aigul.get_by_role("link", name="Take the check").click()
    expect(aigul.get_by_role("heading", level=1)).to_have_text("Check after the scenarios")
    answer_the_check(aigul, truthfully)
    expect(aigul.get_by_role("heading", level=1)).to_have_text("Your result")
    assert figures(aigul) == {
        "Scams you called scams": ("2 of 2", "2 of 2"),
        "False alarms: genuine messages you called scams": ("2 of 2", "0 of 2"),
    }
    expect(aigul.locator(".check-figures")).to_have_text("Right: 2 of 4 → 4 of 4")
    expect(aigul.get_by_role("heading", name="Come back for a short booster")).to_have_count(0)
    assert_fits_the_phone(aigul)
    found += blocking_violations(aigul)
    expect(board_row(facilitator, "Айгүл")).to_contain_text("all done")

    facilitator.get_by_role("link", name="Report").click()
    check = facilitator.get_by_role("region", name="Before and after: the module's check")
    expect(check).to_contain_text("From 1 player who took the check before and after.")
    expect(check).to_contain_text("9 more players are needed")
    d_prime = check.get_by_role(
        "row", name="Discernment d′ (higher tells them apart better), mean of the players"
    )
    expect(d_prime).to_contain_text("0.00")
    expect(d_prime).to_contain_text("1.93")
    found += blocking_violations(facilitator)
    assert not found, "\n".join(found)
    assert errors == []

    run = ModuleRun.objects.get(session__code=code, finished_at__isnull=False)
    assert CheckAnswer.objects.filter(run=run).count() == 8
    assert Attempt.objects.filter(module_run=run, session=run.session).count() == 2
    assert CheckAnswer.objects.filter(run__session=run.session).count() == 12  # Sam's 4
