"""axe-core finds no serious or critical accessibility violation on the player's pages.

axe is injected through Playwright (the DevTools protocol), which the site's
Content-Security-Policy does not block, so the pages are checked exactly as they are served.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.test_play_in_browser import answer_step

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def blocking_violations(page: Page) -> list[str]:
    """Each serious or critical violation on the page, as "id (impact): help -> targets"."""
    violations = Axe().run(page).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(node["target"]) for node in v["nodes"])
        for v in violations
        if v["impact"] in BLOCKING
    ]


def test_catalogue_start_step_and_debrief_have_no_serious_accessibility_violation(
    page, live_server, phone_seller
):
    """The catalogue, the scenario's start page, a step (showing the feedback on the previous
    choice) and the ending with its debrief pass axe-core: no violation of impact serious
    or critical."""
    found = []
    page.goto(live_server.url + "/")
    found += blocking_violations(page)
    page.get_by_role("link", name=phone_seller.title).click()
    found += blocking_violations(page)
    page.get_by_role("button", name="Start").click()
    answer_step(page)
    found += blocking_violations(page)
    while "/result/" not in page.url:
        answer_step(page)
    found += blocking_violations(page)
    assert not found, "\n".join(found)
