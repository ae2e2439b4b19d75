"""A session's player pages cost the same queries in a small session and in a large one."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import build_scenario
from tests.session_factories import new_session, start_scenario
from tests.test_query_counts import MAX_PLAY_QUERIES
from tests.test_session_board import crowd

pytestmark = pytest.mark.django_db


def cost(client: Client, method: str, url: str, data=None, status=200) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url) if method == "GET" else client.post(url, data or {})
    assert response.status_code == status, url
    return len(captured)


def test_join_pages_session_page_and_session_play_cost_the_same_small_and_large():
    counts = []
    for size, scenes in ((1, 3), (500, 30)):
        scenarios = [build_scenario(slug=f"s{size}-{i}", scenes=scenes) for i in range(3)]
        session = new_session(scenarios=scenarios, title=f"Hall of {size}")
        crowd(session, size)
        player = Client()
        page = reverse("join_session", args=[session.code])
        measured = [
            cost(player, "GET", reverse("join")),
            cost(player, "GET", page),
            cost(player, "POST", page, {"nickname": f"Newcomer {size}"}, status=303),
            cost(player, "GET", page),
        ]
        attempt = start_scenario(player, session, 1)
        play_url = reverse("play", args=[attempt.id])
        measured.append(cost(player, "GET", play_url))
        step = attempt.current_step
        measured.append(
            cost(
                player,
                "POST",
                play_url,
                {"position": 0, "choice": step.choices.get(order=0).id},
                status=303,
            )
        )
        counts.append(measured)
    assert counts[0] == counts[1]
    assert max(counts[1]) <= MAX_PLAY_QUERIES
