"""The author's afternoon in real Chromium: an import over an open draft asks first; the
graph check lists every problem of a scenario with three mistakes at once, and its draft
previews up to the broken choice; a translated step shows its source; the editing pages
fit a 1,366 px window; and axe finds nothing serious on the new pages in kk, ru and en."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from scenarios.authoring.drafts import draft_start, scenario_translate
from scenarios.models import Choice, Scenario, Step
from tests.authoring import PASSWORD, author
from tests.browser.conftest import CONTENT
from tests.browser.test_accessibility import blocking_violations
from tests.factories import build_scenario

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
OUTSIDER = Path(__file__).resolve().parents[1] / "packs" / "outsider.json"


@pytest.fixture
def writer(transactional_db):
    call_command("import_scenarios", str(CONTENT / "red-flag-types.json"), stdout=io.StringIO())
    return author("aigerim")


def laptop_page(new_page, locale: str = "en-GB") -> Page:
    page = new_page(locale=locale)
    page.set_viewport_size(LAPTOP)
    return page


def log_in(page: Page, live_server) -> None:
    """By the fields' ids: the login page is in the browser's language."""
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("aigerim")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


def overflow(page: Page) -> int:
    """How far the page is wider than the window, in CSS pixels (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def seller_with_an_edited_draft() -> Scenario:
    call_command("import_scenarios", str(OUTSIDER), stdout=io.StringIO())
    seller = Scenario.objects.get(slug="instagram-phone-seller", language="en")
    draft = draft_start(scenario=seller)
    Step.objects.filter(version=draft, key="offer").update(title="My unpublished edit")
    return seller


def changed_pack(tmp_path) -> Path:
    pack = copy.deepcopy(json.loads(OUTSIDER.read_text()))
    pack["scenarios"][0]["steps"][0]["title"] = "A cheaper phone"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(pack))
    return path


def three_mistakes():
    """A draft with a choice leading nowhere, a step whose only choice loops to itself, and
    steps (a scene, both endings) that nothing leads to any more."""
    version = build_scenario(slug="three-mistakes", published=False, scenes=3).versions.get()
    Choice.objects.filter(step__version=version, step__key="scene-0", order=1).update(
        next_step=None
    )
    scene_1 = Step.objects.get(version=version, key="scene-1")
    Choice.objects.filter(step=scene_1, order=1).delete()
    Choice.objects.filter(step=scene_1, order=0).update(next_step=scene_1)
    return version


def test_an_import_over_an_open_draft_asks_first(writer, live_server, new_page, tmp_path):
    seller = seller_with_an_edited_draft()
    page = laptop_page(new_page)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/scenarios/scenario/import/")
    page.get_by_label("Pack files").set_input_files(str(changed_pack(tmp_path)))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Nothing is imported yet")).to_be_visible()
    expect(page.get_by_text("draft version 2 has edits that are not published")).to_be_visible()
    seller.refresh_from_db()
    assert seller.current_version.number == 1  # asked before anything was written
    page.get_by_role("button", name="Import and set these drafts aside").click()
    expect(page.get_by_text("instagram-phone-seller (en): new version 3")).to_be_visible()
    seller.refresh_from_db()
    assert seller.current_version.published_by.username == "aigerim"


def test_three_mistakes_are_listed_at_once_and_the_draft_previews_up_to_the_broken_choice(
    writer, live_server, new_page
):
    version = three_mistakes()
    page = laptop_page(new_page)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/scenarios/scenarioversion/{version.pk}/change/")
    expect(page.get_by_text("5 errors stop this scenario from being published.")).to_be_visible()
    errors = page.locator(".graph-check li.finding-error")
    expect(errors).to_have_count(5)
    text = " ".join(errors.all_inner_texts())
    assert 'Choice "Transfer 75 000 tenge (0)" on step "Scene 0 (scene-0)" leads nowhere' in text
    assert 'Step "Scene 2 (scene-2)" cannot be reached from the start' in text
    assert 'Every choice on step "Scene 1 (scene-1)" leads back to the same step' in text
    assert overflow(page) == 0

    page.get_by_role("button", name="Preview as a player").first.click()
    expect(page.get_by_text("Preview of a draft")).to_be_visible()
    page.get_by_role("button", name="Transfer 75 000 tenge (0)", exact=True).click()
    expect(
        page.get_by_text("The preview stops here: this choice leads nowhere yet.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Ask to meet first (0)", exact=True)).to_be_visible()


def test_a_translated_step_shows_its_source_and_fits_the_window(writer, live_server, new_page):
    scenario = build_scenario(slug="to-translate", scenes=1)
    page = laptop_page(new_page)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/scenarios/scenario/{scenario.pk}/change/")
    expect(page.get_by_text("The copy is made from published version 1")).to_be_visible()
    page.get_by_label("Copy into").select_option("kk")
    page.get_by_role("button", name="Make a draft to translate").click()
    expect(page.get_by_text("A copy of published version 1 to translate")).to_be_visible()
    copy_step = Step.objects.get(version__scenario__language="kk", key="scene-0")
    page.goto(live_server.url + f"/admin/scenarios/step/{copy_step.pk}/change/")
    expect(page.get_by_text("Translated from English, version 1")).to_be_visible()
    expect(page.locator(".field-source_text").first).to_contain_text("Scene 0")
    messages = page.locator("#messages-group td.field-source_text")
    expect(messages.first).to_contain_text("Send 50% to my card now (0)")
    choices = page.locator("#choices-group td.field-source_text")
    expect(choices.first).to_contain_text("Ask to meet first (0)")
    assert overflow(page) == 0


def test_the_editing_pages_fit_a_laptop_window(writer, live_server, new_page):
    version = build_scenario(published=False, scenes=2).versions.get()
    step = Step.objects.get(version=version, key="scene-0")
    page = laptop_page(new_page)
    log_in(page, live_server)
    for url in (
        f"/admin/scenarios/scenarioversion/{version.pk}/change/",
        f"/admin/scenarios/step/{step.pk}/change/",
    ):
        page.goto(live_server.url + url)
        assert overflow(page) == 0, url


@pytest.mark.parametrize("locale", ["kk-KZ", "ru-RU", "en-GB"])
def test_the_new_authoring_pages_have_no_serious_accessibility_violation(
    writer, live_server, new_page, tmp_path, locale
):
    seller = seller_with_an_edited_draft()
    broken = three_mistakes()
    translated = scenario_translate(scenario=build_scenario(slug="to-translate"), language="kk")
    page = laptop_page(new_page, locale)
    log_in(page, live_server)
    found = []

    def check(path: str) -> None:
        if path:
            page.goto(live_server.url + path)
        page.wait_for_load_state()
        found.extend(blocking_violations(page))

    check(f"/admin/scenarios/scenarioversion/{broken.pk}/change/")  # findings, picture, list
    check(f"/admin/scenarios/scenario/{seller.pk}/change/")
    check(f"/admin/scenarios/step/{translated.steps.get(key='scene-0').pk}/change/")
    check(f"/admin/scenarios/scenario/{seller.pk}/stats/")
    page.goto(live_server.url + "/admin/scenarios/scenario/import/")
    page.locator("#id_packs").set_input_files(str(changed_pack(tmp_path)))
    page.locator("input[type=submit].default").click()
    expect(page.locator("input[name=confirm]")).to_have_count(1)
    check("")  # the question before drafts are set aside
    page.goto(live_server.url + f"/admin/scenarios/scenarioversion/{translated.pk}/change/")
    page.locator(".authoring-actions button.default").first.click()
    expect(page.locator("input[name=identical_confirmed]")).to_have_count(1)
    check("")  # the question before untranslated text is published
    page.goto(live_server.url + "/admin/scenarios/scenario/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("export_selected")
    page.locator("button[name=index]").click()
    expect(page.locator("input[name=download]")).to_have_count(1)
    check("")  # what the pack will hold
    assert found == []
