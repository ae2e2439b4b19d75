"""The built-in basics module, walked in Kazakh and in Russian: module page, check, run,
scenario steps and results, and the module result, with no English left on any page.

Latin words that the authors wrote into the Kazakh or Russian content itself (a made-up
Instagram handle, a shop's name) are names, not interface, and are let through.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.test_languages import LATIN_NAMES, LATIN_WORD, READABLE_TEXT, english_left
from tests.browser.test_play_in_browser import assert_fits_the_phone
from trainer.models import ModuleRun

pytestmark = pytest.mark.browser

CONTENT = Path(settings.BASE_DIR) / "content"
SCENARIOS = ["instagram-phone-seller", "real-phone-shop"]
PACKS = ["red-flag-types.json", "case-phone-seller.json", "legit-phone-shop.json"]


def _latin_words_in(value) -> set[str]:
    if isinstance(value, str):
        return set(LATIN_WORD.findall(value))
    if isinstance(value, dict):
        return set().union(*map(_latin_words_in, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_latin_words_in, value)) if value else set()
    return set()


def _content_names(packs: list[dict], language: str) -> set[str]:
    """Latin words the authors wrote in this language's scenarios and check items."""
    texts = [s for pack in packs for s in pack.get("scenarios", []) if s["language"] == language]
    texts += [m for pack in packs for m in pack.get("modules", []) if m["language"] == language]
    names = set()
    for entry in texts:
        fields = {k: v for k, v in entry.items() if k not in {"slug", "language", "channel"}}
        names |= _latin_words_in(fields)
    keys = {"key", "next", "start", "flag", "verdict", "ending", "channel", "slug", "language"}
    return names - keys


@pytest.fixture
def small_basics(transactional_db, tmp_path):
    packs = [json.loads((CONTENT / name).read_text(encoding="utf-8")) for name in PACKS]
    module_pack = json.loads((CONTENT / "module-basics.json").read_text(encoding="utf-8"))
    for module in module_pack["modules"]:
        module["scenarios"] = SCENARIOS
        module["check_items"] = [  # checks of four, as the basics fixture has them
            {k: v for k, v in item.items() if k != "form"} for item in module["check_items"][:8]
        ]
        module["check_size"] = 4
    small = tmp_path / "basics-small.json"
    small.write_text(json.dumps(module_pack), encoding="utf-8")
    paths = [str(CONTENT / name) for name in PACKS] + [str(small)]
    call_command("import_scenarios", *paths, stdout=io.StringIO())
    return [*packs, module_pack]


def assert_all_in(page: Page, language: str, names: set[str]) -> None:
    assert page.evaluate("document.documentElement.lang") == language, page.url
    text = page.evaluate(READABLE_TEXT)
    for name in names:
        text = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", " ", text)
    left = english_left(text)
    assert not left, f"{page.url} ({language}): English left on the page: {left}"
    assert_fits_the_phone(page)


def answer_check(page: Page, language: str, names: set[str]) -> None:
    # The link to the check was just clicked: read the page once it has loaded, not while
    # the navigation swaps the document (documentElement is briefly null then).
    page.wait_for_load_state()
    assert_all_in(page, language, names)
    for fieldset in page.locator("fieldset.check-item").all():
        fieldset.locator("input[type=radio]").first.check()
    page.locator("button[type=submit].button-primary").click()
    page.wait_for_load_state()


def play_scenario(page: Page, language: str, names: set[str]) -> None:
    page.locator("form button[type=submit].button-primary").first.click()
    page.wait_for_load_state()
    while "/result/" not in page.url:
        assert_all_in(page, language, names)
        page.locator("input.mark").first.check()
        page.locator("button.choice").first.click()
        page.wait_for_load_state()
    assert_all_in(page, language, names)
    page.locator("a[href^='/run/']").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_module_pages_are_wholly_in_the_readers_language(
    new_page, live_server, small_basics, language
):
    names = _content_names(small_basics, language) - set(LATIN_NAMES)
    page = new_page(locale=f"{language}-KZ")
    page.goto(f"{live_server.url}/")
    assert_all_in(page, language, names)
    page.locator(f"a[href='/m/basics/{language}/']").click()
    page.wait_for_load_state()
    assert_all_in(page, language, names)
    page.locator("form button[type=submit].button-primary").click()
    page.wait_for_load_state()
    assert_all_in(page, language, names)

    page.locator("a.button-primary[href$='/check/before/']").click()
    answer_check(page, language, names)
    for _scenario in SCENARIOS:
        assert_all_in(page, language, names)
        play_scenario(page, language, names)
    page.locator("a.button-primary[href$='/check/after/']").click()
    answer_check(page, language, names)

    assert page.url.endswith("/result/")
    expect(page.locator("table.figures")).to_be_visible()
    assert_all_in(page, language, names)
    assert ModuleRun.objects.get().finished_at is not None
