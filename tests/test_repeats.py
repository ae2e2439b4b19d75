"""Act once, answer every repeat as the first (trainer.web.once).

The same request sent ten times at once, through a live server, makes one session, one
follow-up, one attempt, one run, one preview and one player, and every copy gets the
answer the first got: the same redirect. On PostgreSQL the copies really overlap; SQLite
lets its writers take turns, so there they queue, which is what a deployment on SQLite
does too. The same request sent ten times one after another is tested on both as well.
"""

import http.client
import secrets
import string
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.authoring import author
from tests.factories import build_module, build_scenario
from tests.forms import page_token
from tests.session_factories import facilitator, new_session, organisation
from tests.test_session_concurrency import hall_server, signed_player_cookie  # noqa: F401
from trainer.models import ActedOnce, Attempt, ModuleRun, SessionPlayer, TrainingSession
from trainer.web.once import act_once

COPIES = 10
CSRF = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def burst(server: str, path: str, form: dict, cookies: dict[str, str]) -> list[tuple]:
    """POST the same form COPIES times at the same moment; (status, Location, body) of each."""
    host = urlsplit(server)
    body = urlencode({**form, "csrfmiddlewaretoken": CSRF}, doseq=True)
    cookie = "; ".join(f"{name}={value}" for name, value in {**cookies, "csrftoken": CSRF}.items())
    barrier = threading.Barrier(COPIES)
    answers: list[tuple] = []
    problems: list[str] = []

    def send() -> None:
        client = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        try:
            barrier.wait(timeout=30)
            client.request(
                "POST",
                path,
                body=body,
                headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )
            response = client.getresponse()
            text = response.read().decode()
            answers.append((response.status, response.getheader("Location"), text))
        except Exception as error:  # noqa: BLE001 (reported below)
            problems.append(repr(error))
        finally:
            client.close()

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert problems == []
    assert len(answers) == COPIES
    return answers


def one_answer(answers: list[tuple]) -> str:
    """Every copy was answered with the same redirect; that redirect."""
    assert {(status, location) for status, location, _body in answers} == {(303, answers[0][1])}, [
        (status, location) for status, location, _body in answers
    ]
    return answers[0][1]


def logged_in_cookie(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def player_cookie(key: str) -> dict[str, str]:
    return {settings.PLAYER_COOKIE_NAME: signed_player_cookie(key)}


def release_database() -> None:
    connection.close()  # the server's threads get the database to themselves


@pytest.mark.django_db(transaction=True)
def test_a_scenario_start_sent_ten_times_at_once_makes_one_attempt(hall_server):  # noqa: F811
    scenario = build_scenario()
    release_database()
    path = reverse("scenario_start", args=[scenario.slug, "en"])
    answers = burst(hall_server, path, {"once": "start-" + "a" * 16}, player_cookie("p1"))
    location = one_answer(answers)
    attempt = Attempt.objects.get()
    assert location == reverse("play", args=[attempt.id]) and attempt.player_key == "p1"


@pytest.mark.django_db(transaction=True)
def test_a_module_start_sent_ten_times_at_once_makes_one_run(hall_server):  # noqa: F811
    module = build_module()
    release_database()
    path = reverse("module_start", args=[module.slug, "en"])
    answers = burst(hall_server, path, {"once": "module-" + "b" * 16}, player_cookie("p1"))
    location = one_answer(answers)
    assert location == reverse("module_run", args=[ModuleRun.objects.get().id])


@pytest.mark.django_db(transaction=True)
def test_a_scenario_of_a_run_started_ten_times_at_once_has_one_attempt(hall_server):  # noqa: F811
    module = build_module()
    run = ModuleRun.objects.create(player_key="p1", module=module)  # no check: scenarios first
    first = module.entries.order_by("order").first().scenario
    release_database()
    path = reverse("module_play", args=[run.id, first.slug])
    location = one_answer(burst(hall_server, path, {}, player_cookie("p1")))
    attempt = Attempt.objects.get()
    assert location == reverse("play", args=[attempt.id]) and attempt.module_run_id == run.id


@pytest.mark.django_db(transaction=True)
def test_make_the_session_sent_ten_times_at_once_makes_one_session(hall_server):  # noqa: F811
    scenario = build_scenario()
    alice = facilitator("alice")
    form = {
        "organisation": organisation().pk,
        "title": "Class 9B",
        "language": "en",
        "scenarios": [scenario.pk],
        "once": page_token(_logged_in(alice), reverse("facilitator:session_new")),
    }
    release_database()
    answers = burst(hall_server, reverse("facilitator:session_new"), form, logged_in_cookie(alice))
    location = one_answer(answers)
    session = TrainingSession.objects.get()
    assert location == reverse("facilitator:session", args=[session.id])
    assert list(session.entries.values_list("scenario_id", flat=True)) == [scenario.pk]


@pytest.mark.django_db(transaction=True)
def test_make_the_follow_up_sent_ten_times_at_once_makes_one_follow_up(hall_server):  # noqa: F811
    earlier = new_session(scenarios=[build_scenario()])
    shop = build_scenario(slug="shop")
    alice = facilitator("alice")
    path = reverse("facilitator:follow_up_new", args=[earlier.id])
    form = {
        "title": "Class 9B, later",
        "language": "en",
        "scenarios": [shop.pk],
        "once": page_token(_logged_in(alice), path),
    }
    release_database()
    location = one_answer(burst(hall_server, path, form, logged_in_cookie(alice)))
    follow_up = TrainingSession.objects.get(follow_up_of=earlier)
    assert location == reverse("facilitator:session", args=[follow_up.id])


@pytest.mark.django_db(transaction=True)
def test_a_preview_started_ten_times_at_once_is_one_preview(hall_server):  # noqa: F811
    version = build_scenario(published=False, scenes=1).versions.get()
    aigerim = author()
    change_page = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    form = {"once": page_token(_logged_in(aigerim), change_page)}
    release_database()
    path = reverse("authoring_preview", args=[version.pk])
    answers = burst(hall_server, path, form, logged_in_cookie(aigerim))
    location = one_answer(answers)
    attempt = Attempt.objects.get()
    assert attempt.preview and location == reverse("play", args=[attempt.id])


@pytest.mark.django_db(transaction=True)
def test_a_join_sent_ten_times_at_once_joins_once_and_never_says_the_name_is_taken(
    hall_server,  # noqa: F811
):
    session = new_session(module=None)
    release_database()
    path = reverse("join_session", args=[session.code])
    answers = burst(hall_server, path, {"nickname": "Aigul"}, player_cookie("p1"))
    assert one_answer(answers) == path
    assert not any("already called" in body for _status, _location, body in answers)
    player = SessionPlayer.objects.get()
    assert (player.player_key, player.nickname) == ("p1", "Aigul")


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# One after another, on every database.


@pytest.mark.django_db
def test_a_form_sent_again_and_again_is_answered_every_time_as_the_first(client):
    scenario = build_scenario()
    alice = _logged_in(facilitator("alice"))
    url = reverse("facilitator:session_new")
    form = {
        "organisation": organisation().pk,
        "title": "Class 9B",
        "language": "en",
        "scenarios": [scenario.pk],
        "once": page_token(alice, url),
    }
    locations = {alice.post(url, form)["Location"] for _copy in range(COPIES)}
    session = TrainingSession.objects.get()
    assert locations == {reverse("facilitator:session", args=[session.id])}

    start = reverse("scenario_start", args=[scenario.slug, "en"])
    once = page_token(client, start)
    locations = {client.post(start, {"once": once})["Location"] for _copy in range(COPIES)}
    assert locations == {reverse("play", args=[Attempt.objects.get().id])}


@pytest.mark.django_db
def test_a_key_is_claimed_only_when_its_act_succeeds():
    """An act that fails keeps nothing, its key included: the next copy acts afresh; one
    that succeeds answers every later copy without acting again."""
    acts = []

    def failing():
        acts.append("failed")
        raise ValueError("refused")

    with pytest.raises(ValueError):
        act_once("k", failing)
    assert not ActedOnce.objects.exists()
    assert act_once("k", lambda: acts.append("made") or 7) == "7"
    assert act_once("k", lambda: acts.append("again") or 8) == "7"
    assert acts == ["failed", "made"]
    assert act_once(None, lambda: 9) == "9"  # no key: it simply acts
