"""The gallery a new author looks at (docs/gallery.md): each channel as a player sees it on a
360 px phone, with a built-in scenario's first step, and the debrief of a scammed ending.

The pictures are written to docs/gallery/ when SAQ_GALLERY_PICTURES=1 (`make gallery`) and
to a temporary folder otherwise, so a test run leaves the checkout as it was; a channel
whose page no longer shows its messages fails here. Pixels are never compared."""

import io
import os
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import CONTENT

pytestmark = pytest.mark.browser

GALLERY = (
    Path(__file__).resolve().parents[2] / "docs" / "gallery"
    if os.environ.get("SAQ_GALLERY_PICTURES") == "1"
    else Path(tempfile.gettempdir()) / "saq-gallery"
)
# Each channel, and the built-in scenario (its pack, its slug) that shows it.
CHANNELS = {
    "social_dm": ("case-phone-seller.json", "instagram-phone-seller"),
    "messenger": ("case-multiply-money.json", "multiply-money"),
    "sms": ("legit-bank-sms.json", "genuine-bank-sms"),
    "phone_call": ("scam-card-code.json", "bank-security-call"),
    "email": ("scam-changed-details.json", "changed-bank-details"),
    "web_page": ("scam-fast-delivery.json", "fast-delivery-shop"),
    "classified_ad": ("case-found-documents.json", "found-documents-loan"),
}


@pytest.fixture
def every_channel(transactional_db):
    packs = ["red-flag-types.json", *(pack for pack, _slug in CHANNELS.values())]
    call_command("import_scenarios", *[str(CONTENT / p) for p in packs], stdout=io.StringIO())


def start(page: Page, live_server, slug: str) -> None:
    page.goto(f"{live_server.url}/s/{slug}/en/")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Start", exact=True).click()


def test_each_channel_and_the_debrief_as_a_phone_shows_them(new_page, live_server, every_channel):
    GALLERY.mkdir(parents=True, exist_ok=True)
    page = new_page()
    for channel, (_pack, slug) in CHANNELS.items():
        start(page, live_server, slug)
        shown = page.locator(f"section.channel-{channel}")
        expect(shown).to_be_visible()
        expect(shown.locator(".message").first).to_be_visible()
        for picture in shown.locator("img").all():
            picture.scroll_into_view_if_needed()  # it loads lazily, when near the screen
            page.wait_for_function(
                "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
            )
        shown.screenshot(path=GALLERY / f"channel-{channel}.png")

    # The debrief of a scammed ending: its first screen, then the picture of the story.
    start(page, live_server, "instagram-phone-seller")
    while "/result/" not in page.url:
        choices = page.get_by_role("group", name="What do you do?").get_by_role("button")
        with page.expect_navigation(wait_until="load"):
            choices.first.click()
    expect(page.locator(".aftercare-when")).to_be_visible()
    page.screenshot(path=GALLERY / "debrief-first-screen.png")
    story = page.locator("section.story-map")
    story.scroll_into_view_if_needed()
    story.screenshot(path=GALLERY / "debrief-story-map.png")
