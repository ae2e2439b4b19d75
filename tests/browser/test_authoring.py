"""An author builds a scenario in the admin in real Chromium, checks it, previews it and
publishes it; a player then finds it in the catalogue and plays it to an ending.

Everything is done through the admin's pages, under the site's strict Content-Security-Policy,
which must not be broken on any of them (a violation is logged to the console as an error).
"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from scenarios.models import Scenario
from tests.authoring import PASSWORD, author
from tests.browser.conftest import CONTENT
from trainer.models import Attempt

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
TITLE = "A phone at a third of the price"


@pytest.fixture
def taxonomy(transactional_db):
    """The red-flag taxonomy every deployment ships, and an author to write with it."""
    call_command("import_scenarios", str(CONTENT / "red-flag-types.json"), stdout=io.StringIO())
    return author("aigerim")


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def create_scenario(page: Page) -> None:
    # The model's row on the admin's index (the app is called Scenarios too).
    page.locator("#scenarios-scenario").get_by_role("link", name="Scenarios").click()
    page.get_by_role("link", name="Add scenario").click()
    page.get_by_label("Slug").fill("cheap-phone")
    page.get_by_label("Language").select_option("en")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("A seller in a chat offers a new phone far below its price.")
    page.get_by_label("Channel").select_option(label="Messenger chat")
    page.get_by_label("Based on").fill("Astana, 2021: a seller took deposits and sent nothing.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Draft of version 1")).to_be_visible()


def write_steps(page: Page) -> None:
    rows = [
        {"title": "The offer", "start": True},
        {"title": "The seller insists"},
        {
            "title": "You paid",
            "ending": "Scammed",
            "text": "The seller blocked you.",
            "loss": "60000",
        },
        {"title": "You walked away", "ending": "Safe", "text": "No phone, but no loss either."},
    ]
    for i, row in enumerate(rows):
        page.locator(f'[name="steps-{i}-title"]').fill(row["title"])
        if row.get("start"):
            page.locator(f'[name="steps-{i}-is_start"]').check()
        if row.get("ending"):
            page.locator(f'[name="steps-{i}-ending"]').select_option(label=row["ending"])
            page.locator(f'[name="steps-{i}-text"]').fill(row["text"])
        if row.get("loss"):
            page.locator(f'[name="steps-{i}-loss_kzt"]').fill(row["loss"])
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator("#steps-3 input[name='steps-3-key']")).to_have_value("you-walked-away")


def write_scene(page: Page, row: int, messages: list[dict], choices: list[dict]) -> None:
    """Open a step from the draft's list of steps and write its messages and choices."""
    page.locator(f"#steps-{row} a.inlinechangelink").click()
    for i, message in enumerate(messages):
        page.locator(f'[name="messages-{i}-text"]').fill(message["text"])
        if message.get("flag"):
            page.locator(f'[name="messages-{i}-flag"]').select_option(label=message["flag"])
            page.locator(f'[name="messages-{i}-explanation"]').fill(message["explanation"])
    for i, choice in enumerate(choices):
        page.locator(f'[name="choices-{i}-text"]').fill(choice["text"])
        page.locator(f'[name="choices-{i}-verdict"]').select_option(label=choice["verdict"])
        page.locator(f'[name="choices-{i}-next_step"]').select_option(label=choice["next"])
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Draft of version 1")).to_be_visible()


def play_marking_the_first_message(page: Page, choices: list[str]) -> None:
    for choice in choices:
        page.locator("label.mark-toggle").first.click()
        page.get_by_role("button", name=choice, exact=True).click()
        page.wait_for_load_state()


def test_an_author_builds_previews_and_publishes_a_scenario_that_a_player_then_plays(
    browser, new_page, live_server, taxonomy
):
    page = browser.new_page(viewport=DESKTOP, locale="en-GB")
    page.set_default_timeout(15_000)
    errors = watch_console(page)
    log_in(page, live_server, "aigerim")
    create_scenario(page)
    write_steps(page)
    expect(page.get_by_text('Step "The offer (the-offer)" has no messages')).to_be_visible()

    write_scene(
        page,
        0,
        messages=[
            {
                "text": "iPhone 15, new, 150 000 ₸, only today!",
                "flag": "Price too good to be true (too-good-price)",
                "explanation": "The same phone costs about 450 000 ₸.",
            },
            {"text": "Hello! Thanks for writing."},
        ],
        choices=[
            {
                "text": "Pay 60 000 ₸ now",
                "verdict": "Harmful",
                "next": "You paid (you-paid, ending)",
            },
            {
                "text": "Ask to see the phone first",
                "verdict": "Safe",
                "next": "The seller insists (the-seller-insists)",
            },
        ],
    )
    write_scene(
        page,
        1,
        messages=[
            {
                "text": "Only a deposit today, or someone else gets it.",
                "flag": "Pressure and urgency (pressure)",
                "explanation": "Hurry stops you checking.",
            }
        ],
        choices=[
            {
                "text": "Walk away",
                "verdict": "Safe",
                "next": "You walked away (you-walked-away, ending)",
            },
            {"text": "Send the deposit", "verdict": "Risky", "next": "You paid (you-paid, ending)"},
        ],
    )

    # The graph check passes and the picture shows four boxes and four arrows.
    expect(page.locator(".check-passed")).to_contain_text("Passed: every step can be reached")
    picture = page.locator("svg.story-svg")
    expect(picture).to_be_visible()
    expect(picture.locator("rect")).to_have_count(4)
    expect(picture.locator("path.edge")).to_have_count(4)
    expect(picture.locator("path.edge-harmful")).to_have_count(1)
    expect(picture.locator("g.box-scammed")).to_have_count(1)

    # Preview: the player's own pages, marked as a preview, counted nowhere.
    page.get_by_role("button", name="Preview as a player").click()
    expect(page.get_by_text("Preview of a draft")).to_be_visible()
    play_marking_the_first_message(page, ["Ask to see the phone first", "Walk away"])
    expect(page.get_by_role("heading", name="You walked away")).to_be_visible()
    page.get_by_role("link", name="Back to the draft").last.click()

    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text("Version 1 is published: players start it from now on.")
    ).to_be_visible()
    expect(page.get_by_text("published: players start this one")).to_be_visible()
    assert errors == [], errors

    # A player on a phone finds it and plays it to an ending.
    player = new_page()
    player.goto(live_server.url + "/")
    player.get_by_role("link", name=TITLE).click()
    player.get_by_role("button", name="Start").click()
    play_marking_the_first_message(player, ["Pay 60 000 ₸ now"])
    expect(player.get_by_role("heading", name="You paid")).to_be_visible()
    expect(player.get_by_text("Red flag you caught")).to_be_visible()

    scenario = Scenario.objects.get(slug="cheap-phone")
    assert scenario.current_version.published_by.username == "aigerim"
    counted = Attempt.objects.counted().get()
    assert counted.is_finished and counted.version == scenario.current_version
    assert Attempt.objects.filter(preview=True).count() == 1
    page.close()
