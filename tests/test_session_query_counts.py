"""A session's pages cost the same queries in a small session and in a large one, and in
a session of a small module and of a large one."""

import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios.check_pool import PoolEntry
from scenarios.content import clear_cache
from tests.factories import build_scenario
from tests.session_factories import (
    facilitator,
    module_session,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from tests.test_modules import check_form
from tests.test_query_counts import MAX_PLAY_QUERIES
from tests.test_session_board import MAX_BOARD_QUERIES, crowd
from tests.test_session_report import MAX_REPORT_QUERIES
from trainer.models import CheckAnswer, DrawnItem, ModuleRun, TrainingSession
from trainer.runs.draw import before_form_for, checks_draw

pytestmark = pytest.mark.django_db

# Joining costs five more than a page of play: the code's guess written and counted in one
# step, and taken back when the code is right (trainer.web.guesses: so a burst cannot pass
# the limit), the browser's key claimed and answered, so that copies of one Join act once
# (trainer.web.once), and the session's row read again, locked, so that a close cannot land
# between the check and the new player.
MAX_JOIN_QUERIES = MAX_PLAY_QUERIES + 5


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
    joining = counts[1].pop(2)
    assert joining <= MAX_JOIN_QUERIES
    assert max(counts[1]) <= MAX_PLAY_QUERIES


def crowd_runs(session: TrainingSession) -> None:
    """Give every player of a module's session a run of it, as joining does: every third
    has answered both checks, every third the one before, the rest neither."""
    pool = [
        PoolEntry(*row)
        for row in session.module.check_items.values_list("id", "legitimate", "form")
    ]
    rng = random.Random(7)
    runs, drawn, answers = [], [], []
    keys = session.players.order_by("id").values_list("player_key", flat=True)
    for i, key in enumerate(keys):
        before, after = checks_draw(
            pool, check_size=session.module.check_size, before_form=before_form_for(i), rng=rng
        )
        run = ModuleRun(player_key=key, module_id=session.module_id, session=session)
        runs.append(run)
        for phase, ids in (("before", before), ("after", after)):
            drawn += [
                DrawnItem(run=run, phase=phase, order=order, item_id=item_id)
                for order, item_id in enumerate(ids)
            ]
        for phase, ids in (("before", before), ("after", after))[: (2, 1, 0)[i % 3]]:
            for item_id in ids:
                answers.append(CheckAnswer(run=run, phase=phase, item_id=item_id, said_scam=True))
    ModuleRun.objects.bulk_create(runs)
    DrawnItem.objects.bulk_create(drawn)
    CheckAnswer.objects.bulk_create(answers)


# Starting a scenario in a module's session reads the session and its player (2), where
# the run stands (4), the version's graph the first time it is played in the process (4),
# and writes the attempt (3 in a test's transaction: a savepoint, the insert, its release),
# and asks whether the session's organisation keeps learning records (1: trainer.records,
# which every write of a session's player asks, in its transaction).
MAX_SESSION_MODULE_QUERIES = 14

# (players already in the session, the module's scenarios, scams and genuine in its pool)
SMALL_MODULE, LARGE_MODULE = (1, 2, 2, 2), (500, 8, 20, 20)


def modules_session(size: tuple[int, int, int, int]) -> TrainingSession:
    players, scenarios, scams, genuine = size
    session = module_session(
        title=f"Hall of {players}",
        slug=f"module-{players}",
        scenarios=scenarios,
        scenes=3,
        scams=scams,
        genuine=genuine,
    )
    crowd(session, players)
    crowd_runs(session)
    return session


def walk_a_modules_session(size) -> dict[str, int]:
    """A newcomer joins a module's session and goes through it, counting the queries of
    every page and post on the way. Each walk starts with the content caches empty."""
    clear_cache()
    session = modules_session(size)
    player = Client()
    page = reverse("join_session", args=[session.code])
    counts = {"join": cost(player, "GET", page)}
    counts["join post"] = cost(player, "POST", page, {"nickname": "Newcomer"}, status=303)
    counts["session page, check first"] = cost(player, "GET", page)
    run = run_of(session, "Newcomer")
    before_url = reverse("module_check", args=[run.id, "before"])
    counts["check before page"] = cost(player, "GET", before_url)
    with CaptureQueriesContext(connection) as captured:
        assert take_check(player, run, "before").status_code == 303
    counts["check before sent"] = len(captured)
    counts["session page, scenarios"] = cost(player, "GET", page)
    play_url = reverse("session_play", args=[session.code, 1])
    counts["scenario start"] = cost(player, "POST", play_url, status=303)
    attempt = play(player, start_scenario(player, session, 1))
    counts["debrief"] = cost(player, "GET", reverse("result", args=[attempt.id]))
    for number in range(2, size[1] + 1):
        play(player, start_scenario(player, session, number))
    counts["session page, scenarios done"] = cost(player, "GET", page)
    after_url = reverse("module_check", args=[run.id, "after"])
    counts["check after page"] = cost(player, "GET", after_url)
    form = check_form(run, "after")  # read before: its queries are the test's, not the page's
    with CaptureQueriesContext(connection) as captured:
        assert player.post(after_url, form).status_code == 303
    counts["check after sent"] = len(captured)
    result_url = reverse("module_result", args=[run.id])
    counts["result, first time"] = cost(player, "GET", result_url)
    counts["result"] = cost(player, "GET", result_url)
    counts["session page, at the end"] = cost(player, "GET", page)
    return counts


def test_the_pages_of_a_modules_session_cost_the_same_small_and_large():
    """A newcomer in a session of 1 or 500 players, of a module of 2 scenarios and a pool of
    4 messages or of 8 scenarios and a pool of 40, pays the same queries on every page."""
    small = walk_a_modules_session(SMALL_MODULE)
    large = walk_a_modules_session(LARGE_MODULE)
    assert small == large
    # The check that ends the session also makes the player's return code (the player read
    # with their scenarios counted, the module's checks asked, the hash written).
    assert small.pop("check after sent") <= MAX_SESSION_MODULE_QUERIES + 2
    # Joining a module's session also draws the player's check items: the items this browser
    # saw in earlier runs of the module (a replay draws others), then one insert of rows; and
    # counts the code as a guess until it is found (written, counted, taken back).
    assert small.pop("join post") <= MAX_SESSION_MODULE_QUERIES + 4
    assert max(small.values()) <= MAX_SESSION_MODULE_QUERIES, small


def test_the_board_and_report_of_a_modules_session_cost_the_same_for_1_and_500_players():
    alice = Client()
    alice.force_login(facilitator("alice"))
    counts = []
    for size in (SMALL_MODULE, LARGE_MODULE):
        session = modules_session(size)
        for name in ("board_live", "board", "report", "report_csv"):
            clear_cache()
            counts.append(cost(alice, "GET", reverse(f"facilitator:{name}", args=[session.id])))
    board = alice.get(reverse("facilitator:board_live", args=[session.id])).content.decode()
    assert board.count("check before the scenarios") == 500 // 3  # the crowd's players 2, 5, …
    assert counts[:4] == counts[4:]
    assert max(counts[:2]) <= MAX_BOARD_QUERIES and max(counts) <= MAX_REPORT_QUERIES
