"""Guessing codes and passwords is slowed down without letting anyone lock others out
(issue 12, items 2, 3 and 8): an IPv6 /64 is one address everywhere, a request from
another site's page is neither looked up nor counted, a browser has a lower limit than its
address, and a burst sent at once is held to the limit."""

import http.client
import threading
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.session_factories import PASSWORD, facilitator, new_session
from tests.test_session_concurrency import hall_server, signed_player_cookie  # noqa: F401
from tests.test_verify import certificate  # noqa: F401 (a fixture)
from trainer.certificates.services import code_grouped
from trainer.certificates.verify_throttle import VERIFY_LIMIT, verify_guess_begin
from trainer.models import SessionPlayer, VerifyFailure, WrongCode
from trainer.sessions import join_throttle

pytestmark = pytest.mark.django_db
CROSS_SITE = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_SEC_FETCH_DEST": "image"}


def host(network: str, number: int) -> str:
    return f"{network}{number + 1:x}"


# Item 2 ------------------------------------------------------------------------------------


def test_wrong_join_codes_from_one_ipv6_64_count_as_one_address(settings):
    limit = settings.JOIN_WRONG_CODES_PER_MINUTE_PER_ADDRESS
    for number in range(limit):
        client = Client(REMOTE_ADDR=host("2001:db8:7:1::", number))
        assert client.get(reverse("join_session", args=["AAAAAA"])).status_code == 404
    assert set(WrongCode.objects.values_list("address", flat=True)) == {"2001:db8:7:1::/64"}
    session = new_session()
    same_network = Client(REMOTE_ADDR="2001:db8:7:1:ffff:ffff:ffff:fffe")
    assert same_network.get(reverse("join_session", args=[session.code])).status_code == 429
    other = Client(REMOTE_ADDR="2001:db8:7:2::1")
    assert other.get(reverse("join_session", args=[session.code])).status_code == 200


def test_wrong_passwords_from_one_ipv6_64_lock_the_account_out(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    facilitator("alice", password=PASSWORD)
    for number in range(settings.AXES_FAILURE_LIMIT):
        client = Client(REMOTE_ADDR=host("2001:db8:9:1::", number))
        client.post(reverse("login"), {"username": "alice", "password": "nope"})
    same_network = Client(REMOTE_ADDR="2001:db8:9:1:abcd::7")
    right = same_network.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in same_network.session
    elsewhere = Client(REMOTE_ADDR="2001:db8:9:2::1")
    ok = elsewhere.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert ok.status_code == 302


# Item 3 ------------------------------------------------------------------------------------


def test_join_links_loaded_by_another_sites_page_are_neither_looked_up_nor_counted():
    """Ten <img src=…/join/RANDOM/> on any page use up nothing: a fresh browser at the same
    address then joins by the real link."""
    session = new_session()
    visitor = Client(REMOTE_ADDR="203.0.113.5")
    for code in ["AAAAAA", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF"] * 4:
        page = visitor.get(reverse("join_session", args=[code]), **CROSS_SITE)
        assert page.status_code == 200
        html = page.content.decode()
        assert f'value="{code}"' in html and "choose a nickname and press Join" in html
    # An old browser without Sec-Fetch-Site, sent from another site's page, is not counted.
    old = visitor.get(reverse("join_session", args=["GGGGGG"]), HTTP_REFERER="https://evil.test/")
    assert old.status_code == 200
    assert not WrongCode.objects.exists()
    pupil = Client(REMOTE_ADDR="203.0.113.5")
    link = reverse("join_session", args=[session.code])
    assert "Choose a nickname" in pupil.get(link, HTTP_SEC_FETCH_SITE="none").content.decode()
    assert pupil.post(link, {"nickname": "Dana"}).status_code == 303
    assert SessionPlayer.objects.filter(session=session, nickname="Dana").exists()


def test_a_link_from_another_site_shows_a_joined_player_their_page():
    """The browser's own key finds its player without looking the code up as a guess."""
    session = new_session()
    pupil = Client()
    link = reverse("join_session", args=[session.code])
    pupil.get(link)
    pupil.post(link, {"nickname": "Dana"})
    page = pupil.get(link, HTTP_SEC_FETCH_SITE="cross-site")
    assert "You play as <strong>Dana</strong>" in page.content.decode()


def test_a_join_link_followed_from_saqs_own_page_or_typed_is_looked_up():
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_REFERER": "http://testserver/join/"},
        {},
    ):
        assert Client().get("/join/AAAAAA/", **headers).status_code == 404
    assert WrongCode.objects.count() == 4


def test_verify_links_loaded_by_another_sites_page_are_neither_looked_up_nor_counted(
    certificate,  # noqa: F811
):
    grouped = code_grouped(certificate.code)
    visitor = Client(REMOTE_ADDR="203.0.113.5")
    for number in range(VERIFY_LIMIT + 5):
        page = visitor.get(f"/verify/AAAA-AAAA-AAAA-{number:04d}", **CROSS_SITE)
        assert page.status_code == 200
        assert "Press Check to see what the certificate" in page.content.decode()
    shown = visitor.get(f"/verify/{grouped}", HTTP_SEC_FETCH_SITE="cross-site").content.decode()
    assert certificate.name not in shown and f'value="{grouped}"' in shown
    assert not VerifyFailure.objects.exists()
    employer = Client(REMOTE_ADDR="203.0.113.5")
    genuine = employer.get(f"/verify/{grouped}", HTTP_SEC_FETCH_SITE="same-origin")
    assert genuine.status_code == 200 and certificate.name in genuine.content.decode()


def test_one_pupil_typing_wrong_codes_does_not_stop_the_class_behind_the_same_address(settings):
    session = new_session()
    pupil = Client(REMOTE_ADDR="198.51.100.20")
    pupil.get(reverse("join"))
    for _ in range(settings.JOIN_WRONG_CODES_PER_MINUTE):
        pupil.post(reverse("join"), {"code": "AAAAAA", "nickname": "Guess"})
    assert pupil.post(reverse("join"), {"code": session.code, "nickname": "P"}).status_code == 429
    for number in range(25):
        classmate = Client(REMOTE_ADDR="198.51.100.20")
        classmate.get(reverse("join"))
        joined = classmate.post(reverse("join"), {"code": session.code, "nickname": f"C{number}"})
        assert joined.status_code == 303
    assert SessionPlayer.objects.filter(session=session).count() == 25


# Item 8 ------------------------------------------------------------------------------------


def _burst(count: int, guess) -> list:
    """`guess` called from `count` threads at the same moment, each on its own connection."""
    barrier = threading.Barrier(count)
    results, problems = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(guess())
        except Exception as error:  # noqa: BLE001 (reported below)
            problems.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert problems == []
    return results


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_join_guesses_is_held_to_the_limit(settings):
    """Sixty wrong codes sent at once from one address: the limit's worth are looked up."""
    limit = settings.JOIN_WRONG_CODES_PER_MINUTE_PER_ADDRESS
    results = _burst(60, lambda: join_throttle.guess_begin("192.0.2.77", ""))
    passed = sum(result is not None for result in results)
    # Never more than the limit. On PostgreSQL guesses that overlap may also see rows of
    # others that are about to be taken back, so a burst may get a little less: the refused
    # leave nothing behind, and the address gets the rest of its allowance after.
    assert 0 < passed <= limit
    assert WrongCode.objects.count() == passed
    while join_throttle.guess_begin("192.0.2.77", "") is not None:
        pass
    assert WrongCode.objects.count() == limit


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_verify_guesses_from_one_browser_is_held_to_its_limit():
    def guess():
        return verify_guess_begin("192.0.2.78", "one-browser", timezone.now())

    results = _burst(60, guess)
    passed = sum(result is not None for result in results)
    assert 0 < passed <= VERIFY_LIMIT
    assert VerifyFailure.objects.count() == passed
    while guess() is not None:
        pass
    assert VerifyFailure.objects.count() == VERIFY_LIMIT


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_verify_look_ups_through_a_live_server_is_held_to_the_limit(
    hall_server,  # noqa: F811 (a fixture)
):
    """The issue's reproduction: sixty /verify/ guesses at once from one browser, through a
    server answering each in its own thread; no more than the browser's limit are looked up
    (404), every other is asked to wait (429)."""
    host = urlsplit(hall_server)
    cookie = f"{settings.PLAYER_COOKIE_NAME}={signed_player_cookie('one-guesser')}"
    barrier = threading.Barrier(60)
    statuses, problems = [], []

    def send(number: int) -> None:
        client = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        try:
            barrier.wait(timeout=30)
            headers = {"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}
            client.request("GET", f"/verify/AAAA-AAAA-AAAA-{number:04d}", headers=headers)
            statuses.append(client.getresponse().status)
        except Exception as error:  # noqa: BLE001 (reported below)
            problems.append(repr(error))
        finally:
            client.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert problems == [] and len(statuses) == 60
    assert set(statuses) <= {404, 429}
    assert 0 < statuses.count(404) <= VERIFY_LIMIT
    assert VerifyFailure.objects.count() == statuses.count(404)
