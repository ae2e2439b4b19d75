"""Players of a session play with the same engine; their attempts belong to the session,
and once the facilitator closes it, answers are refused and nothing before is lost."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import build_scenario
from tests.session_factories import (
    build_module,
    join,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from trainer.models import Attempt, StepAnswer
from trainer.play import services
from trainer.sessions.services import session_close

pytestmark = pytest.mark.django_db


def answer_first_step(client: Client, attempt: Attempt, *, follow: bool = False):
    attempt.refresh_from_db()
    step = attempt.current_step
    return client.post(
        reverse("play", args=[attempt.id]),
        {"position": attempt.position, "choice": step.choices.get(order=0).id},
        follow=follow,
    )


def test_a_session_made_from_a_module_gives_its_players_the_modules_scenarios_in_order(client):
    first = build_scenario(slug="phone-seller", title="A bargain phone")
    second = build_scenario(slug="real-shop", title="A real shop", legitimate=True)
    module = build_module([second, first])
    session = new_session(scenarios=[second, first], module=module)
    join(client, session, "Aruzhan")
    html = client.get(reverse("join_session", args=[session.code])).content.decode()
    assert html.index("A real shop") < html.index("A bargain phone")
    take_check(client, run_of(session, "Aruzhan"), "before")
    attempt = play(client, start_scenario(client, session, 1))
    assert (attempt.scenario, attempt.session) == (second, session)
    assert start_scenario(client, session, 2).scenario == first


def test_a_session_attempt_is_played_with_the_same_engine_and_belongs_to_the_session(client):
    session = new_session()
    join(client, session, "Aruzhan")
    attempt = start_scenario(client, session)
    assert attempt.session == session and attempt.player_key
    page = client.get(reverse("play", args=[attempt.id])).content.decode()
    assert f"Session {session.code}" in page  # the way back to the session's scenarios
    finished = play(client, attempt)
    assert finished.is_finished and finished.current_step.key == "safe"
    result = client.get(reverse("result", args=[attempt.id])).content.decode()
    assert f'href="/join/{session.code}/"' in result and "Back to the session" in result
    home = client.get(reverse("join_session", args=[session.code])).content.decode()
    assert f"Done: {finished.score} / 100" in home


def test_the_session_banner_is_part_of_the_cached_page_key(client):
    """Two sessions on the same scenario: each player's cached step page names their own."""
    scenario = build_scenario()
    sessions = [new_session(scenarios=[scenario], title=f"Class {i}") for i in range(2)]
    plain = Client()
    plain_attempt = Attempt.objects.get(
        pk=plain.post(reverse("scenario_start", args=[scenario.slug, "en"])).url.split("/")[2]
    )
    assert "Session " not in plain.get(reverse("play", args=[plain_attempt.id])).content.decode()
    for session in sessions:
        browser = Client()
        join(browser, session, "Same name")
        attempt = start_scenario(browser, session)
        html = browser.get(reverse("play", args=[attempt.id])).content.decode()
        assert f"Session {session.code}" in html


def test_the_session_keeps_the_version_it_was_made_with(client):
    scenario = build_scenario(title="First text")
    session = new_session(scenarios=[scenario])
    build_scenario(title="Second text")  # published afterwards
    join(client, session, "Aruzhan")
    attempt = start_scenario(client, session)
    assert attempt.version.title == "First text"


def test_a_double_clicked_play_button_makes_one_attempt(client):
    session = new_session()
    join(client, session, "Aruzhan")
    assert start_scenario(client, session) == start_scenario(client, session)
    assert Attempt.objects.count() == 1


def test_only_players_of_the_session_can_start_its_scenarios(client):
    """Anyone else is sent to the session's page, the same whether the code exists or not,
    so Play is no way to test codes past the throttle."""
    session = new_session()
    for code in (session.code, "AAAAAA" if session.code != "AAAAAA" else "CCCCCC"):
        response = client.post(reverse("session_play", args=[code, 1]))
        assert (response.status_code, response.url) == (303, f"/join/{code}/")
    assert not Attempt.objects.exists()


def test_after_closing_answers_are_refused_and_what_came_before_is_kept(client):
    session = new_session(scenarios=[build_scenario(), build_scenario(slug="second")])
    join(client, session, "Aruzhan")
    attempt = start_scenario(client, session)
    answer_first_step(client, attempt)
    session_close(session=session)

    response = answer_first_step(client, attempt, follow=True)
    html = response.content.decode()
    assert "This session has been closed: it takes no more answers." in html
    assert "The facilitator has closed this session. What you answered before is kept." in html
    assert list(StepAnswer.objects.values_list("position", flat=True)) == [0]
    attempt.refresh_from_db()
    assert attempt.position == 1 and not attempt.is_finished
    # The step page itself now leads to the session's page, which offers nothing to play.
    page = client.get(reverse("play", args=[attempt.id]))
    assert page.url == reverse("join_session", args=[session.code])
    assert 'action="/join/' not in client.get(page.url).content.decode()
    # Nor can the next scenario be started.
    refused = client.post(reverse("session_play", args=[session.code, 2]), follow=True)
    assert "it takes no more answers" in refused.content.decode()
    assert Attempt.objects.count() == 1


def closing_first(move, session):
    def close_then_move(*args, **kwargs):
        session_close(session=session)
        return move(*args, **kwargs)

    return close_then_move


def test_a_close_between_reading_the_state_and_writing_the_answer_refuses_it(client, monkeypatch):
    """The hot path's compare-and-set holds the session open: a close that lands after the
    answer's state was read still stops the answer, and the player is told."""
    session = new_session()
    join(client, session, "Aruzhan")
    attempt = start_scenario(client, session)
    # The move is attempt_move_on, or on PostgreSQL attempt_move_and_answer (one statement).
    for name in ("attempt_move_on", "attempt_move_and_answer"):
        monkeypatch.setattr(services, name, closing_first(getattr(services, name), session))
    html = answer_first_step(client, attempt, follow=True).content.decode()
    assert "This session has been closed: it takes no more answers." in html
    assert not StepAnswer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.position == 0


def test_closing_a_session_leaves_other_attempts_of_the_player_alone(client):
    scenario = build_scenario()
    session = new_session(scenarios=[scenario])
    join(client, session, "Aruzhan")
    start_scenario(client, session)
    session_close(session=session)
    own = client.post(reverse("scenario_start", args=[scenario.slug, "en"]))
    attempt = Attempt.objects.get(pk=own.url.split("/")[2])
    assert attempt.session is None
    assert answer_first_step(client, attempt).status_code == 303
    assert StepAnswer.objects.filter(attempt=attempt).count() == 1
