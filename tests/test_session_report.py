"""The report after a session: per player, per scenario, per red-flag type, the group's
before/after discernment, and its CSV for Excel."""

import csv
import io
import re

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
from trainer.models import CheckAnswer, ModuleRun
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
        "Check before: messages",
        "Check after: right",
        "Check after: messages",
        "Certificate",
    ]
    assert {tuple(row[13:]) for row in rows[1:]} == {("", "", "", "", "")}  # no module
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


def check_session(before: list[tuple[bool, bool]], after: list[tuple[bool, bool]], players=3):
    """A module session whose players answered the check: (item legitimate, said scam)."""
    phone = build_scenario()
    module = build_module([phone], checks=8)
    session = new_session(scenarios=[phone], module=module)
    scams = list(module.check_items.filter(legitimate=False))
    genuine = list(module.check_items.filter(legitimate=True))
    for p in range(players):
        run = ModuleRun.objects.create(player_key=f"p{p}", module=module, session=session)
        pools = {False: list(scams), True: list(genuine)}
        for phase, answers in (("before", before), ("after", after)):
            for legitimate, said_scam in answers:
                item = pools[legitimate].pop()
                CheckAnswer.objects.create(run=run, phase=phase, item=item, said_scam=said_scam)
    return session


def test_the_check_reads_a_group_that_learnt_to_tell_scams_apart_as_more_discerning(alice):
    # Before: half the scams caught, half the genuine ones called scams. After: all right.
    before = [(False, True), (False, False), (True, True), (True, False)]
    after = [(False, True), (False, True), (True, False), (True, False)]
    session = check_session(before, after)
    check = session_check(session)
    assert check.players == 3 and check.before_answers == check.after_answers == 12
    assert check.before == scoring.discernment(6, 6, 6, 6)
    assert check.after == scoring.discernment(6, 0, 0, 6)
    assert check.change == scoring.DiscernmentChange.MORE_DISCERNING
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    assert "The group became more discerning" in html
    assert "From 3 players who took the check before and after." in html
    assert f"<td>{check.after.d_prime:.2f}</td>" in html
    assert 'class="diverging-bar diverging-after" x="50.00"' in html


def test_the_check_reads_a_group_that_only_calls_more_things_scams_as_more_suspicious(alice):
    before = [(False, True), (False, False), (True, False), (True, False)]
    after = [(False, True), (False, True), (True, True), (True, False)]
    session = check_session(before, after)
    check = session_check(session)
    assert check.change == scoring.discernment_change(check.before, check.after)
    assert check.change == scoring.DiscernmentChange.MORE_SUSPICIOUS
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    assert "The group became more suspicious, not more discerning" in html


def test_a_player_without_an_after_check_is_left_out_of_the_before_and_after(alice):
    session = check_session([(False, True), (True, False)], [(False, True), (True, False)], 2)
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

    Pooled, by hand: before, scams called scams 2 + 0 + 2 = 4 of 6, genuine called scams
    2 + 0 + 0 = 2 of 6; after, 6 of 6 and 0 + 0 + 2 = 2 of 6. Log-linear correction (rule 6):
    before H = 4.5/7, F = 2.5/7, z(4.5/7) = 0.3661 = -z(2.5/7), so d' = 0.7322 and c = 0;
    after H = 6.5/7, z(6.5/7) = 1.4652, so d' = 1.4652 + 0.3661 = 1.8313 and
    c = -(1.4652 - 0.3661) / 2 = -0.5496: d' rose by more than 0.3, more discerning."""
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
    assert (check.before.hit_rate, check.before.false_alarm_rate) == (4 / 6, 2 / 6)
    assert (check.after.hit_rate, check.after.false_alarm_rate) == (1.0, 2 / 6)
    assert round(check.before.d_prime, 4) == 0.7322 and round(check.before.criterion, 4) == 0
    assert round(check.after.d_prime, 4) == 1.8313
    assert round(check.after.criterion, 4) == -0.5496
    html = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', html)
    assert rows[-4:] == [
        ("Scams called scams (hit rate)", "0.67", "1.00"),
        ("Genuine messages called scams (false-alarm rate)", "0.33", "0.33"),
        ("Discernment d′ (higher tells them apart better)", "0.73", "1.83"),
        ("Criterion c (below 0: quick to call a scam)", "0.00", "-0.55"),
    ]
    assert "The group became more discerning" in html
    assert "From 3 players who took the check before and after." in html


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
