"""A page a player hits often costs the same queries for a small scenario and a large one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios.content import clear_cache
from tests.factories import build_scenario
from tests.test_play import start
from trainer.models import Attempt

pytestmark = pytest.mark.django_db

MAX_PLAY_QUERIES = 8


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def attempt_at_second_step(client, scenes: int) -> Attempt:
    attempt = start(client, build_scenario(slug=f"chain-{scenes}", scenes=scenes))
    first = attempt.current_step
    marked = [m.id for m in first.messages.all()[:1]]
    client.post(
        reverse("play", args=[attempt.id]),
        {"position": 0, "choice": first.choices.get(order=0).id, "mark": marked},
    )
    return attempt


@pytest.mark.parametrize("cached", [True, False], ids=["warm", "cold"])
def test_play_page_costs_the_same_for_3_and_60_steps(client, cached):
    counts = []
    for scenes in (3, 60):
        attempt = attempt_at_second_step(client, scenes)
        url = reverse("play", args=[attempt.id])
        if not cached:
            clear_cache()
        counts.append(queries_for(client, url))
        assert "A real seller agrees to meet." in client.get(url).content.decode()
    assert counts[0] == counts[1] <= MAX_PLAY_QUERIES


def test_result_page_costs_the_same_for_short_and_long_paths(client):
    counts = []
    for scenes in (3, 60):
        attempt = start(client, build_scenario(slug=f"walk-{scenes}", scenes=scenes))
        for position in range(scenes):
            attempt.refresh_from_db()
            step = attempt.current_step
            client.post(
                reverse("play", args=[attempt.id]),
                {
                    "position": position,
                    "choice": step.choices.get(order=0).id,
                    "mark": [m.id for m in step.messages.all()],
                },
            )
        attempt.refresh_from_db()
        assert attempt.is_finished and attempt.current_step.key == "safe"
        clear_cache()  # both measured cold: the version and the red-flag types are read
        counts.append(queries_for(client, reverse("result", args=[attempt.id])))
    assert counts[0] == counts[1] <= MAX_PLAY_QUERIES


def test_answering_costs_the_same_for_3_and_60_steps(client):
    counts = []
    for scenes in (3, 60):
        attempt = start(client, build_scenario(slug=f"post-{scenes}", scenes=scenes))
        step = attempt.current_step
        choice_id = step.choices.get(order=0).id
        client.get(reverse("play", args=[attempt.id]))  # the page is seen before it is answered
        with CaptureQueriesContext(connection) as captured:
            client.post(reverse("play", args=[attempt.id]), {"position": 0, "choice": choice_id})
        counts.append(len(captured))
    assert counts[0] == counts[1] <= MAX_PLAY_QUERIES


def test_start_page_and_catalogue_cost_the_same_for_one_and_many_scenarios(client):
    build_scenario(slug="only-one")
    client.get("/s/only-one/en/")  # the first visit gives the browser its player key
    one = (queries_for(client, reverse("catalogue")), queries_for(client, "/s/only-one/en/"))
    for i in range(5):
        build_scenario(slug=f"more-{i}", scenes=4)
    many = (queries_for(client, reverse("catalogue")), queries_for(client, "/s/only-one/en/"))
    assert one == many
    assert max(many) <= MAX_PLAY_QUERIES
