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
    checks = {
        row[1]: tuple(
            row[at[name]]
            for name in (
                "Check before: right",
                "Check before: messages",
                "Check after: right",
                "Check after: messages",
            )
        )
        for row in rows[1:]
    }
    # Before: everyone called every scam genuine and every genuine message a scam: 0 of 8.
    # After: Айгүл all right (8); Бекзат caught P1, P2, called G3 and G4 genuine (4); Sam none.
    assert checks == {
        "Айгүл": ("0", "8", "8", "8"),
        "Бекзат": ("0", "8", "4", "8"),
        "Sam": ("0", "8", "", ""),
    }
    page = alice.get(reverse("facilitator:report", args=[first.id])).content.decode()
    aigul = page.split('<th scope="row" class="nickname">Айгүл</th>')[1].split("</tr>")[0]
    assert "<td>0 of 8</td><td>8 of 8</td>" in aigul.replace("\n", "").replace("        ", "")


def test_the_follow_up_report_has_a_csv_of_its_own(alice, played):  # noqa: F811
    first, second, _codes = played
    session_csv = alice.get(reverse("facilitator:report_csv", args=[second.id]))
    response = alice.get(reverse("facilitator:follow_up_report_csv", args=[second.id]))
    rows = rows_of(response)
    names = (session_csv["Content-Disposition"], response["Content-Disposition"])
    assert f'filename="saq-report-{second.code}-' in names[0]
    assert f'filename="saq-follow-up-{second.code}-of-{first.code}-' in names[1]
    assert rows[0][:6] == [
        "Earlier session",
        "Follow-up",
        "Row",
        "Nickname then",
        "Nickname now",
        "Reading",
    ]
    assert [row[2:5] for row in rows[1:]] == [
        ["group", "", ""],
        ["player", "Айгүл", "Aigul"],
        ["player", "Бекзат", "Бекзат"],
    ]
    assert {(row[0], row[1]) for row in rows[1:]} == {(first.code, second.code)}
    # Айгүл: after the first session 4 hits, 0 misses, 0 false alarms, 4 right rejections;
    # at the start of the follow-up 3 hits, 1 miss, 1 false alarm, 3 right rejections.
    aigul = rows[2]
    assert aigul[6] == f"{by_hand(4, 0, 0, 4)[0]:.2f}"
    assert aigul[7] == f"{by_hand(3, 1, 1, 3)[0]:.2f}"
    report = follow_up_report(second, first)
    readings = {"improved": "Improved", "kept": "Kept", "faded": "Faded"}
    assert [row[5] for row in rows[2:]] == [readings[r.comparison.reading] for r in report.rows]
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
