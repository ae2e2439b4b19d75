"""A player on a phone walks the built-in module "Online fraud: the basics" in a real browser:
the check before, both scenarios, the check after and the result, with and without
JavaScript; axe-core checks the check pages and the result.

The checks are answered by reading the page: each message's fieldset carries its item's id,
so the test looks up whether the message is a scam. Before the scenarios the player calls
every message a scam; after them they judge every message right. With 2 scams and 2
genuine messages in each check: before, both scams and both genuine messages called
scams (2 of 4 right); after, 4 of 4. The page shows the counts with no verdict on the one
player (scoring rule 7).
"""

import pytest
from playwright.sync_api import Page, expect

from scenarios.models import CheckItem
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_play_in_browser import assert_fits_the_phone, play_to_the_end
from trainer.models import Attempt, CheckAnswer, ModuleRun

pytestmark = pytest.mark.browser

MODULE = "Online fraud: the basics"


def everything_is_a_scam(item: CheckItem) -> bool:
    return True


def truthfully(item: CheckItem) -> bool:
    return not item.legitimate


def check_items_on(page: Page) -> list[tuple[str, CheckItem]]:
    """The check page's messages, as (the legend naming it, its item)."""
    found = []
    for fieldset in page.locator("fieldset.check-item").all():
        item_id = int(fieldset.get_attribute("id").removeprefix("item-"))
        found.append((fieldset.locator("legend").inner_text(), CheckItem.objects.get(pk=item_id)))
    return found


def choose(page: Page, legend: str, said_scam: bool) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    option = group.get_by_role("radio", name="Scam" if said_scam else "Not a scam", exact=True)
    option.check()
    expect(option).to_be_checked()


def answer_the_check(page: Page, said_scam) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check")
    assert_fits_the_phone(page)
    items = check_items_on(page)
    assert len(items) == 4
    for legend, item in items:
        expect(page.get_by_role("group", name=legend, exact=True)).to_contain_text(item.text)
        choose(page, legend, said_scam(item))
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state()


def open_the_module(page: Page, live_server) -> None:
    page.goto(live_server.url + "/")
    modules = page.get_by_role("region", name="Modules")
    modules.get_by_role("link", name=MODULE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE)
    expect(page.get_by_role("heading", name="How it works")).to_be_visible()
    assert_fits_the_phone(page)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Check before the scenarios")).to_be_visible()


def play_the_next_scenario(page: Page) -> None:
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()
    play_to_the_end(page)
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Continue the module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE)


def figures(page: Page) -> dict[str, tuple[str, str]]:
    rows = {}
    for row in page.locator("table.figures tbody tr").all():
        label = row.get_by_role("rowheader").inner_text()
        rows[label] = (row.locator("td.before").inner_text(), row.locator("td.after").inner_text())
    return rows


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_player_on_a_phone_walks_the_module_from_check_to_result(
    new_page, live_server, basics, javascript
):
    """Catalogue, module page, the check before, each scenario to its ending and back to
    the run, the check after, then the result: scores, the two checks side by side in
    plain words, and the messages judged wrong. No page scrolls sideways; with JavaScript
    on, axe finds nothing serious on the check pages and the result."""
    page = new_page(java_script_enabled=javascript)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    open_the_module(page, live_server)
    found = []
    page.get_by_role("link", name="Take the check").click()
    found += blocking_violations(page) if javascript else []
    answer_the_check(page, everything_is_a_scam)
    expect(
        page.get_by_role("listitem").filter(has_text="Check before the scenarios")
    ).to_contain_text("Done")
    assert_fits_the_phone(page)
    for _scenario in range(2):
        play_the_next_scenario(page)

    page.get_by_role("link", name="Take the check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check after the scenarios")
    found += blocking_violations(page) if javascript else []
    answer_the_check(page, truthfully)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    assert figures(page) == {
        "Scams you called scams": ("2 of 2", "2 of 2"),
        "False alarms: genuine messages you called scams": ("2 of 2", "0 of 2"),
    }
    expect(page.locator(".check-figures")).to_have_text("Right: 2 of 4 → 4 of 4")
    expect(page.locator(".no-verdict")).to_contain_text(
        "A check this short cannot show a change in one person"
    )
    expect(page.get_by_role("region", name="What you got wrong in the last check")).to_contain_text(
        "None: you judged every message of the last check correctly."
    )
    scores = page.get_by_role("region", name="Your score in each scenario").locator(".score-value")
    expect(scores).to_have_count(2)
    assert_fits_the_phone(page)
    found += blocking_violations(page) if javascript else []
    assert not found, "\n".join(found)
    assert errors == []

    run = ModuleRun.objects.get()
    assert run.finished_at is not None
    assert CheckAnswer.objects.filter(run=run).count() == 8
    assert Attempt.objects.filter(module_run=run, finished_at__isnull=False).count() == 2


def test_without_javascript_a_check_with_a_message_left_out_is_refused_and_keeps_the_answers(
    new_page, live_server, basics
):
    """The check page, JavaScript off: sent with one message unanswered, it comes back naming
    that message, keeps the answers given and stores nothing. Answered, it is stored; going
    back shows the run, and the same page sent again from a stale tab changes nothing."""
    page = new_page(java_script_enabled=False)
    open_the_module(page, live_server)
    page.get_by_role("link", name="Take the check").click()
    stale_tab = page.context.new_page()
    stale_tab.goto(page.url)
    items = check_items_on(page)
    for legend, item in items[:-1]:
        choose(page, legend, truthfully(item))
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved yet")
    expect(alert.get_by_role("link")).to_have_text([items[-1][0]])
    assert not CheckAnswer.objects.exists()
    for legend, item in items[:-1]:
        group = page.get_by_role("group", name=legend, exact=True)
        name = "Scam" if truthfully(item) else "Not a scam"
        expect(group.get_by_role("radio", name=name, exact=True)).to_be_checked()
    assert_fits_the_phone(page)

    page.reload()  # a refused form reloads as a page, not as a form sent again
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved yet")
    choose(page, items[-1][0], truthfully(items[-1][1]))
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE)
    said = dict(CheckAnswer.objects.values_list("item_id", "said_scam"))
    assert said == {item.id: truthfully(item) for _legend, item in items}

    assert page.go_back() is not None
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE)  # the run, not the check
    for legend, _item in check_items_on(stale_tab):
        choose(stale_tab, legend, True)
    stale_tab.get_by_role("button", name="Send my answers").click()
    stale_tab.wait_for_load_state()
    expect(stale_tab.get_by_role("heading", level=1)).to_have_text(MODULE)
    assert dict(CheckAnswer.objects.values_list("item_id", "said_scam")) == said
