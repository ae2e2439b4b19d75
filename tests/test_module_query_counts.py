"""Every page of a module run costs the same queries for a small module and a large one
(2 scenarios and a pool of 4 check items, or 8 scenarios and a pool of 40)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import build_module
from tests.forms import once_token
from tests.test_modules import check_form, play_scenario, start_run
from tests.test_query_counts import MAX_PLAY_QUERIES
from trainer.models import Attempt

pytestmark = pytest.mark.django_db

# Starting a scenario reads where the run stands (4 queries), the first time a version is
# played in the process, the version's whole graph (4 more, then kept in memory), and makes
# the attempt once (its key claimed and answered, the attempt written, in a transaction).
MAX_MODULE_QUERIES = 13
SMALL, LARGE = (
    {"scenarios": 2, "scams": 2, "genuine": 2},
    {"scenarios": 8, "scams": 20, "genuine": 20},
)


def counted(request) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code in (200, 302, 303), response
    return len(captured), response


def walk_counting(slug: str, size: dict) -> dict[str, int]:
    """Walk a run of a fresh module in a new browser, counting the queries of each page and
    post on the way."""
    client = Client()
    module = build_module(slug=slug, **size)
    counts = {}
    start_url = reverse("module_start", args=[slug, "en"])
    counts["module page"], page = counted(lambda: client.get(start_url))
    once = once_token(page.content.decode())
    counts["start"], response = counted(lambda: client.post(start_url, {"once": once}))
    run = start_run(client, module, once)  # the same run: a second click gets it
    assert response.url == reverse("module_run", args=[run.id])
    run_url = reverse("module_run", args=[run.id])
    counts["run page"], _ = counted(lambda: client.get(run_url))
    check_url = reverse("module_check", args=[run.id, "before"])
    counts["check page"], _ = counted(lambda: client.get(check_url))
    form = check_form(run, "before")
    counts["check answers"], _ = counted(lambda: client.post(check_url, form))
    counts["check resent"], _ = counted(lambda: client.post(check_url, form))
    play_url = reverse("module_play", args=[run.id, f"{slug}-0"])
    counts["scenario start"], _ = counted(lambda: client.post(play_url))
    for entry in module.entries.order_by("order").select_related("scenario"):
        play_scenario(client, run, entry.scenario.slug)
    counts["run page, scenarios done"], _ = counted(lambda: client.get(run_url))
    form = check_form(run, "after")
    after_url = reverse("module_check", args=[run.id, "after"])
    counts["last check page"], _ = counted(lambda: client.get(after_url))
    counts["last check"], _ = counted(lambda: client.post(after_url, form))
    result_url = reverse("module_result", args=[run.id])
    counts["result, first time"], _ = counted(lambda: client.get(result_url))
    counts["result"], response = counted(lambda: client.get(result_url))
    assert "Before and after" in response.content.decode()
    counts["catalogue"], _ = counted(lambda: client.get(reverse("catalogue")))
    return counts


def test_every_page_of_a_run_costs_the_same_for_a_small_and_a_large_module():
    small = walk_counting("small", SMALL)
    large = walk_counting("large", LARGE)
    assert small == large
    assert max(small.values()) <= MAX_MODULE_QUERIES, small


def test_a_scenario_played_in_a_run_costs_what_it_costs_alone(client):
    """The play page, an answer and the ending of an attempt in a run read nothing more
    than those of an attempt of the same scenario played on its own."""
    module = build_module(slug="inrun", scams=0, genuine=0, scenarios=1, scenes=2)
    run = start_run(client, module)
    in_run = Attempt.objects.get(
        pk=client.post(reverse("module_play", args=[run.id, "inrun-0"])).url.split("/")[2]
    )
    alone = Attempt.objects.get(
        pk=client.post(reverse("scenario_start", args=["inrun-0", "en"])).url.split("/")[2]
    )
    assert in_run.module_run == run and alone.module_run is None
    counts = []
    for attempt in (in_run, alone):
        play_url = reverse("play", args=[attempt.id])
        for position in (0, 1):
            step = Attempt.objects.get(pk=attempt.pk).current_step
            client.get(play_url)  # seen once before, so both are measured warm
            page, _ = counted(lambda url=play_url: client.get(url))
            answer = {"position": position, "choice": step.choices.get(order=0).id}
            answered, _ = counted(lambda url=play_url, data=answer: client.post(url, data))
            counts.append((page, answered))
        result_url = reverse("result", args=[attempt.id])
        client.get(result_url)
        counts.append(counted(lambda url=result_url: client.get(url))[0])
    assert counts[:3] == counts[3:]
    assert max(max(c) if isinstance(c, tuple) else c for c in counts) <= MAX_PLAY_QUERIES
