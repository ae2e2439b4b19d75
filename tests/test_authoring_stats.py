"""Where players go wrong: per step, how players chose and which red flags they missed,
counted from published versions' attempts only (never a preview), with no player named,
in the same number of queries for a handful of attempts as for many."""

import math
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scenarios.content import clear_cache, version_content
from tests.factories import build_scenario
from trainer.authors.stats import version_stats, wilson_lower
from trainer.models import Attempt, StepAnswer

pytestmark = pytest.mark.django_db


def played(version, path: list[tuple[str, int, list[str]]], *, preview=False, key=None):
    """An attempt that took, on each (step key, choice order, marked message keys), that choice."""
    steps = {step.key: step for step in version.steps.all()}
    first = steps[path[0][0]]
    attempt = Attempt.objects.create(
        player_key=key or uuid.uuid4().hex,
        scenario=version.scenario,
        version=version,
        current_step=first,
        preview=preview,
    )
    for position, (step_key, order, marked) in enumerate(path):
        step = steps[step_key]
        choice = step.choices.get(order=order)
        answer = StepAnswer.objects.create(
            attempt=attempt, position=position, step=step, choice=choice
        )
        for message in step.messages.filter(key__in=marked):
            answer.marks.create(message=message)
        attempt.current_step = choice.next_step
    if attempt.current_step.ending:
        attempt.finished_at = timezone.now()
    attempt.position = len(path)
    attempt.save()
    return attempt


def stats_page(client, scenario) -> str:
    response = client.get(reverse("authoring_stats", args=[scenario.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_choices_missed_flags_and_endings_are_counted_without_naming_anyone(author_client):
    scenario = build_scenario(scenes=2)
    version = scenario.current_version
    played(version, [("scene-0", 0, ["m0-flag"]), ("scene-1", 0, ["m1-flag"])], key="alice-key")
    played(version, [("scene-0", 0, []), ("scene-1", 1, [])])
    played(version, [("scene-0", 1, ["m0-hello"])])
    played(version, [("scene-0", 1, [])], preview=True)  # an author's preview: not counted

    html = stats_page(author_client, scenario)
    assert "3 attempts" in html and "3 finished" in html
    assert "alice-key" not in html
    assert "Ask to meet first (0)</td><td>safe</td><td>2 (67%)" in html
    assert "Transfer 75 000 tenge (0)</td><td>harmful</td><td>1 (33%)" in html
    assert "Answered 3 times." in html and "Answered 2 times." in html
    # Scene 0's flag was caught once in three answers; scene 1's once in two.
    assert "2 of 3 (67%; at least 20%)" in html and "1 of 2 (50%; at least 9%)" in html
    assert html.index("2 of 3 (67%") < html.index("1 of 2 (50%")  # most missed first
    # The third player marked an innocent message: a false alarm, counted and shown.
    alarms = html[html.index('id="alarms-title"') : html.index('id="steps-title"')]
    assert "1 of 3 (33%; at least 6%)" in alarms
    assert "You kept your money</td><td>1</td>" in html
    assert "The money is gone</td><td>2</td>" in html


def test_the_statistics_read_the_chosen_published_version(author_client):
    scenario = build_scenario(scenes=1)
    first = scenario.current_version
    played(first, [("scene-0", 1, [])])
    second = build_scenario(scenes=1).current_version  # version 2 of the same scenario
    played(second, [("scene-0", 0, [])])
    played(second, [("scene-0", 0, [])])
    assert "2 attempts" in stats_page(author_client, scenario)
    page = author_client.get(reverse("authoring_stats", args=[scenario.pk]) + "?version=1")
    assert "1 attempt," in page.content.decode()
    missing = author_client.get(reverse("authoring_stats", args=[scenario.pk]) + "?version=9")
    assert missing.status_code == 404


def test_the_statistics_cost_the_same_queries_for_few_and_many_attempts(author_client):
    counts = []
    for scenes, players in ((2, 2), (25, 40)):
        scenario = build_scenario(slug=f"stats-{scenes}", scenes=scenes)
        version = scenario.current_version
        for i in range(players):
            path = [(f"scene-{s}", 0, [f"m{s}-flag"] if i % 2 else []) for s in range(scenes)]
            played(version, path)
        played(version, [("scene-0", 1, [])], preview=True)
        clear_cache()
        with CaptureQueriesContext(connection) as captured:
            html = stats_page(author_client, scenario)
        assert f"{players} attempts" in html
        counts.append(len(captured))
    assert counts[0] == counts[1]


def _wilson_lower_by_search(part: int, whole: int, z: float = 1.959964) -> float:
    """The Wilson lower bound found another way: the rate p below the observed share at
    which the observed share lies exactly z standard errors (of p) away, by bisection."""
    share = part / whole
    low, high = 0.0, share
    for _ in range(200):
        p = (low + high) / 2
        distance = (share - p) / math.sqrt(p * (1 - p) / whole) if 0 < p < 1 else math.inf
        low, high = (p, high) if distance > z else (low, p)
    return (low + high) / 2


@pytest.mark.parametrize(("part", "whole"), [(1, 1), (4, 5), (2, 3), (1, 2), (0, 4), (37, 40)])
def test_the_evidence_bound_matches_an_independent_computation(part, whole):
    assert wilson_lower(part, whole) == pytest.approx(
        _wilson_lower_by_search(part, whole), abs=1e-6
    )


def test_four_misses_of_five_rank_above_one_of_one_and_say_so(author_client):
    scenario = build_scenario(scenes=2)
    version = scenario.current_version
    played(version, [("scene-0", 0, []), ("scene-1", 1, [])])  # missed both flags
    for caught in (False, False, False, True):
        played(version, [("scene-0", 1, ["m0-flag"] if caught else [])])
    stats = version_stats(version_content(version.pk))
    assert [(f.step_title, f.missed, f.seen) for f in stats.most_missed] == [
        ("Scene 0", 4, 5),
        ("Scene 1", 1, 1),
    ]
    html = stats_page(author_client, scenario)
    assert "4 of 5 (80%; at least 37%)" in html and "1 of 1 (100%; at least 20%)" in html
    assert html.index("4 of 5 (80%") < html.index("1 of 1 (100%")
    assert "the lower end of a Wilson interval at 95 in 100 confidence" in html


def test_a_look_alikes_false_alarms_are_listed_by_evidence(author_client):
    scenario = build_scenario(slug="genuine", scenes=1, legitimate=True)
    version = scenario.current_version
    for marked in (["m0-hello"], ["m0-hello"], ["m0-hello", "m0-photo"], []):
        played(version, [("scene-0", 0, marked)])
    stats = version_stats(version_content(version.pk))
    assert stats.most_missed == ()
    alarms = [(a.message, a.marked, a.seen) for a in stats.false_alarms]
    texts = {m.key: m.text for m in version.steps.get(key="scene-0").messages.all()}
    assert alarms == [(texts["m0-hello"], 3, 4), (texts["m0-photo"], 1, 4)]
    html = stats_page(author_client, scenario)
    assert "3 of 4 (75%; at least 30%)" in html and "1 of 4 (25%; at least 4%)" in html
