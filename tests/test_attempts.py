"""An attempt survives reloads, closed tabs and new versions of its scenario."""

import pytest
from django.urls import reverse

from tests.factories import build_scenario
from tests.test_play import answer, start
from trainer.models import Attempt, StepAnswer

pytestmark = pytest.mark.django_db


def test_a_player_who_comes_back_can_resume_where_they_left_off(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    answer(client, attempt, "Ask to meet first (0)")
    html = client.get(reverse("scenario_start", args=[scenario.slug, "en"])).content.decode()
    assert "Resume where you left off" in html
    assert reverse("play", args=[attempt.id]) in html
    page = client.get(reverse("play", args=[attempt.id])).content.decode()
    assert "Send 50% to my card now (1)" in page


def test_starting_again_makes_a_new_attempt_and_keeps_the_old_answers(client):
    scenario = build_scenario()
    first = start(client, scenario)
    answer(client, first, "Ask to meet first (0)")
    second = start(client, scenario)
    assert second != first and second.position == 0
    assert StepAnswer.objects.filter(attempt=first).count() == 1


def test_an_attempt_in_progress_finishes_on_the_version_it_began(client):
    scenario = build_scenario(title="Version one")
    attempt = start(client, scenario)
    answer(client, attempt, "Ask to meet first (0)")
    build_scenario(title="Version two", scenes=5)  # a new version is published meanwhile
    scenario.refresh_from_db()
    assert scenario.current_version.number == 2
    page = client.get(reverse("play", args=[attempt.id])).content.decode()
    assert "Version one" in page and "Version two" not in page
    answer(client, attempt, "Ask to meet first (1)")
    answer(client, attempt, "Ask to meet first (2)")
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.version.number == 1
    assert attempt.current_step.key == "safe"
    # A new start takes the new version.
    assert start(client, scenario).version.number == 2


def test_a_finished_attempt_shows_its_result_and_takes_no_more_answers(client):
    scenario = build_scenario(scenes=1)
    attempt = start(client, scenario)
    answer(client, attempt, "Transfer 75 000 tenge (0)")
    response = client.get(reverse("play", args=[attempt.id]))
    assert response.status_code == 302 and response.url == reverse("result", args=[attempt.id])
    safe_choice = scenario.current_version.steps.get(key="scene-0").choices.get(order=0)
    for position in (0, 1):
        client.post(
            reverse("play", args=[attempt.id]), {"position": position, "choice": safe_choice.id}
        )
    attempt.refresh_from_db()
    assert StepAnswer.objects.filter(attempt=attempt).count() == 1
    assert attempt.current_step.key == "scammed" and attempt.score is not None


def test_an_unfinished_attempt_has_no_result_yet(client):
    attempt = start(client, build_scenario())
    response = client.get(reverse("result", args=[attempt.id]))
    assert response.status_code == 302 and response.url == reverse("play", args=[attempt.id])


def test_flagging_everything_scores_lower_than_flagging_the_red_flags(client):
    scenario = build_scenario(slug="careful", scenes=2)
    scores = {}
    for style in ("exact", "everything"):
        attempt = start(client, scenario)
        for position in range(2):
            attempt.refresh_from_db()
            step = attempt.current_step
            marks = [m.id for m in step.messages.all() if style == "everything" or m.flag_id]
            client.post(
                reverse("play", args=[attempt.id]),
                {"position": position, "choice": step.choices.get(order=0).id, "mark": marks},
            )
        scores[style] = Attempt.objects.get(pk=attempt.pk).score
    assert scores == {"exact": 100, "everything": 50}
