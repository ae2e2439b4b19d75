"""In a real browser on a phone: a player who passed a module gets a certificate, prints it,
and someone else checks its code; another comes back weeks later to a booster.

The module is played beforehand through Django's test client (the walk itself is the subject
of test_module.py); the browser takes over the player's cookie at the result page.
"""

import io
import re

import pytest
from django.test import Client
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_play_in_browser import assert_fits_the_phone
from tests.factories import build_module
from tests.test_certificates import finished_run
from trainer.certificates.services import code_grouped
from trainer.models import Certificate

pytestmark = pytest.mark.browser

NAME = "Әйгерім Құрманғалиқызы"


def as_the_player(new_page, live_server, client: Client, **options) -> Page:
    page = new_page(**options)
    cookie = client.cookies["saq_player"].value
    page.context.add_cookies([{"name": "saq_player", "value": cookie, "url": live_server.url}])
    return page


@pytest.fixture
def passed_run(transactional_db):
    client = Client()
    run = finished_run(client, build_module(scams=10, genuine=10, check_size=8))
    return client, run


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_player_gets_a_certificate_and_prints_it(new_page, live_server, passed_run, javascript):
    """From the result page to the certificate: a name typed (refused when empty), the
    certificate shown on the phone, printed as one landscape page with only the certificate
    on it, and its PDF downloaded."""
    client, run = passed_run
    page = as_the_player(new_page, live_server, client, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/run/{run.id}/result/")
    offer = page.get_by_role("region", name="Certificate")
    expect(offer).to_contain_text("You passed")
    offer.get_by_role("link", name="Get your certificate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get your certificate")
    found = blocking_violations(page) if javascript else []

    page.get_by_role("button", name="Issue my certificate").click()
    field = page.get_by_role("textbox", name="Name on the certificate")
    expect(page.locator(".field-error")).to_have_text("Type the name to show on the certificate.")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert not Certificate.objects.exists()
    field.fill(NAME)
    page.get_by_role("button", name="Issue my certificate").click()

    certificate = Certificate.objects.get()
    grouped = code_grouped(certificate.code)
    sheet = page.get_by_role("article", name="Certificate")
    expect(sheet.locator(".certificate-name")).to_have_text(NAME)
    expect(sheet.locator(".certificate-module")).to_have_text("Online fraud: the basics")
    expect(sheet).to_contain_text("with a score of 100 out of 100")
    expect(sheet).to_contain_text(f"Verification code: {grouped}")
    expect(sheet).to_contain_text(f"Check it at {live_server.url}/verify/{grouped}")
    assert_fits_the_phone(page)
    print_button = page.get_by_role("button", name="Print")
    if javascript:
        expect(print_button).to_be_visible()
        found += blocking_violations(page)
    else:
        expect(print_button).to_be_hidden()
    assert not found, "\n".join(found)

    # Printed: the site's header, footer and buttons are left out; the certificate stays.
    page.emulate_media(media="print")
    expect(sheet).to_be_visible()
    for chrome in (".site-header", ".site-footer", ".actions"):
        expect(page.locator(chrome)).to_be_hidden()
    page.emulate_media(media="null")  # page.pdf() prints with the print media itself
    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(printed.pages) == 1
    box = printed.pages[0].mediabox
    assert box.width > box.height  # A4 landscape, as the print stylesheet asks
    text = printed.pages[0].extract_text()
    assert NAME in text and grouped in text
    assert "Practise spotting online fraud" not in text and "Download the PDF" not in text

    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = PdfReader(downloaded.value.path())
    assert NAME in pdf.pages[0].extract_text()


def test_anyone_checks_a_code_typed_loosely_and_a_mistyped_one_is_refused(
    new_page, live_server, passed_run
):
    client, run = passed_run
    client.post(f"/run/{run.id}/certificate/", {"name": NAME})
    certificate = Certificate.objects.get()
    page = new_page()  # someone else, without the player's cookie
    page.goto(f"{live_server.url}/verify/")
    page.get_by_role("textbox", name="Verification code").fill(certificate.code.lower())
    page.get_by_role("button", name="Check").click()
    expect(page).to_have_url(f"{live_server.url}/verify/{code_grouped(certificate.code)}")
    expect(page.locator(".verified-title")).to_contain_text("is genuine")
    expect(page.locator(".certified-name")).to_have_text(NAME)
    assert_fits_the_phone(page)
    found = blocking_violations(page)

    mistyped = ("2" if certificate.code[0] != "2" else "3") + certificate.code[1:]
    page.get_by_role("textbox", name="Check another code").fill(mistyped)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("alert")).to_contain_text("No certificate has the code")
    expect(page.locator(".certified-name")).to_have_count(0)
    assert_fits_the_phone(page)
    found += blocking_violations(page)
    assert not found, "\n".join(found)


def test_a_player_comes_back_to_the_booster_without_javascript(new_page, live_server, passed_run):
    client, run = passed_run
    html = client.get(f"/run/{run.id}/result/").content.decode()
    link = re.search(r'class="booster-link" href="http://testserver(/booster/[^"]+)"', html)[1]
    page = new_page(java_script_enabled=False)  # weeks later, another browser
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("A short booster")
    assert_fits_the_phone(page)
    groups = page.locator("fieldset.check-item")
    expect(groups).to_have_count(3)
    page.get_by_role("button", name="See how I did").click()
    expect(page.get_by_role("alert")).to_contain_text("These have no answer:")
    for index in range(3):
        groups.nth(index).get_by_role("radio", name="Scam", exact=True).check()
    page.get_by_role("button", name="See how I did").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booster result")
    expect(page.locator(".booster-figures .now")).to_have_text("2 of 3 right")
    expect(page.locator(".booster-figures .before")).to_have_text("8 of 8 right")
    expect(page.locator(".no-verdict")).to_contain_text("Saq gives no verdict")
    assert_fits_the_phone(page)
    result_url = page.url

    with_javascript = new_page()  # axe runs in the page, so it needs JavaScript on
    found = []
    for url in (live_server.url + link, result_url):
        with_javascript.goto(url)
        found += blocking_violations(with_javascript)
    assert not found, "\n".join(found)
