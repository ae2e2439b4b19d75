"""The live board and the group's view for the projector: what they show, and that they
cost the same few queries for one player and for a hall of 500."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scenarios.content import clear_cache
from tests.factories import build_scenario
from tests.session_factories import (
    facilitator,
    join,
    module_session,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from trainer.models import Attempt, MarkedMessage, SessionPlayer, StepAnswer, TrainingSession
from trainer.sessions.services import session_close

pytestmark = pytest.mark.django_db

MAX_BOARD_QUERIES = 10
# The group's view also reads the scenario's content when it is not cached yet (4 queries).
MAX_GROUP_QUERIES = 14


@pytest.fixture
def alice():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


def crowd(session: TrainingSession, size: int) -> None:
    """`size` players at once: every third has finished scenario 1 (safe, every red flag
    marked), every third is on its second step, the rest have not started."""
    entry = session.entries.get(number=1)
    version = entry.version
    steps = {step.key: step for step in version.steps.all()}
    players, attempts = [], []
    for i in range(size):
        key = f"crowd-{session.code}-{i}"
        players.append(
            SessionPlayer(
                session=session, player_key=key, nickname=f"Player {i}", nickname_key=f"p{i}"
            )
        )
        if i % 3 == 0:
            attempts.append(
                Attempt(
                    session=session,
                    player_key=key,
                    scenario_id=entry.scenario_id,
                    version=version,
                    position=3,
                    current_step=steps["safe"],
                    finished_at=timezone.now(),
                    score=100,
                )
            )
        elif i % 3 == 1:
            attempts.append(
                Attempt(
                    session=session,
                    player_key=key,
                    scenario_id=entry.scenario_id,
                    version=version,
                    position=1,
                    current_step=steps["scene-1"],
                )
            )
    SessionPlayer.objects.bulk_create(players)
    Attempt.objects.bulk_create(attempts)
    answers, flagged = [], []
    for attempt in attempts:
        for position in range(attempt.position):
            step = steps[f"scene-{position}"]
            choice = step.choices.get(order=0)
            answers.append(StepAnswer(attempt=attempt, position=position, step=step, choice=choice))
            flagged.append([m.id for m in step.messages.all() if m.flag_id])
    StepAnswer.objects.bulk_create(answers)
    MarkedMessage.objects.bulk_create(
        MarkedMessage(answer=answer, message_id=message_id)
        for answer, flags in zip(answers, flagged, strict=True)
        for message_id in flags
    )


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_board_shows_who_joined_where_they_are_and_their_scores(alice):
    session = new_session(scenarios=[build_scenario(), build_scenario(slug="second")])
    done, playing, waiting = Client(), Client(), Client()
    join(done, session, "Айгүл")
    join(playing, session, "<b>Timur</b>")
    join(waiting, session, "Dana")
    finished = play(done, start_scenario(done, session, 1))
    attempt = start_scenario(playing, session, 1)
    playing.post(
        reverse("play", args=[attempt.id]),
        {"position": 0, "choice": attempt.current_step.choices.get(order=0).id},
    )
    html = alice.get(reverse("facilitator:board_live", args=[session.id])).content.decode()
    assert "3 players joined" in html
    assert "playing now: 1 · finished every scenario: 0" in html
    rows = re.findall(r"<tr>\s*(.*?)</tr>", html, re.S)[1:]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", row)).strip() for row in rows]
    assert "Айгүл" in cells[0] and "1 / 2" in cells[0] and f"{finished.score}" in cells[0]
    assert "&lt;b&gt;Timur&lt;/b&gt;" in rows[1] and "scenario 1, step 2" in cells[1]
    assert "Dana" in cells[2] and "waiting" in cells[2] and "—" in cells[2]


def test_the_board_of_a_modules_session_shows_who_is_at_which_check(alice):
    session = module_session()
    players = {name: Client() for name in ("Before", "Playing", "After", "Done", "Between")}
    for nickname, player in players.items():
        join(player, session, nickname)
        if nickname != "Before":
            take_check(player, run_of(session, nickname), "before")
    start_scenario(players["Playing"], session, 1)  # on its first step
    for nickname in ("After", "Done"):
        for number in (1, 2):
            play(players[nickname], start_scenario(players[nickname], session, number))
    take_check(players["Done"], run_of(session, "Done"), "after")
    play(players["Between"], start_scenario(players["Between"], session, 1))
    html = alice.get(reverse("facilitator:board_live", args=[session.id])).content.decode()
    assert "5 players joined" in html
    assert "playing now: 1 · finished every scenario: 2" in html
    now = dict(re.findall(r'class="nickname">(.*?)</th>\s*<td>.*?</td>\s*<td>(.*?)</td>', html))
    assert now == {
        "Before": "check before the scenarios",
        "Playing": "scenario 1, step 1",
        "After": "check after the scenarios",
        "Done": "all done",
        "Between": "waiting",
    }


def test_the_board_page_refreshes_by_a_static_script_and_by_hand_without_it(alice):
    session = new_session()
    html = alice.get(reverse("facilitator:board", args=[session.id])).content.decode()
    fragment = reverse("facilitator:board_live", args=[session.id])
    assert f'data-live-fragment="{fragment}"' in html
    assert re.search(r'<script src="/static/js/board\.js" defer></script>', html)
    assert f'href="{reverse("facilitator:board", args=[session.id])}" class="refresh-link"' in html
    assert 'http-equiv="refresh"' not in html
    # The script stops asking once the fragment says the session is closed.
    assert 'data-closed="no"' in html
    session_close(session=session)
    closed = alice.get(fragment).content.decode()
    assert 'data-closed="yes"' in closed
    script = (settings.BASE_DIR / "static/js/board.js").read_text()
    assert '[data-closed="yes"]' in script


def test_the_board_costs_the_same_queries_for_one_player_and_for_500(alice):
    counts = []
    for size in (1, 500):
        session = new_session(title=f"Hall of {size}")
        crowd(session, size)
        for name in ("board_live", "board"):
            clear_cache()
            counts.append(queries_for(alice, reverse(f"facilitator:{name}", args=[session.id])))
        html = alice.get(reverse("facilitator:board_live", args=[session.id])).content.decode()
        assert f"Player {size - 1}" in html
    assert counts[:2] == counts[2:]
    assert max(counts) <= MAX_BOARD_QUERIES


def test_the_group_view_shows_shares_step_by_step_and_never_a_nickname(alice):
    session = new_session()
    for nickname, mark_flags in (("Aruzhan", True), ("Timur", True), ("Dana", False)):
        player = Client()
        join(player, session, nickname)
        play(player, start_scenario(player, session), mark_flags=mark_flags)
    url = reverse("facilitator:group", args=[session.id, 1])
    html = alice.get(url + "?step=2").content.decode()
    assert "Step 2 of 3" in html and "3 players answered it" in html
    assert "Ask to meet first (1)" in html and "100% (3)" in html  # everyone chose it
    assert "Send 50% to my card now (1)" in html and "67% (2)" in html  # the red flag
    assert "Red flag: Demand to pay in advance" in html
    assert "Demand to pay in advance: missed by 33% of the group" in html
    assert 'width="67"' in html  # the bar is an SVG attribute, not a style
    assert "How the stories ended:" in html and "Safe 100%" in html
    for nickname in ("Aruzhan", "Timur", "Dana"):
        assert nickname not in html
    assert alice.get(url + "?step=4").status_code == 404
    assert alice.get(reverse("facilitator:group", args=[session.id, 2])).status_code == 404


def test_the_group_view_costs_the_same_queries_for_one_player_and_for_500(alice):
    counts = []
    for size in (1, 500):
        session = new_session(title=f"Hall of {size}")
        crowd(session, size)
        clear_cache()
        url = reverse("facilitator:group", args=[session.id, 1]) + "?step=1"
        counts.append(queries_for(alice, url))
    assert counts[0] == counts[1] <= MAX_GROUP_QUERIES
