"""The report after a session: per player, per scenario, per red-flag type, the group's
before/after discernment, and its CSV for Excel."""

import csv
import io
import math
import re
from statistics import NormalDist

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios.content import clear_cache
from tests.factories import build_scenario
from tests.session_factories import (
    build_module,
    facilitator,
    join,
    module_session,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from tests.test_session_board import crowd
from trainer import scoring
from trainer.models import CheckAnswer, ModuleRun, SessionPlayer
from trainer.sessions.check import session_check

pytestmark = pytest.mark.django_db

MAX_REPORT_QUERIES = 16


@pytest.fixture
def alice():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


def played_session():
    """Two scenarios. Айгүл plays both safely marking the red flags; Дмитрий is scammed on
    the first step of the first, marking the genuine messages; Sam joins and plays nothing."""
    phone = build_scenario(slug="phone-seller", title="A bargain phone")
    shop = build_scenario(slug="real-shop", title="A real shop", legitimate=True, scenes=2)
    session = new_session(scenarios=[phone, shop])
    players = {}
    for nickname in ("Айгүл", "Дмитрий", "=SUM(A1)"):
        players[nickname] = Client()
        join(players[nickname], session, nickname)
    good = players["Айгүл"]
    play(good, start_scenario(good, session, 1))
    play(good, start_scenario(good, session, 2))
    play(
        players["Дмитрий"],
        start_scenario(players["Дмитрий"], session, 1),
        choice_order=1,
        mark_flags=False,
    )
    return session


def test_the_report_shows_each_player_each_scenario_and_each_kind_of_red_flag(alice):
    session = played_session()
    html = " ".join(
        alice.get(reverse("facilitator:report", args=[session.id])).content.decode().split()
    )
    assert "Report: Class 9B" in html
    # Per scenario: started, finished, mean score, red flags caught.
    assert "1. A bargain phone" in html and "2 started, 2 finished · red flags caught: 75%" in html
    assert "2. A real shop" in html and "1 started, 1 finished · no red flag on the way" in html
    assert "red flags caught: 75% · Scammed 50% · Safe 50%" in html  # how scenario 1 ended
    assert "mean score 50" in html  # 100 and 0 (Дмитрий: nothing caught, a harmful choice)
    # Per kind of red flag: 3 of 4 shown were caught (Айгүл 3, Дмитрий 0 of 1).
    assert "Demand to pay in advance" in html and "caught 75% (3 of 4)" in html
    # Per player, with a formula-like nickname shown as text.
    assert "Айгүл" in html and "Дмитрий" in html and "=SUM(A1)" in html
    assert "Before and after" not in html  # no module: no check section


def test_the_csv_has_a_bom_and_one_row_per_player_and_scenario(alice):
    session = played_session()
    response = alice.get(reverse("facilitator:report_csv", args=[session.id]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="saq-report-{session.code}-' in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == [
        "Session",
        "Nickname",
        "Scenario number",
        "Scenario",
        "Status",
        "Steps answered",
        "Ending",
        "Score",
        "Red flags caught",
        "Red flags missed",
        "False alarms",
        "Decisions, %",
        "Finished at",
        "Check before: right",
        "Check before: false alarms",
        "Check after: right",
        "Check after: false alarms",
        "Check: items each",
        "Certificate",
        "Group: players with both checks",
        "Group: change in d′",
        "Group: d′ change, 95 % interval from",
        "Group: d′ change, 95 % interval to",
        "Group: change in c",
        "Group: c change, 95 % interval from",
        "Group: c change, 95 % interval to",
        "Group: reading",
    ]
    assert all(row[13:] == [""] * 14 for row in rows[1:])  # no module, no check
    table = [row[1:11] + [row[11]] for row in rows[1:]]
    assert table == [
        ["Айгүл", "1", "A bargain phone", "finished", "3", "Safe", "100", "3", "0", "0", "100"],
        ["Айгүл", "2", "A real shop", "finished", "2", "Safe", "100", "0", "0", "0", "100"],
        ["Дмитрий", "1", "A bargain phone", "finished", "1", "Scammed", "0", "0", "1", "2", "0"],
        ["Дмитрий", "2", "A real shop", "not started", "0", "", "", "0", "0", "0", ""],
        ["'=SUM(A1)", "1", "A bargain phone", "not started", "0", "", "", "0", "0", "0", ""],
        ["'=SUM(A1)", "2", "A real shop", "not started", "0", "", "", "0", "0", "0", ""],
    ]
    assert {row[0] for row in rows[1:]} == {session.code}
    assert rows[1][12] and not rows[4][12]  # finished at, for finished rows only


def test_the_csv_for_an_excel_that_separates_with_semicolons(alice):
    session = played_session()
    url = reverse("facilitator:report_csv", args=[session.id]) + "?delimiter=semicolon"
    text = alice.get(url).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][:3] == [session.code, "Айгүл", "1"] and len(rows) == 7


def test_the_csv_is_in_the_facilitators_language(alice):
    session = played_session()
    alice.cookies["django_language"] = "ru"
    url = reverse("facilitator:report_csv", args=[session.id])
    header = alice.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Сессия,Никнейм,")


def check_session(
    players: list[tuple[tuple[int, int], tuple[int, int]]], size: int = 4, slug: str = "basics"
):
    """A module session whose players answered checks of `size` scams and `size` genuine
    messages: for each player ((scams caught, false alarms) before, the same after)."""
    phone = build_scenario()
    module = build_module([phone], checks=4 * size, slug=slug)
    session = new_session(scenarios=[phone], module=module)
    scams = list(module.check_items.filter(legitimate=False))
    genuine = list(module.check_items.filter(legitimate=True))
    for p, counts in enumerate(players):
        key = f"p{p}"
        SessionPlayer.objects.create(
            session=session, player_key=key, nickname=f"Player {p}", nickname_key=f"player{p}"
        )
        run = ModuleRun.objects.create(player_key=key, module=module, session=session)
        for phase, (caught, alarms), offset in zip(
            ("before", "after"), counts, (0, size), strict=True
        ):
            CheckAnswer.objects.bulk_create(
                [
                    *(
                        CheckAnswer(run=run, phase=phase, item=item, said_scam=i < caught)
                        for i, item in enumerate(scams[offset : offset + size])
                    ),
                    *(
                        CheckAnswer(run=run, phase=phase, item=item, said_scam=i < alarms)
                        for i, item in enumerate(genuine[offset : offset + size])
                    ),
                ]
            )
    return session


def by_hand(caught: int, alarms: int, size: int) -> tuple[float, float]:
    """d' and c with the log-linear correction, written out again (rule 6)."""
    z = NormalDist().inv_cdf
    hit, false_alarm = (caught + 0.5) / (size + 1), (alarms + 0.5) / (size + 1)
    return z(hit) - z(false_alarm), -(z(hit) + z(false_alarm)) / 2


# Twelve players who judged about half right before and most right after.
LEARNT = [((2, 2), (4, 0)), ((2, 1), (3, 0)), ((1, 1), (4, 1)), ((3, 2), (4, 1))] * 3


def test_a_group_of_twelve_that_learnt_reads_more_discerning_with_its_interval(alice):
    """Each player's d' by hand, the change's mean and its paired-t interval by hand
    (t(0.975, 11) = 2.201 from the tables), against the page."""
    session = check_session(LEARNT)
    changes = [by_hand(*after, 4)[0] - by_hand(*before, 4)[0] for before, after in LEARNT]
    n = len(changes)
    mean = sum(changes) / n
    half = 2.201 * math.sqrt(sum((x - mean) ** 2 for x in changes) / (n - 1)) / math.sqrt(n)
    check = session_check(session)
    assert check.players == 12 and check.before_answers == check.after_answers == 96
    assert check.group.d_prime.mean == pytest.approx(mean)
    assert check.group.d_prime.low == pytest.approx(mean - half, abs=1e-3)
    assert check.change == scoring.DiscernmentChange.MORE_DISCERNING
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    assert "The group became more discerning" in html
    assert "From 12 players who took the check before and after." in html
    assert (
        f"Change in discernment d′: +{mean:.2f} (95 % interval +{mean - half:.2f} to "
        f"+{mean + half:.2f})." in html
    )
    assert 'class="interval-range interval-clear"' in html
    # Each player's own figures, side by side, with no reading of one person.
    assert "<td>4 of 8 → 8 of 8</td>" in html  # Player 0: 2 + 2 right, then 4 + 4
    assert "<td>2 → 0</td>" in html
    assert "One short check cannot show a change in one person" in html


def test_the_csv_gives_each_players_check_and_the_groups_interval(alice):
    session = check_session(LEARNT)
    group = session_check(session).group
    text = alice.get(reverse("facilitator:report_csv", args=[session.id])).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    # The player's check, then their certificate (none in this session), then the group's.
    assert rows[1][1] == "Player 0" and rows[1][13:19] == ["4", "2", "8", "0", "8", ""]
    d, c = group.d_prime, group.criterion
    assert rows[1][19:] == [
        "12",
        f"{d.mean:.2f}",
        f"{d.low:.2f}",
        f"{d.high:.2f}",
        f"{c.mean:.2f}",
        f"{c.low:.2f}",
        f"{c.high:.2f}",
        "more discerning",
    ]
    assert {tuple(row[19:]) for row in rows[1:]} == {tuple(rows[1][19:])}


def test_a_group_that_did_not_change_clearly_reads_cant_tell_yet_with_the_interval(alice):
    mixed = [((2, 2), (3, 1)), ((3, 1), (2, 2)), ((2, 1), (2, 1)), ((3, 2), (2, 1))] * 3
    session = check_session(mixed)
    check = session_check(session)
    assert check.group.d_prime.low < 0 < check.group.d_prime.high
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    assert check.change == scoring.DiscernmentChange.CANT_TELL
    assert "Can't tell yet" in html and "95 % interval −" in html
    assert "more discerning" not in html


def test_below_ten_players_the_report_says_how_many_more_are_needed(alice):
    session = check_session(LEARNT[:3])
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    assert session_check(session).change == scoring.DiscernmentChange.TOO_FEW
    assert "a group reading needs at least 10 players who took both checks. 7 more" in html
    assert "95 % interval" not in html and "interval-range" not in html


def test_a_group_that_only_calls_more_things_scams_reads_more_suspicious(alice):
    """Everyone catches more scams and raises more false alarms: c falls for all, while
    d' moves a little either way: more suspicious, worded so as not to rule out learning."""
    shifted = [((1, 0), (3, 2)), ((2, 0), (3, 1)), ((1, 1), (3, 2)), ((2, 1), (4, 3))] * 3
    session = check_session(shifted)
    check = session_check(session)
    assert check.group.d_prime.low < 0 < check.group.d_prime.high
    assert check.group.criterion.high < 0
    assert check.change == scoring.DiscernmentChange.MORE_SUSPICIOUS
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    assert "The group calls more messages scams than before." in html
    assert "this check cannot tell yet" in html


def test_a_player_without_an_after_check_is_left_out_of_the_before_and_after(alice):
    session = check_session([((1, 0), (1, 0))] * 2, size=1)
    lone = ModuleRun.objects.create(player_key="late", module=session.module, session=session)
    CheckAnswer.objects.create(
        run=lone, phase="before", item=session.module.check_items.first(), said_scam=False
    )
    assert session_check(session).players == 2
    ModuleRun.objects.filter(session=session).exclude(pk=lone.pk).delete()
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    assert "No player has taken the check both before and after yet." in html


def test_the_check_is_read_from_the_answers_players_gave_through_their_pages(alice):
    """Three players of a module's session take the check before, play, and take the check
    after, each check 2 scams and 2 genuine messages. Aruzhan calls everything a scam
    before and judges right after; Timur trusts everything before and judges right after;
    Dana judges right before and calls everything a scam after.

    Per player, by hand (rule 6, H = (hits + 0.5) / 3): everything a scam is d' 0, c -0.967;
    everything genuine d' 0, c 0.967; all right d' 1.934, c 0. Means of the three: before
    d' (0 + 0 + 1.934) / 3 = 0.645, c 0; after d' (1.934 + 1.934 + 0) / 3 = 1.289,
    c -0.322. Three players are too few for a reading (rule 7)."""
    session = module_session(scams=4, genuine=4)
    judges = {
        "Aruzhan": (lambda item: True, None),
        "Timur": (lambda item: False, None),
        "Dana": (None, lambda item: True),
    }
    for nickname, (before, after) in judges.items():
        player = Client()
        join(player, session, nickname)
        run = run_of(session, nickname)
        take_check(player, run, "before", before)
        for number in (1, 2):
            play(player, start_scenario(player, session, number))
        assert take_check(player, run, "after", after).url.endswith("/result/")
    check = session_check(session)
    assert (check.players, check.before_answers, check.after_answers) == (3, 12, 12)
    all_right, _ = by_hand(2, 0, 2)
    assert check.group.d_prime_before == pytest.approx(all_right / 3)
    assert check.group.d_prime_after == pytest.approx(2 * all_right / 3)
    assert check.group.criterion_after == pytest.approx(by_hand(2, 2, 2)[1] / 3)
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', html)
    assert rows[-2:] == [
        ("Discernment d′ (higher tells them apart better), mean of the players", "0.64", "1.29"),
        ("Criterion c (below 0: quick to call a scam), mean of the players", "0.00", "-0.32"),
    ]
    assert "7 more players are needed" in html
    assert "From 3 players who took the check before and after." in html
    assert "<td>2 of 4 → 4 of 4</td>" in html  # Aruzhan: both scams, no genuine; then all


def test_the_report_and_csv_cost_the_same_queries_for_one_player_and_for_500(alice):
    counts = []
    for size in (1, 500):
        session = new_session(title=f"Hall of {size}")
        crowd(session, size)
        for name in ("report", "report_csv"):
            clear_cache()
            with CaptureQueriesContext(connection) as captured:
                response = alice.get(reverse(f"facilitator:{name}", args=[session.id]))
            assert response.status_code == 200
            counts.append(len(captured))
        assert f"Player {size - 1}" in response.content.decode("utf-8-sig")
    assert counts[:2] == counts[2:]
    assert max(counts) <= MAX_REPORT_QUERIES


def test_the_report_with_checks_costs_the_same_queries_for_one_player_and_for_sixty(alice):
    counts = []
    for slug, players in (("one", LEARNT[:1]), ("sixty", LEARNT * 5)):
        session = check_session(players, slug=slug)
        for name in ("report", "report_csv"):
            clear_cache()
            with CaptureQueriesContext(connection) as captured:
                response = alice.get(reverse(f"facilitator:{name}", args=[session.id]))
            assert response.status_code == 200
            counts.append(len(captured))
    assert counts[:2] == counts[2:]
    assert max(counts) <= MAX_REPORT_QUERIES
