"""/verify/<code>: a genuine code shows exactly what was certified and nothing else; a forged
or mistyped one is refused; guessing from one address is throttled."""

import math
import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import build_module
from tests.test_certificates import finished_run
from trainer.certificates.services import (
    CODE_ALPHABET,
    CODE_LENGTH,
    code_grouped,
    code_new,
    code_read,
)
from trainer.certificates.verify_throttle import (
    VERIFY_LIMIT,
    VERIFY_LIMIT_PER_ADDRESS,
    VERIFY_WINDOW,
)
from trainer.models import Certificate, VerifyFailure

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(client) -> Certificate:
    run = finished_run(client, build_module(), safe=(True, False))
    client.post(reverse("certificate", args=[run.id]), {"name": "Әсел Құрманғалиқызы"})
    return Certificate.objects.get()


def verify(client: Client, code: str, **extra):
    return client.get(f"/verify/{code}", **extra)


def certified(html: str) -> dict[str, str]:
    return dict(re.findall(r"<div><dt>(.*?)</dt><dd[^>]*>(.*?)</dd></div>", html))


def test_codes_carry_at_least_64_random_bits_in_an_alphabet_without_look_alikes():
    assert CODE_LENGTH * math.log2(len(set(CODE_ALPHABET))) >= 64
    assert not set("ILOU") & set(CODE_ALPHABET)
    codes = {code_new() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 16 and set(code) <= set(CODE_ALPHABET) for code in codes)


def test_a_code_is_read_with_or_without_dashes_in_any_case_and_with_look_alikes():
    code = "7KQ2M9XD4HRTB3WN"
    for typed in (
        "7KQ2-M9XD-4HRT-B3WN",
        "7kq2m9xd4hrtb3wn",
        " 7KQ2 M9XD 4HRT B3WN ",
        "7KQ2–M9XD–4HRT–B3WN",  # en dashes, as a word processor writes them
        "7КQ2-М9ХD-4НRТ-В3WN",  # К, М, Х, Н, Т, В typed on a Cyrillic keyboard
    ):
        assert code_read(typed) == code, typed
    assert code_read("O0IL-AAAA-AAAA-AAAA") == "0011AAAAAAAAAAAA"
    assert code_read("іАAA-AAAA-AAAA-AAAA") == "1AAAAAAAAAAAAAAA"  # Kazakh і
    for wrong in ("7KQ2-M9XD-4HRT", "7KQ2-M9XD-4HRT-B3WN-1", "7KQ2-M9XD-4HRT-B3WU", "", "ABCD*"):
        assert code_read(wrong) is None, wrong


def test_a_genuine_code_shows_exactly_what_was_certified(client, certificate):
    grouped = code_grouped(certificate.code)
    response = verify(Client(), grouped)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert f"Certificate {grouped} is genuine" in html
    day = timezone.localtime(certificate.issued_at)
    assert certified(html) == {
        "Name": "Әсел Құрманғалиқызы",
        "Module": "Online fraud: the basics",
        "Score": "70 out of 100: passed",
        "Date": f"{day.day} {day:%B} {day.year}",
    }
    # Nothing else about the player or the run: no scenario, no check, no address of theirs.
    run = certificate.run
    for private in (str(run.id), run.player_key, "Case 0", "Case 1", "d′", "pass mark"):
        assert private not in html
    # With or without the closing slash, dashes or capitals, the same certificate.
    for typed in (f"{grouped}/", certificate.code.lower(), grouped.replace("-", " ")):
        assert "is genuine" in verify(Client(), typed).content.decode(), typed
    assert not VerifyFailure.objects.exists()


def test_the_verify_form_sends_a_typed_code_to_its_own_address(client, certificate):
    grouped = code_grouped(certificate.code)
    page = Client().get(reverse("verify")).content.decode()
    assert '<form method="get" action="/verify/" class="verify-form">' in page
    response = Client().get(reverse("verify"), {"code": certificate.code.lower()})
    assert response.status_code == 302 and response.url == f"/verify/{grouped}"
    malformed = Client().get(reverse("verify"), {"code": "12345"})
    assert malformed.status_code == 400
    assert "That is not a certificate code" in malformed.content.decode()


def test_a_forged_or_mistyped_code_is_refused_and_counted(certificate):
    grouped = code_grouped(certificate.code)
    # One symbol changed, as a slip of the finger would.
    slip = ("1" if grouped[0] != "1" else "2") + grouped[1:]
    forged = "7KQ2-M9XD-4HRT-B3WN"
    assert not Certificate.objects.filter(code__in=[forged.replace("-", "")]).exists()
    for code in (slip, forged):
        response = verify(Client(REMOTE_ADDR="203.0.113.9"), code)
        html = response.content.decode()
        assert response.status_code == 404
        assert f"No certificate has the code {code}." in html
        assert "is genuine" not in html and certificate.name not in html
    assert VerifyFailure.objects.filter(address="203.0.113.9").count() == 2


def test_text_that_cannot_be_a_code_is_refused_without_counting_as_a_guess(certificate):
    response = verify(Client(), "not-a-code")
    assert response.status_code == 400
    assert "a code has 16 letters and digits in groups of four" in response.content.decode()
    assert not VerifyFailure.objects.exists()


def browser(address: str) -> Client:
    """A browser that has opened /verify/ once, and so has its key."""
    client = Client(REMOTE_ADDR=address)
    client.get(reverse("verify"))
    return client


def test_guessing_is_throttled_per_browser_even_for_a_genuine_code(certificate):
    guesser = browser("203.0.113.9")
    neighbour = Client(REMOTE_ADDR="198.51.100.4")
    for number in range(VERIFY_LIMIT):
        assert verify(guesser, f"AAAA-AAAA-AAAA-{number:04d}").status_code == 404
    refused = verify(guesser, code_grouped(certificate.code))
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many codes that match no certificate were checked from your network." in html
    assert "Try again in 60 minutes." in html
    assert certificate.name not in html
    assert VerifyFailure.objects.count() == VERIFY_LIMIT  # a refused look-up is not counted
    # A classmate behind the same address is not stopped by one pupil's guesses.
    assert verify(browser("203.0.113.9"), code_grouped(certificate.code)).status_code == 200
    assert verify(neighbour, code_grouped(certificate.code)).status_code == 200

    # An hour on, the guesses age out: the browser may look up codes again, and the next
    # failure clears the rows that are past the window.
    VerifyFailure.objects.update(failed_at=timezone.now() - VERIFY_WINDOW - timedelta(seconds=1))
    assert verify(guesser, code_grouped(certificate.code)).status_code == 200
    assert verify(neighbour, "AAAA-AAAA-AAAA-BBBB").status_code == 404
    assert list(VerifyFailure.objects.values_list("address", flat=True)) == ["198.51.100.4"]


def test_an_address_has_a_higher_limit_of_its_own(certificate):
    """A guesser who throws the cookie away meets the address's limit."""
    now = timezone.now()
    VerifyFailure.objects.bulk_create(
        VerifyFailure(address="203.0.113.9", browser=f"b{number}", failed_at=now)
        for number in range(VERIFY_LIMIT_PER_ADDRESS - 1)
    )
    assert verify(browser("203.0.113.9"), "AAAA-AAAA-AAAA-AAAA").status_code == 404
    assert verify(browser("203.0.113.9"), code_grouped(certificate.code)).status_code == 429
    assert verify(browser("203.0.113.10"), code_grouped(certificate.code)).status_code == 200


def test_the_wait_counts_from_the_oldest_guess_that_still_counts(certificate):
    now = timezone.now()
    VerifyFailure.objects.bulk_create(
        VerifyFailure(address="203.0.113.9", failed_at=now - timedelta(minutes=50 - number))
        for number in range(VERIFY_LIMIT_PER_ADDRESS)
    )
    html = verify(Client(REMOTE_ADDR="203.0.113.9"), "AAAA-AAAA-AAAA-AAAA").content.decode()
    assert "Try again in 10 minutes." in html


def test_an_ipv6_network_counts_as_one_address(certificate):
    for host in range(VERIFY_LIMIT_PER_ADDRESS):
        verify(Client(REMOTE_ADDR=f"2001:db8:1:2::{host + 1:x}"), "AAAA-AAAA-AAAA-AAAA")
    assert set(VerifyFailure.objects.values_list("address", flat=True)) == {"2001:db8:1:2::/64"}
    same_network = Client(REMOTE_ADDR="2001:db8:1:2:ffff::1")
    assert verify(same_network, code_grouped(certificate.code)).status_code == 429
    other_network = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert verify(other_network, code_grouped(certificate.code)).status_code == 200


@override_settings(BEHIND_PROXY=True)
def test_behind_the_load_balancer_the_address_it_added_is_the_clients(certificate):
    # The client may send its own X-Forwarded-For; only the last entry, added by the load
    # balancer, is trusted.
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    verify(client, "AAAA-AAAA-AAAA-AAAA")
    assert list(VerifyFailure.objects.values_list("address", flat=True)) == ["203.0.113.9"]


@pytest.mark.parametrize(
    ("language", "heading", "date"),
    [
        ("kk", "сертификаты шынайы", r"\d{4} жылғы \d{1,2} [а-яәғқңөұүһі]+"),
        ("ru", "подлинный", r"\d{1,2} [а-я]+ \d{4} г\."),
    ],
)
def test_the_verify_page_speaks_the_visitors_language(certificate, language, heading, date):
    response = verify(Client(HTTP_ACCEPT_LANGUAGE=language), code_grouped(certificate.code))
    html = response.content.decode()
    assert heading in html
    day = certified(html)["Күні" if language == "kk" else "Дата"]
    assert re.fullmatch(date, day), day  # the month in lower case, as each language writes it
