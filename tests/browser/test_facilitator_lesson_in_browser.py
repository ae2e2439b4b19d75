"""A teacher's lesson in real Chromium: the module trimmed to three scenarios, the projector's
own view (a lobby that fills as pupils join, verdicts revealed step by step, nothing to
delete and no score), a return code kept on the result page and reissued, closing asked
first and undone, a player removed, and a certificate that still verifies after its session
is deleted. axe finds nothing serious on the new pages, in Kazakh, Russian and English."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from scenarios.models import Module
from tests.browser.conftest import CONTENT, DESKTOP, FACILITATOR_PASSWORD
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_module import MODULE, answer_the_check, truthfully
from tests.browser.test_play_in_browser import assert_fits_the_phone, play_to_the_end
from tests.browser.test_session_in_browser import board_row, join_by_code
from trainer.certificates.services import code_grouped, code_new
from trainer.models import Certificate, ModuleRun, SessionPlayer, TrainingSession
from trainer.sessions.services import session_create

pytestmark = pytest.mark.browser

FIVE = [
    ("instagram-phone-seller", "case-phone-seller.json"),
    ("real-phone-shop", "legit-phone-shop.json"),
    ("multiply-money", "case-multiply-money.json"),
    ("bank-security-call", "scam-card-code.json"),
    ("genuine-bank-sms", "legit-bank-sms.json"),
]


@pytest.fixture
def five_basics(transactional_db, tmp_path):
    """The built-in basics module, in each language, cut to five scenarios and eight check
    items (four scams, four genuine: checks of four)."""
    pack = json.loads((CONTENT / "module-basics.json").read_text(encoding="utf-8"))
    for module in pack["modules"]:
        module["scenarios"] = [slug for slug, _file in FIVE]
        scams = [item for item in module["check_items"] if not item.get("legitimate")]
        genuine = [item for item in module["check_items"] if item.get("legitimate")]
        # Without their forms, as a version-1 pack: two of each side in each form.
        module["check_items"] = [
            {k: v for k, v in item.items() if k != "form"} for item in scams[:4] + genuine[:4]
        ]
        module["check_size"] = 4
    small = tmp_path / "basics-five.json"
    small.write_text(json.dumps(pack), encoding="utf-8")
    packs = [CONTENT / "red-flag-types.json", *[CONTENT / name for _slug, name in FIVE], small]
    call_command("import_scenarios", *map(str, packs), stdout=io.StringIO())


def log_in(page: Page, live_server) -> None:
    page.goto(live_server.url + "/facilitator/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill(FACILITATOR_PASSWORD)
    page.locator("form button.button-primary").click()
    expect(page.locator(".facilitator-nav")).to_be_visible()


def test_a_teacher_trims_the_module_runs_the_projector_and_looks_after_the_players(
    browser, new_page, desk_page, live_server, five_basics, alice, settings
):
    settings.BOARD_REFRESH_SECONDS = 1
    desk, errors = desk_page, []
    log_in(desk, live_server)
    desk.get_by_role("link", name="New session").first.click()
    desk.wait_for_load_state()  # estimate.js listens from here on
    desk.get_by_label("A module").select_option(label=MODULE)
    expect(desk.locator("#estimate")).to_contain_text("Your choice: 5 scenarios")  # all of it
    desk.get_by_label("Title").fill("Class 9B")
    labels = desk.locator("#id_scenarios .check-row label")
    expect(labels).to_have_count(5)
    picked = [labels.nth(i).inner_text().split(" · ")[0] for i in (0, 2, 4)]
    for i in (0, 2, 4):
        labels.nth(i).click()
    # The time of the choice appears as it is made (estimate.js asks the server).
    expect(desk.locator("#estimate")).to_contain_text("Your choice: 3 scenarios, about")
    desk.get_by_role("button", name="Estimate the time").click()  # the same without it
    expect(desk.locator("#estimate")).to_contain_text("Your choice: 3 scenarios, about")
    expect(desk.locator("#estimate")).to_contain_text("with a check of 4 messages before and after")
    assert not blocking_violations(desk)
    desk.get_by_role("button", name="Make the session").click()
    expect(desk.locator(".scenarios-played")).to_contain_text("3 of the module’s 5 scenarios")
    code = desk.locator(".join-code").inner_text().strip()
    session = TrainingSession.objects.get(code=code)
    assert session.entries.count() == 3

    # The projector: a window of its own, beside the facilitator's.
    projector = desk.context.new_page()
    projector.on("console", lambda m: m.type == "error" and errors.append(m.text))
    projector.goto(desk.url + "projector/")
    expect(projector.locator(".join-code")).to_have_text(code)
    expect(projector.locator(".joined")).to_have_text("0 players have joined.")
    aigul, sam = new_page(), new_page(java_script_enabled=False)
    join_by_code(aigul, live_server, code, "Айгүл")
    join_by_code(sam, live_server, code, "Sam")
    lobby = projector.locator(".lobby-names")
    expect(lobby).to_contain_text("Айгүл")  # no reload: the lobby fetches itself again
    expect(lobby).to_contain_text("Sam")
    expect(projector.locator(".joined")).to_have_text("2 players have joined.")
    for absent in ("Delete", "Mean score", "Close the session", "/ 100"):
        expect(projector.get_by_text(absent)).to_have_count(0)
    projector.get_by_role("link", name="Hide nicknames").click()
    expect(projector.locator(".lobby-names")).to_have_count(0)
    expect(projector.locator(".joined")).to_have_text("2 players have joined.")
    assert not blocking_violations(projector)

    # Айгүл takes both checks around the three scenarios, and meets her return code.
    aigul.get_by_role("link", name="Take the check").click()
    answer_the_check(aigul, truthfully)
    steps = " ".join(aigul.locator("li.run-step").all_inner_texts())
    assert all(title in steps for title in picked)
    for _scenario in range(3):
        aigul.get_by_role("button", name="Start").click()
        aigul.wait_for_load_state()
        play_to_the_end(aigul)
        aigul.get_by_role("link", name="Back to the session").click()
    aigul.get_by_role("link", name="Take the check").click()
    answer_the_check(aigul, truthfully)
    expect(aigul.get_by_role("heading", level=1)).to_have_text("Your result")
    first_words = aigul.locator(".return-code-words li").all_inner_texts()
    assert len(first_words) == 4
    aigul.reload()
    assert aigul.locator(".return-code-words li").all_inner_texts() == first_words
    assert_fits_the_phone(aigul)
    assert not blocking_violations(aigul)
    run = ModuleRun.objects.get(session=session, finished_at__isnull=False)
    assert run.attempts.filter(finished_at__isnull=False).count() == 3

    # She lost it: the teacher reissues it from the Players page.
    desk.get_by_role("link", name="Players", exact=True).click()
    desk.get_by_role("button", name=re.compile("Reissue.*Айгүл")).click()
    said = desk.locator(".notices").inner_text()
    assert "New return code for “Айгүл”" in said
    aigul.reload()
    new_words = aigul.locator(".return-code-words li").all_inner_texts()
    assert len(new_words) == 4 and new_words != first_words
    assert " ".join(new_words) in said
    aigul.get_by_role("button", name="I wrote it down").click()
    expect(aigul.get_by_text("You wrote down your return code.")).to_be_visible()

    # The projector goes through the group's choices: verdicts and red flags wait.
    projector.get_by_role("link", name="Show nicknames").click()
    projector.get_by_role("link", name="Show the group's choices").click()
    expect(projector.get_by_text("1 player answered it")).to_be_visible()
    expect(projector.locator(".share-kind")).to_have_count(0)
    expect(projector.locator(".missed")).to_have_count(0)
    assert not blocking_violations(projector)
    projector.get_by_role("link", name="Reveal the verdicts and red flags").click()
    expect(projector.locator(".share-kind").first).to_be_visible()
    verdicts = ".share.verdict-safe, .share.verdict-risky, .share.verdict-harmful"
    expect(projector.locator(verdicts).first).to_be_visible()
    expect(projector.get_by_text("Delete")).to_have_count(0)
    assert not blocking_violations(projector)

    # Sam, JavaScript off, is at the check before: closing asks first and names him.
    desk.get_by_role("link", name="Back to the session").click()
    desk.get_by_role("link", name="Close the session").click()
    expect(desk.locator(".unfinished")).to_contain_text("Sam")
    assert not blocking_violations(desk)
    desk.get_by_role("button", name="Close it").click()
    expect(desk.get_by_text("The session is closed")).to_be_visible()
    sam.reload()
    expect(sam.get_by_text("The facilitator has closed this session.")).to_be_visible()
    desk.get_by_role("link", name="Sessions", exact=True).click()
    desk.get_by_role("link", name="Class 9B").first.click()
    desk.get_by_role("button", name="Open the session again").click()
    expect(desk.get_by_text("The session is open again")).to_be_visible()
    sam.reload()
    sam.get_by_role("link", name="Take the check").click()
    answer_the_check(sam, truthfully)  # his answers are taken again

    # Sam's nickname was rude after all: the teacher removes him.
    desk.get_by_role("link", name="Players", exact=True).click()
    desk.get_by_role("link", name=re.compile("Remove.*Sam")).click()
    assert not blocking_violations(desk)
    desk.get_by_role("button", name="Remove", exact=True).click()
    expect(desk.get_by_text("“Sam” is removed from the session")).to_be_visible()
    expect(desk.get_by_role("rowheader", name="Sam")).to_have_count(0)
    assert not SessionPlayer.objects.filter(session=session, nickname="Sam").exists()
    desk.goto(live_server.url + f"/facilitator/sessions/{session.id}/board/")
    expect(board_row(desk, "Айгүл")).to_contain_text("all done")
    expect(board_row(desk, "Sam")).to_have_count(0)
    assert errors == []


def test_a_certificate_still_verifies_after_its_session_is_deleted(
    new_page, desk_page, live_server, five_basics, alice
):
    session = module_session_of(alice)
    player = SessionPlayer.objects.create(
        session=session, player_key="k" * 32, nickname="Aigerim", nickname_key="aigerim"
    )
    run = ModuleRun.objects.create(
        player_key=player.player_key,
        module=session.module,
        session=session,
        finished_at=timezone.now(),
    )
    certificate = Certificate.objects.create(
        code=code_new(),
        run=run,
        module=session.module,
        module_title=session.module.title,
        name="Aigerim Sadykova",
        score=85,
        pass_mark=70,
        organisation_name="School 1",
    )
    log_in(desk_page, live_server)
    desk_page.goto(live_server.url + f"/facilitator/sessions/{session.id}/delete/")
    expect(desk_page.get_by_text("Certificates earned in this session are kept")).to_be_visible()
    desk_page.get_by_role("button", name="Delete for good").click()
    expect(desk_page.get_by_text("is deleted, with every player")).to_be_visible()
    assert not TrainingSession.objects.filter(pk=session.pk).exists()

    employer = new_page()
    employer.goto(live_server.url + "/verify/")
    employer.get_by_label("Verification code").fill(code_grouped(certificate.code).lower())
    employer.get_by_role("button", name="Check").click()
    verified = employer.locator(".verified-certificate")
    expect(verified).to_contain_text("is genuine")
    expect(verified).to_contain_text("Aigerim Sadykova")
    expect(verified).to_contain_text("School 1")
    assert not blocking_violations(employer)


def module_session_of(alice) -> TrainingSession:
    module = Module.objects.get(slug="basics", language="en")
    scenarios = [entry.scenario for entry in module.entries.order_by("order")][:3]
    organisation = alice.memberships.get().organisation
    return session_create(
        organisation=organisation,
        created_by=alice,
        title="Class 9B",
        language="en",
        scenarios=scenarios,
        module=module,
    )


@pytest.mark.parametrize("locale", ["kk-KZ", "ru-RU", "en-GB"])
def test_the_new_facilitator_pages_have_no_serious_accessibility_violation(
    browser, live_server, five_basics, alice, locale
):
    session = module_session_of(alice)
    SessionPlayer.objects.create(
        session=session,
        player_key="k" * 32,
        nickname="Айгүл",
        nickname_key="айгүл",
        return_code_hash="0" * 64,
    )
    context = browser.new_context(viewport=DESKTOP, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found = []
    page.goto(live_server.url + "/accounts/password-reset/")
    found += blocking_violations(page)
    log_in(page, live_server)
    base = f"{live_server.url}/facilitator/sessions/{session.id}/"
    player = session.players.get()
    for url in (
        f"{live_server.url}/facilitator/sessions/new/?language={locale[:2]}",
        base,
        base + "projector/",
        base + "projector/?names=hidden",
        base + "projector/group/1/",
        base + "projector/group/1/?step=1&reveal=1",
        base + "players/",
        base + f"players/{player.pk}/rename/",
        base + f"players/{player.pk}/remove/",
        base + "close/",
        base + "report/",
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        assert page.locator("html").get_attribute("lang") == locale[:2]
        found += blocking_violations(page)
    context.close()
    assert not found, "\n".join(found)
