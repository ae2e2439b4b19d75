"""The reports as files: the session's CSV with each player's check before and after and
their certificate, the follow-up's CSV, distinct file names, dates written out, a report
that prints. Figures are worked out here from the answers given."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.session_factories import facilitator
from tests.test_follow_up_report import by_hand, played  # noqa: F401 (a fixture)
from trainer.sessions.follow_up import follow_up_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


def rows_of(response, delimiter=",") -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


def test_the_session_csv_has_each_players_check_before_and_after(alice, played):  # noqa: F811
    first, _second, _codes = played
    rows = rows_of(alice.get(reverse("facilitator:report_csv", args=[first.id])))
    header = rows[0]
    at = {name: header.index(name) for name in header}
    names = (
        "Check before: right",
        "Check before: false alarms",
        "Check after: right",
        "Check after: false alarms",
        "Check: items each",
        "Certificate",
    )
    checks = {row[1]: tuple(row[at[name]] for name in names) for row in rows[1:]}
    # Each check: 4 scams, 4 genuine messages. Before, everyone called every scam genuine
    # and every genuine message a scam: 0 right, 4 false alarms. After: Айгүл all right (8,
    # none false); Бекзат caught P1, P2, called G1, G2 scams and G3, G4 genuine (4 right, 2
    # false alarms); Sam took no check after: his before alone. Nobody asked for a
    # certificate.
    assert checks == {
        "Айгүл": ("0", "4", "8", "0", "8", ""),
        "Бекзат": ("0", "4", "4", "2", "8", ""),
        "Sam": ("0", "4", "", "", "8", ""),
    }
    page = alice.get(reverse("facilitator:report", args=[first.id])).content.decode()

    def cells(nickname: str) -> str:
        row = page.split(f'<th scope="row" class="nickname">{nickname}</th>')[1].split("</tr>")[0]
        return row.replace("\n", "").replace("        ", "")

    assert "<td>0 of 8 → 8 of 8</td><td>4 → 0</td><td>—</td>" in cells("Айгүл")
    assert "<td>0 of 8 → 4 of 8</td><td>4 → 2</td><td>—</td>" in cells("Бекзат")
    assert "<td>0 of 8 → —</td><td>4 → —</td><td>—</td>" in cells("Sam")


def test_the_follow_up_report_has_a_csv_of_its_own(alice, played):  # noqa: F811
    first, second, _codes = played
    session_csv = alice.get(reverse("facilitator:report_csv", args=[second.id]))
    response = alice.get(reverse("facilitator:follow_up_report_csv", args=[second.id]))
    rows = rows_of(response)
    names = (session_csv["Content-Disposition"], response["Content-Disposition"])
    assert f'filename="saq-report-{second.code}-' in names[0]
    assert f'filename="saq-follow-up-{second.code}-of-{first.code}-' in names[1]
    header = rows[0]
    assert header[:8] == [
        "Earlier session",
        "Follow-up",
        "Row",
        "Nickname then",
        "Nickname now",
        "Players",
        "Reading",
        "Players with both checks",
    ]
    assert {len(row) for row in rows} == {len(header)}
    at = {name: header.index(name) for name in header}
    assert [row[2:6] for row in rows[1:]] == [
        ["linked players", "", "", "2"],
        ["linked player", "Айгүл", "Aigul", ""],
        ["linked player", "Бекзат", "Бекзат", ""],
        ["not linked, earlier session", "", "", "1"],  # Sam
        ["not linked, follow-up", "", "", "2"],  # Dana and Erlan
    ]
    assert {(row[0], row[1]) for row in rows[1:]} == {(first.code, second.code)}
    group = rows[1]
    # The linked players' d′, each from their own answers, then averaged. Then (the
    # earlier session's last check): Айгүл 4 hits, 4 right rejections; Бекзат 2 hits, 2
    # misses, 2 false alarms, 2 right rejections. Now (the follow-up's first check): Aigul
    # 3 hits, 1 miss, 1 false alarm, 3 right rejections; Бекзат all right.
    then = (by_hand(4, 0, 0, 4)[0] + by_hand(2, 2, 2, 2)[0]) / 2
    now = (by_hand(3, 1, 1, 3)[0] + by_hand(4, 0, 0, 4)[0]) / 2
    assert group[at["Players with both checks"]] == "2"
    assert group[at["d′ then, mean of the players"]] == f"{then:.2f}"
    assert group[at["d′ now, mean of the players"]] == f"{now:.2f}"
    # Two linked players are too few for an interval or a reading of the check (rule 7).
    interval = ("Change in d′", "d′ change, 95 % interval from", "d′ change, 95 % interval to")
    assert [group[at[name]] for name in interval] == ["", "", ""]
    report = follow_up_report(second, first)
    readings = {"improved": "Improved", "kept": "No clear change", "faded": "Faded", None: ""}
    assert group[at["Reading"]] == readings[report.group.reading]
    # A linked player: their figures side by side, never a reading or a d′.
    figures = (
        "Check then: right",
        "Check then: false alarms",
        "Check now: right",
        "Check now: false alarms",
        "Check: items each",
    )
    by_name = {row[4]: row for row in rows[2:4]}
    assert [by_name["Aigul"][at[name]] for name in figures] == ["8", "0", "6", "1", "8"]
    assert [by_name["Бекзат"][at[name]] for name in figures] == ["4", "2", "8", "0", "8"]
    for row in rows[2:]:
        assert row[at["Reading"]] == "" and row[at["d′ then, mean of the players"]] == ""
    semicolons = alice.get(
        reverse("facilitator:follow_up_report_csv", args=[second.id]) + "?delimiter=semicolon"
    )
    assert rows_of(semicolons, ";")[2][3:5] == ["Айгүл", "Aigul"]
    page = alice.get(reverse("facilitator:follow_up_report", args=[second.id])).content.decode()
    assert reverse("facilitator:follow_up_report_csv", args=[second.id]) in page
    assert 'class="button js-print" hidden>Print the report</button>' in page


def test_the_report_writes_dates_out_and_prints(alice, played):  # noqa: F811
    first, _second, _codes = played
    page = alice.get(reverse("facilitator:report", args=[first.id])).content.decode()
    day = timezone.localtime(first.created_at)
    assert f"<dd>{day.day} {day:%B} {day.year}, {day:%H:%M}</dd>" in page
    assert 'class="button js-print" hidden>Print the report</button>' in page
    assert 'media="print"' in page  # the print stylesheet
    home = alice.get(reverse("facilitator:home")).content.decode()
    assert f"{day.day} {day:%B} {day.year}" in home


def test_the_follow_up_csv_gives_the_linked_groups_interval_and_reading():
    """Twelve linked players who learnt: the group row carries the mean change in d′ with
    its paired-t interval, worked out here from each player's answers, and the reading."""
    from statistics import fmean, stdev
    from types import SimpleNamespace

    from trainer.sessions.csv_export import follow_up_csv
    from trainer.sessions.follow_up import FollowUpReport, Tally, compare

    def tally(hits, false_alarms, size=10):
        t = Tally()
        t.check.update(
            hits=hits,
            misses=size - hits,
            false_alarms=false_alarms,
            correct_rejections=size - false_alarms,
        )
        return t

    learnt = [((5, 5), (9, 1)), ((6, 4), (8, 1)), ((5, 4), (9, 2))] * 4
    pairs = [(tally(*then), tally(*now)) for then, now in learnt]
    report = FollowUpReport(
        session=SimpleNamespace(code="LATER1"),
        earlier=SimpleNamespace(code="FIRST1"),
        earlier_players=13,
        players=15,
        linked=12,
        linked_with_checks=12,
        group=compare(pairs, {}),
        rows=[],
    )
    rows = list(csv.reader(io.StringIO(follow_up_csv(report).decode("utf-8-sig"))))
    at = {name: rows[0].index(name) for name in rows[0]}
    group = rows[1]

    def d(hits, false_alarms):
        return by_hand(hits, 10 - hits, false_alarms, 10 - false_alarms)[0]

    changes = [d(*now) - d(*then) for then, now in learnt]
    half = 2.200985 * stdev(changes) / len(changes) ** 0.5  # t(0.975, 11), from the tables
    mean = fmean(changes)
    assert [group[at[name]] for name in ("Row", "Players", "Reading")] == [
        "linked players",
        "12",
        "Improved",
    ]
    assert [
        group[at[name]]
        for name in (
            "Change in d′",
            "d′ change, 95 % interval from",
            "d′ change, 95 % interval to",
        )
    ] == [f"{mean:.2f}", f"{mean - half:.2f}", f"{mean + half:.2f}"]
    assert group[at["d′ then, mean of the players"]] == f"{fmean(d(*t) for t, _ in learnt):.2f}"
    assert [row[2:6] for row in rows[2:]] == [
        ["not linked, earlier session", "", "", "1"],
        ["not linked, follow-up", "", "", "3"],
    ]
