"""Debian's Chromium, driven through Playwright's sync API, against pytest-django's live server.

Nothing is downloaded: the browser is /usr/bin/chromium and every page comes from the live
server. Pages open at a phone's size (360×740) unless a test asks otherwise.
"""

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from trainer.models import Membership, Organisation, Role

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
CONTENT = Path(__file__).resolve().parents[2] / "content"
PACKS = [CONTENT / "red-flag-types.json", CONTENT / "case-phone-seller.json"]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API keeps an event loop running in this thread while the browser lives,
    and Django refuses the ORM under a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set.
    The variable is set before the browser starts and put back as it was when it closes, so it
    never reaches other tests (nor their subprocesses, where `check --deploy` rejects it).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def new_page(browser):
    """Open a page in a fresh browser context (its own cookies): new_page(**context_options)."""
    contexts = []

    def open_page(**options):
        options.setdefault("locale", "en-GB")  # the browser's Accept-Language
        context = browser.new_context(viewport=PHONE, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A phone-sized page with JavaScript on and the site's Content-Security-Policy enforced."""
    return new_page()


@dataclass(frozen=True)
class Case:
    """A published scenario, and where taking the first choice on every step leads."""

    title: str
    ending_title: str


@pytest.fixture
def phone_seller(transactional_db) -> Case:
    """The fake phone seller on Instagram, imported from the built-in content packs."""
    call_command("import_scenarios", *map(str, PACKS), stdout=io.StringIO())
    return Case(
        title="A bargain phone on Instagram",
        ending_title="No phone, no money",
    )


@pytest.fixture
def basics(transactional_db, tmp_path):
    """The built-in English basics module cut down to its first two scenarios and eight of
    its check items (four scams, four genuine) in checks of four, so a walk stays short."""
    pack = json.loads((CONTENT / "module-basics.json").read_text(encoding="utf-8"))
    module = next(m for m in pack["modules"] if m["language"] == "en")
    module["scenarios"] = ["instagram-phone-seller", "real-phone-shop"]
    # Without their forms the eight are shared out as a pack of version 1 shares them: two
    # scams and two genuine messages in each form, so each check asks four.
    module["check_items"] = [
        {k: v for k, v in item.items() if k != "form"} for item in module["check_items"][:8]
    ]
    module["check_size"] = 4
    pack["modules"] = [module]
    small = tmp_path / "basics-small.json"
    small.write_text(json.dumps(pack), encoding="utf-8")
    packs = ["red-flag-types.json", "case-phone-seller.json", "legit-phone-shop.json"]
    call_command(
        "import_scenarios",
        *[str(CONTENT / name) for name in packs],
        str(small),
        stdout=io.StringIO(),
    )


FACILITATOR_PASSWORD = "a long pass phrase for alice"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def alice(transactional_db):
    """alice, facilitator at School 1, who logs in with FACILITATOR_PASSWORD."""
    user = get_user_model().objects.create_user(
        "alice", password=FACILITATOR_PASSWORD, is_staff=True
    )
    school = Organisation.objects.create(name="School 1", slug="school-1")
    Membership.objects.create(user=user, organisation=school, role=Role.FACILITATOR)
    return user


@pytest.fixture
def desk_page(browser):
    """The facilitator's screen: a laptop-sized page that accepts downloads."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
