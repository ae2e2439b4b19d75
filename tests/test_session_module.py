"""A session made from a module takes each player through the module's check: the check
before first, then the scenarios in order (attempts of the session and of the player's
run), then the check after, then the player's own result, as the module's result page
shows it. A closed session takes no more check answers.

The module is built as the built-in one (tests.factories.build_module): a pool of 4 scams
and 4 genuine messages gives checks of 2 scams and 2 genuine messages each, whose figures
test_module_result.py works out by hand.
"""

import re

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from tests.session_factories import (
    join,
    module_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from tests.test_module_result import everything_is_a_scam, figures
from trainer.models import Attempt, CheckAnswer, ModuleRun, SessionPlayer
from trainer.runs import services as modules
from trainer.sessions.services import session_close

pytestmark = pytest.mark.django_db


def session_page(client: Client, session) -> str:
    return client.get(reverse("join_session", args=[session.code])).content.decode()


def test_joining_gives_the_player_one_run_of_the_module_with_its_checks_drawn(client):
    session = module_session(scams=4, genuine=4)
    join(client, session, "Aruzhan")
    join(client, session, "Aruzhan")  # Join sent twice
    player = SessionPlayer.objects.get()
    run = ModuleRun.objects.get()
    assert (run.session, run.player_key, run.module) == (
        session,
        player.player_key,
        session.module,
    )
    assert len(run.items_drawn("before")) == len(run.items_drawn("after")) == 4
    assert not set(run.items_drawn("before")) & set(run.items_drawn("after"))
    with pytest.raises(IntegrityError):  # the database's own guard: one run per player
        ModuleRun.objects.create(player_key=player.player_key, module=run.module, session=session)


def test_the_scenarios_wait_for_the_check_before_and_nothing_is_stored_until_then(client):
    session = module_session(scams=4, genuine=4)
    join(client, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    page = session_page(client, session)
    check_url = reverse("module_check", args=[run.id, "before"])
    assert f'<a class="button button-primary" href="{check_url}">Take the check</a>' in page
    assert page.index("Check before the scenarios") < page.index("Case 0") < page.index("Case 1")
    assert page.index("Case 1") < page.index("Check after the scenarios")
    assert page.count("Not yet") == 4  # both scenarios, the check after, the result
    assert "<form" not in page.split('class="run-steps"')[1]  # nothing to start yet
    refused = client.post(reverse("session_play", args=[session.code, 1]), follow=True)
    assert refused.redirect_chain[-1][0] == reverse("join_session", args=[session.code])
    assert "Answer the first check before you play the scenarios." in refused.content.decode()
    assert not Attempt.objects.exists()
    check = client.get(check_url).content.decode()
    assert f"Session {session.code}" in check  # the way back to the session
    assert check.count('<fieldset class="check-item') == 4


def test_a_player_goes_through_both_checks_and_the_scenarios_to_their_own_result(client):
    session = module_session(scams=4, genuine=4)
    join(client, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    response = take_check(client, run, "before", everything_is_a_scam)
    assert response.status_code == 303
    page = session_page(client, session)
    assert page.count('<p class="run-status">Done</p>') == 1
    start_url = reverse("module_play", args=[run.id, f"{session.module.slug}-0"])
    assert f'action="{start_url}"' in page and page.count("<form") == 2  # Start, and language
    out_of_turn = client.post(reverse("session_play", args=[session.code, 2]), follow=True)
    assert "Play the scenarios in order" in out_of_turn.content.decode()

    first = start_scenario(client, session, 1)
    assert (first.session, first.module_run) == (session, run)
    assert client.post(start_url).url == reverse("play", args=[first.id])  # the same attempt
    play(client, first)
    debrief = client.get(reverse("result", args=[first.id])).content.decode()
    assert f'href="/join/{session.code}/">Back to the session' in debrief
    second = play(client, start_scenario(client, session, 2))
    assert (second.session, second.module_run) == (session, run)
    assert Attempt.objects.filter(session=session).count() == 2

    page = session_page(client, session)
    assert page.count("Done: 100 / 100") == 2
    after_url = reverse("module_check", args=[run.id, "after"])
    assert f'href="{after_url}">Take the check' in page
    response = take_check(client, run, "after")
    assert response.url == reverse("module_result", args=[run.id])
    assert take_check(client, run, "after").url == reverse("module_result", args=[run.id])
    assert CheckAnswer.objects.filter(run=run).count() == 8  # sent twice, stored once

    result = client.get(response.url).content.decode()
    assert figures(result) == {  # as for the same answers in a run played alone
        "Scams you called scams": ("2 of 2", "2 of 2"),
        "False alarms: genuine messages you called scams": ("2 of 2", "0 of 2"),
    }
    assert "Right: 2 of 4 → 4 of 4" in result
    assert "You got better" not in result and "A check this short cannot show" in result
    assert result.count('<strong class="score-value">100 / 100</strong>') == 2
    assert f"Session {session.code}" in result and "Back to the session" in result
    assert "Play the module again" not in result
    assert "short booster" not in result  # offered only to a run played alone
    assert "Get your certificate" in result
    page = session_page(client, session)
    assert f'href="{reverse("module_result", args=[run.id])}">See your result' in page


def test_a_session_player_gets_a_certificate_with_their_nickname_offered_as_the_name(client):
    session = module_session()
    join(client, session, "Айгүл")
    run = run_of(session, "Айгүл")
    take_check(client, run, "before")
    for number in (1, 2):
        play(client, start_scenario(client, session, number))
    take_check(client, run, "after")
    client.get(reverse("module_result", args=[run.id]))
    url = reverse("certificate", args=[run.id])
    form = client.get(url).content.decode()
    assert re.search(r'<input type="text" name="name" value="Айгүл"[^>]* id="id_name">', form)
    client.post(url, {"name": "Айгүл"})
    assert run.certificate.name == "Айгүл"


def test_a_closed_session_takes_no_check_answers_and_keeps_those_given_before(client):
    session = module_session(scams=4, genuine=4)
    join(client, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    session_close(session=session)
    response = take_check(client, run, "before")
    assert response.url == reverse("join_session", args=[session.code])
    html = client.get(response.url).content.decode()
    assert "This session has been closed: it takes no more answers." in html
    assert "The facilitator has closed this session. What you answered before is kept." in html
    assert "Take the check" not in html and html.count("Not taken") == 2
    assert not CheckAnswer.objects.exists()
    check_page = client.get(reverse("module_check", args=[run.id, "before"]))
    assert check_page.url == reverse("join_session", args=[session.code])


def test_the_check_after_is_refused_once_the_session_is_closed(client):
    session = module_session()
    join(client, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    take_check(client, run, "before")
    for number in (1, 2):
        play(client, start_scenario(client, session, number))
    session_close(session=session)
    response = take_check(client, run, "after")
    assert response.url == reverse("join_session", args=[session.code])
    html = session_page(client, session)
    assert "This session has been closed: it takes no more answers." in html
    assert set(CheckAnswer.objects.values_list("phase", flat=True)) == {"before"}
    assert html.count("Done: 100 / 100") == 2 and "See your result" not in html


def test_a_close_landing_while_the_check_is_sent_refuses_it(client, monkeypatch):
    """The session is read open, then closed before the answers are written: the answers
    are refused all the same (the session's row is read again, locked, when they are)."""
    session = module_session()
    join(client, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    real_check_items = modules.check_items

    def close_first(progress):
        session_close(session=session)
        return real_check_items(progress)

    monkeypatch.setattr(modules, "check_items", close_first)
    response = take_check(client, run, "before")
    assert response.url == reverse("join_session", args=[session.code])
    assert not CheckAnswer.objects.exists()


def test_a_session_run_is_followed_from_the_session_and_never_resumed_alone(client):
    session = module_session()
    join(client, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    response = client.get(reverse("module_run", args=[run.id]))
    assert response.url == reverse("join_session", args=[session.code])
    module = session.module
    start = client.get(reverse("module_start", args=[module.slug, module.language]))
    assert "Resume where you left off" not in start.content.decode()
    alone = client.post(reverse("module_start", args=[module.slug, module.language]))
    assert alone.url != reverse("module_run", args=[run.id])
    assert ModuleRun.objects.filter(session=None).count() == 1


def test_a_module_without_check_items_gives_a_run_of_its_scenarios_alone(client):
    session = module_session(scams=0, genuine=0)
    join(client, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    assert run.items_drawn("before") == [] and run.items_drawn("after") == []
    page = session_page(client, session)
    assert "Check before the scenarios" not in page and "Start" in page
    for number in (1, 2):
        play(client, start_scenario(client, session, number))
    result = client.get(reverse("module_result", args=[run.id])).content.decode()
    assert result.count("100 / 100") >= 2 and "Before and after" not in result


@pytest.mark.parametrize(
    ("language", "guide", "closed_check"),
    [
        ("kk", "Қадам-қадаммен өтіңіз: алдымен тексеру", "Өтілмеді"),
        ("ru", "Идите шаг за шагом: проверка перед сценариями", "Не пройдена"),
    ],
)
def test_the_way_through_the_module_reads_in_kazakh_and_russian(language, guide, closed_check):
    session = module_session()
    player = Client(HTTP_ACCEPT_LANGUAGE=language)
    join(player, session, "Aruzhan")
    assert guide in session_page(player, session)
    session_close(session=session)
    assert session_page(player, session).count(closed_check) == 2
