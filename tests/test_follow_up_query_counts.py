"""The follow-up report, the follow-up's join pages and the page that shows a return code
cost the same queries for one player and for 500."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios.content import clear_cache
from tests.factories import build_scenario
from tests.follow_up_factories import pool_module
from tests.session_factories import (
    facilitator,
    join,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from tests.test_modules import check_form
from tests.test_query_counts import MAX_PLAY_QUERIES
from tests.test_session_board import crowd
from trainer.models import CheckAnswer, DrawnItem, ModuleRun, SessionPlayer, TrainingSession
from trainer.sessions.return_codes import code_hash, code_words

pytestmark = pytest.mark.django_db

# Log-in 3, the two sessions 2, red-flag names 1, each session's players, answers,
# attempts and check answers 8, and the content of each session's scenario, not cached
# yet, 4 each.
MAX_FOLLOW_UP_REPORT_QUERIES = 22
POOL = {"p1": "prepayment", "p2": "prepayment", "g1": None, "g2": None}


def cost(client: Client, method: str, url: str, data=None, status=200) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url) if method == "GET" else client.post(url, data or {})
    assert response.status_code == status, (url, response.status_code)
    return len(captured)


def numbers_of(i: int) -> tuple[int, ...]:
    return (i // 256 % 256, i % 256, 7, 9)


def module_session(slug: str, size: int) -> TrainingSession:
    """A module session of one scenario whose `size` players have played as crowd() says,
    every one of them with a check before (two items) and after (the two others)."""
    scenario = build_scenario(slug=f"{slug}-{size}", scenes=3)
    module = pool_module(f"{slug}-{size}", [scenario], POOL)
    session = new_session(scenarios=[scenario], module=module, title=f"{slug} of {size}")
    crowd(session, size)
    items = {item.key: item for item in module.check_items.all()}
    runs = ModuleRun.objects.bulk_create(
        ModuleRun(player_key=key, module=module, session=session)
        for key in session.players.values_list("player_key", flat=True)
    )
    DrawnItem.objects.bulk_create(
        DrawnItem(run=run, phase=phase, order=order, item=items[key])
        for run in runs
        for phase, keys in (("before", ("p1", "g1")), ("after", ("p2", "g2")))
        for order, key in enumerate(keys)
    )
    CheckAnswer.objects.bulk_create(
        CheckAnswer(run=run, phase=phase, item=items[key], said_scam=i % 2 == 0)
        for i, run in enumerate(runs)
        for phase, keys in (("before", ("p1", "g1")), ("after", ("p2", "g2")))
        for key in keys
    )
    return session


def follow_up_of(earlier: TrainingSession, size: int) -> TrainingSession:
    """A follow-up with `size` players; every other one linked to an earlier player, and
    every earlier player given a return code."""
    later = module_session("later", size)
    later.follow_up_of = earlier
    later.save(update_fields=["follow_up_of"])
    before = list(earlier.players.order_by("joined_at", "id"))
    for i, player in enumerate(before):
        player.return_code_hash = code_hash(earlier.id, numbers_of(i))
    SessionPlayer.objects.bulk_update(before, ["return_code_hash"])
    now = list(later.players.order_by("joined_at", "id"))
    for i, player in enumerate(now):
        player.returning_from = before[i] if i % 2 == 0 else None
    SessionPlayer.objects.bulk_update(now, ["returning_from"])
    return later


def test_the_follow_up_report_costs_the_same_for_one_player_and_for_500():
    alice = Client()
    alice.force_login(facilitator("alice"))
    counts = []
    for size in (1, 500):
        later = follow_up_of(module_session("earlier", size), size)
        clear_cache()
        url = reverse("facilitator:follow_up_report", args=[later.id])
        with CaptureQueriesContext(connection) as captured:
            response = alice.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
        html = response.content.decode()
        assert f"{size} then, {size} now, {(size + 1) // 2} linked" in html
        assert f"Player {(size - 1) // 2 * 2}" in html  # the last linked pair has its card
    assert counts[0] == counts[1]
    assert counts[1] <= MAX_FOLLOW_UP_REPORT_QUERIES


def test_joining_a_follow_up_with_a_code_and_getting_a_code_cost_the_same_small_and_large():
    counts = []
    for size in (1, 500):
        earlier = module_session("earlier", size)
        later = follow_up_of(earlier, size)
        SessionPlayer.objects.create(
            session=earlier,
            player_key=f"back-{size}",
            nickname="Back again",
            nickname_key="back again",
            return_code_hash=code_hash(earlier.id, (1, 1, 1, 1)),
        )
        player = Client()
        page = reverse("join_session", args=[later.code])
        code = code_words((1, 1, 1, 1))
        measured = [
            cost(player, "GET", page),
            cost(player, "POST", page, {"nickname": "Returner", "return_code": code}, 303),
            cost(player, "GET", page),
        ]
        returner = SessionPlayer.objects.get(session=later, nickname="Returner")
        assert returner.returning_from.nickname == "Back again"

        # A player finishing the earlier session: the check after the scenarios makes their
        # code; their page shows it, on every load until they say they wrote it down.
        finisher = Client()
        join(finisher, earlier, "Finisher")
        run = run_of(earlier, "Finisher")
        take_check(finisher, run, "before")
        play(finisher, start_scenario(finisher, earlier, 1))
        after = reverse("module_check", args=[run.id, "after"])
        measured.append(cost(finisher, "POST", after, check_form(run, "after"), 303))
        earlier_page = reverse("join_session", args=[earlier.code])
        measured += [cost(finisher, "GET", earlier_page), cost(finisher, "GET", earlier_page)]
        finished = SessionPlayer.objects.get(session=earlier, nickname="Finisher")
        assert finished.return_code_hash and finished.return_code_kept_at is None
        counts.append(measured)
    assert counts[0] == counts[1]
    # Joining with a code costs fourteen more than a page of play: the join code's and the
    # return code's guesses each written, counted and taken back when right, atomically
    # (trainer.web.guesses), the look-up of the earlier player, in a module's session reading
    # the items this browser saw in earlier runs of the module and the module's pool, and
    # writing the player's run and the items drawn for it, asking whether the organisation
    # keeps learning records (trainer.records), and joining once: the browser's key claimed
    # and answered (trainer.web.once), and the session's row read again, locked, against a
    # close.
    assert counts[1][1] <= MAX_PLAY_QUERIES + 14
    # The pages, the one that shows the code once (and marks it shown) included.
    assert max(counts[1][0], counts[1][2], counts[1][4], counts[1][5]) <= MAX_PLAY_QUERIES
    # The check that finishes the session costs what a check costs (the run, its items, the
    # session's row locked, the answers) and makes the code: the player read with their
    # scenarios counted, the module's checks asked, the hash written (in a savepoint); and
    # asks whether the organisation keeps learning records (trainer.records).
    assert counts[1][3] <= MAX_PLAY_QUERIES + 7
