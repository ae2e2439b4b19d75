"""A hall answering at once: 50 players of one session send 200 answers, 50 at the same
moment for each of 4 steps, through a live server. Every answer is stored exactly once.

On PostgreSQL (CI's second pass, `.ci/run`) the full 50 players play. SQLite serialises
writers anyway, so on it the same test runs with 10 players, to stay quick.
"""

import http.client
import secrets
import string
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.http import HttpResponse
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import reverse

from tests.factories import build_scenario
from tests.session_factories import new_session
from trainer.models import Attempt, StepAnswer
from trainer.sessions.services import session_attempt_start, session_join
from trainer.web.player import remember_player

SCENES = 4


def players_for_this_database() -> int:
    return 50 if connection.vendor == "postgresql" else 10


class HallServer(ThreadedWSGIServer):
    """Django's live server, with a listen queue long enough for a hall connecting at once
    (the default, 10, resets the connections past it)."""

    request_queue_size = 128


class HallServerThread(LiveServerThread):
    server_class = HallServer


@pytest.fixture
def hall_server():
    """A live server of its own (pytest-django's is shared, and made with the short queue)."""
    thread = HallServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def signed_player_cookie(key: str) -> str:
    response = HttpResponse()
    remember_player(response, key)
    return response.cookies[settings.PLAYER_COOKIE_NAME].value


@pytest.mark.django_db(transaction=True)
def test_fifty_players_answering_at_the_same_moment_lose_nothing_and_count_nothing_twice(
    hall_server,
):
    players = players_for_this_database()
    scenario = build_scenario(slug="hall", scenes=SCENES)
    session = new_session(scenarios=[scenario])
    version = scenario.current_version
    steps = [version.steps.get(key=f"scene-{i}") for i in range(SCENES)]
    plan = {  # what each player answers on each step: alternate the marks, always go on
        step.id: {
            "choice": step.choices.get(order=0).id,
            "marks": [m.id for m in step.messages.order_by("order")],
        }
        for step in steps
    }
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    browsers = []
    for p in range(players):
        key = f"hall-player-{p}"
        session_join(session=session, player_key=key, nickname=f"Player {p}")
        attempt_id = session_attempt_start(session=session, player_key=key, number=1)
        browsers.append((attempt_id, signed_player_cookie(key)))
    connection.close()  # the server's threads get the database to themselves

    host = urlsplit(hall_server)
    barrier = threading.Barrier(players)
    problems: list[str] = []

    def answer(attempt_id, cookie: str, position: int) -> None:
        step = steps[position]
        marks = plan[step.id]["marks"][position % 3 : position % 3 + 1]
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "position": position,
                "choice": plan[step.id]["choice"],
                "mark": marks,
            },
            doseq=True,
        )
        client = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        try:
            client.request(
                "POST",
                reverse("play", args=[attempt_id]),
                body=body,
                headers={
                    "Cookie": f"csrftoken={csrf}; {settings.PLAYER_COOKIE_NAME}={cookie}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = client.getresponse()
            response.read()
            if response.status != 303:
                problems.append(f"{attempt_id} #{position}: status {response.status}")
        finally:
            client.close()

    def player(attempt_id, cookie: str) -> None:
        try:
            for position in range(SCENES):
                barrier.wait(timeout=60)  # everyone sends this step's answer at once
                answer(attempt_id, cookie, position)
        except Exception as error:  # noqa: BLE001 (reported below)
            problems.append(f"{attempt_id}: {error!r}")
            barrier.abort()

    threads = [threading.Thread(target=player, args=browser) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert problems == []

    assert StepAnswer.objects.filter(attempt__session=session).count() == players * SCENES
    for attempt in Attempt.objects.filter(session=session).prefetch_related("answers__marks"):
        stored = [
            (a.position, a.step_id, a.choice_id, sorted(m.message_id for m in a.marks.all()))
            for a in attempt.answers.all()
        ]
        expected = [
            (
                position,
                steps[position].id,
                plan[steps[position].id]["choice"],
                sorted(plan[steps[position].id]["marks"][position % 3 : position % 3 + 1]),
            )
            for position in range(SCENES)
        ]
        assert stored == expected, attempt.id
        assert attempt.is_finished and attempt.position == SCENES
        assert attempt.current_step.key == "safe"
