"""Playing a scenario without an account: catalogue, start, steps, ending and debrief."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from scenarios.models import Scenario
from tests.factories import build_scenario
from tests.forms import page_token
from trainer.models import Attempt, StepAnswer

pytestmark = pytest.mark.django_db


def start(client, scenario: Scenario, once: str | None = None) -> Attempt:
    """Press Start on the scenario's page, as loaded now (or as loaded when `once` was
    read from it: the same form sent again)."""
    url = reverse("scenario_start", args=[scenario.slug, scenario.language])
    response = client.post(url, {"once": once or page_token(client, url)})
    assert response.status_code == 303
    return Attempt.objects.get(pk=response.url.split("/")[2])


def answer(client, attempt: Attempt, choice_text: str, marked_texts=(), position=None):
    attempt.refresh_from_db()
    step = attempt.current_step
    choice = step.choices.get(text=choice_text)
    marks = [m.id for m in step.messages.all() if m.text in marked_texts]
    return client.post(
        reverse("play", args=[attempt.id]),
        {
            "position": attempt.position if position is None else position,
            "choice": choice.id,
            "mark": marks,
        },
    )


def test_catalogue_lists_published_scenarios_without_saying_which_are_scams(client):
    build_scenario(title="A bargain phone")
    build_scenario(slug="real-shop", title="A real shop", legitimate=True)
    build_scenario(slug="draft", title="Unfinished draft", published=False)
    html = client.get(reverse("catalogue")).content.decode()
    assert "A bargain phone" in html and "A real shop" in html
    assert "Unfinished draft" not in html
    assert "Direct message" in html or "Social network direct messages" in html
    assert not re.search(r"legitimate|scam\b", html, re.IGNORECASE)


def test_start_gives_the_browser_an_attempt_and_a_double_click_makes_only_one(client):
    scenario = build_scenario()
    once = page_token(client, reverse("scenario_start", args=[scenario.slug, "en"]))
    first = start(client, scenario, once)
    second = start(client, scenario, once)
    assert first == second
    assert Attempt.objects.count() == 1
    assert start(client, scenario) != first  # the page loaded again: a new start
    assert first.current_step.key == "scene-0"
    assert client.cookies["saq_player"]["httponly"]


def test_every_message_can_be_marked_and_the_mark_is_named_by_the_message(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    html = client.get(reverse("play", args=[attempt.id])).content.decode()
    controls = re.findall(
        r'<label class="mark-toggle"><input class="mark" type="checkbox" name="mark" '
        r'value="(\d+)" aria-describedby="message-(\d+)"> <span>(.*?)</span></label>',
        html,
    )
    assert len(controls) == 3  # the red flag and both innocent messages
    assert all(value == named for value, named, _label in controls)
    assert {label for _v, _n, label in controls} == {"Mark as suspicious"}
    bubbles = dict(re.findall(r'<div class="bubble" id="message-(\d+)">(.*?)</div>', html, re.S))
    for text, (value, _n, _label) in zip(
        ["Send 50% to my card now (0)", "Hello! Thanks for asking (0)", "Here is a photo (0)"],
        controls,
        strict=True,
    ):
        assert text in bubbles[value]
    assert ">Ask to meet first (0)</button>" in html
    assert ">Transfer 75 000 tenge (0)</button>" in html
    assert '<progress id="progress-bar" max="3" value="0">' in html


def test_an_answer_is_stored_with_its_marks_and_shows_its_feedback(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    response = answer(client, attempt, "Ask to meet first (0)", ["Send 50% to my card now (0)"])
    assert response.status_code == 303
    stored = StepAnswer.objects.get(attempt=attempt)
    assert stored.choice.text == "Ask to meet first (0)"
    assert [mark.message.text for mark in stored.marks.all()] == ["Send 50% to my card now (0)"]
    html = client.get(reverse("play", args=[attempt.id])).content.decode()
    assert "A real seller agrees to meet." in html
    assert "Send 50% to my card now (1)" in html


def test_a_repeated_post_counts_once(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    answer(client, attempt, "Ask to meet first (0)", position=0)
    attempt.refresh_from_db()
    # The same form sent again (double click, back button, resend) changes nothing.
    first_step = scenario.current_version.steps.get(key="scene-0")
    choice = first_step.choices.get(order=1)
    client.post(reverse("play", args=[attempt.id]), {"position": 0, "choice": choice.id})
    assert StepAnswer.objects.filter(attempt=attempt).count() == 1
    attempt.refresh_from_db()
    assert attempt.position == 1 and attempt.current_step.key == "scene-1"


def test_an_answer_that_does_not_fit_the_step_is_refused_and_stores_nothing(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    other_step_choice = scenario.current_version.steps.get(key="scene-1").choices.first()
    response = client.post(
        reverse("play", args=[attempt.id]),
        {"position": 0, "choice": other_step_choice.id},
        follow=True,
    )
    assert "That choice is not part of this step." in response.content.decode()
    assert not StepAnswer.objects.exists()


def test_another_browser_cannot_see_or_answer_an_attempt(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    stranger = Client()
    assert stranger.get(reverse("play", args=[attempt.id])).status_code == 404
    start(stranger, scenario)  # a stranger with an attempt of their own is still a stranger
    assert stranger.get(reverse("play", args=[attempt.id])).status_code == 404
    assert stranger.get(reverse("result", args=[attempt.id])).status_code == 404


def test_the_ending_shows_outcome_cost_score_and_a_debrief(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    answer(client, attempt, "Ask to meet first (0)", ["Hello! Thanks for asking (0)"])
    response = answer(client, attempt, "Transfer 75 000 tenge (1)", ["Send 50% to my card now (1)"])
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.current_step.key == "scammed"
    html = client.get(response.url, follow=True).content.decode()
    assert "The money is gone" in html
    assert "75\u00a0000\u00a0₸" in html
    assert "Red flag you missed" in html and "Send 50% to my card now (0)" in html
    assert "Red flag you caught" in html and "Send 50% to my card now (1)" in html
    assert "False alarm: this message was genuine" in html
    assert "Money sent in advance is gone." in html
    assert "Pay only on delivery." in html  # the red-flag type's advice
    assert "Nur-Sultan: 15 victims" in html  # the real case
    assert f"<strong>{attempt.score}</strong> / 100" in html


def test_a_pack_written_outside_the_team_imports_and_plays_through(client):
    call_command("import_scenarios", "tests/packs/outsider.json", stdout=StringIO())
    scenario = Scenario.objects.get(slug="instagram-phone-seller", language="en")
    catalogue = client.get(reverse("catalogue")).content.decode()
    assert "A bargain phone on Instagram" in catalogue
    attempt = start(client, scenario)
    answer(client, attempt, "Transfer 75 000 ₸ now", ["iPhone 15, new, 150 000 ₸ only today!"])
    html = client.get(reverse("result", args=[attempt.id])).content.decode()
    assert "The account is gone" in html and "75\u00a0000\u00a0₸" in html
    assert "Red flag you caught" in html and "A price too good to be true" in html
    assert "Red flag you missed" in html and "Send 50% to my card and I ship today." in html
    assert "Pay only on delivery or through a protected marketplace." in html
    assert "Nur-Sultan, 2021: 15 victims" in html


def test_a_cached_step_page_carries_each_browsers_own_csrf_token():
    """Published step pages are rendered once, but every browser gets a token that works."""
    scenario = build_scenario()
    for _ in range(2):  # the second player is served the page the first one caused
        browser = Client(enforce_csrf_checks=True)
        page = browser.get(reverse("scenario_start", args=[scenario.slug, "en"]))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        response = browser.post(
            reverse("scenario_start", args=[scenario.slug, "en"]),
            {"csrfmiddlewaretoken": token.group(1)},
        )
        attempt = Attempt.objects.get(pk=response.url.split("/")[2])
        html = browser.get(response.url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        choice = attempt.current_step.choices.get(order=0)
        answered = browser.post(
            response.url, {"csrfmiddlewaretoken": token, "position": 0, "choice": choice.id}
        )
        assert answered.status_code == 303
        assert StepAnswer.objects.filter(attempt=attempt).count() == 1


def test_marking_every_red_flag_and_losing_money_stays_below_the_pass_mark(client):
    """Rule 4a on the page: every red flag marked, no false alarm, then scammed on the last
    scene: the score is held to 40 and the page says how it was made and why it is held."""
    scenario = build_scenario()
    attempt = start(client, scenario)
    answer(client, attempt, "Ask to meet first (0)", ["Send 50% to my card now (0)"])
    answer(client, attempt, "Ask to meet first (1)", ["Send 50% to my card now (1)"])
    response = answer(client, attempt, "Transfer 75 000 tenge (2)", ["Send 50% to my card now (2)"])
    attempt.refresh_from_db()
    # Independently: spotting 3/3 - 0/6 = 1 gives 50; decisions (1 + 1 + 0) / 3 gives 33.
    assert attempt.score == 40
    html = client.get(response.url, follow=True).content.decode()
    assert "<strong>40</strong> / 100" in html
    assert (
        "red flags caught minus false alarms gave 50 of 50 points, your decisions 33 of 50" in html
    )
    assert "You were scammed, so the score is held to 40 at most" in html


def test_random_looking_marks_can_cost_points(client):
    """Spotting is not floored at 0: marking only genuine messages takes points away."""
    scenario = build_scenario(scenes=1)
    attempt = start(client, scenario)
    response = answer(
        client,
        attempt,
        "Ask to meet first (0)",
        ["Hello! Thanks for asking (0)", "Here is a photo (0)"],
    )
    attempt.refresh_from_db()
    assert attempt.score == 0  # -50 for spotting (0 caught, every genuine one marked) + 50
    html = client.get(response.url, follow=True).content.decode()
    assert "gave -50 of 50 points, your decisions 50 of 50" in html
