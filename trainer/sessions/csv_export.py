"""The reports as CSV (columns in docs/session-report.md): a session's, one row per player
and scenario; a follow-up's, a row for the group and one per linked player.

UTF-8 with a byte-order mark, which is what makes Excel read Kazakh and Russian nicknames
right when the file is opened with a double click. A cell that begins like a formula is
written with a leading apostrophe, so a nickname such as "=HYPERLINK(...)" stays text.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from scenarios.models import Ending
from trainer.scoring import Retention
from trainer.sessions.follow_up import FollowUpReport
from trainer.sessions.report import FINISHED, NOT_STARTED, PLAYING, Report

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[str]:
    return [
        _("Session"),
        _("Nickname"),
        pgettext("csv column", "Scenario number"),
        pgettext("csv column", "Scenario"),
        pgettext("csv column", "Status"),
        pgettext("csv column", "Steps answered"),
        pgettext("csv column", "Ending"),
        pgettext("csv column", "Score"),
        pgettext("csv column", "Red flags caught"),
        pgettext("csv column", "Red flags missed"),
        pgettext("csv column", "False alarms"),
        pgettext("csv column", "Decisions, %"),
        pgettext("csv column", "Finished at"),
        # The player's module check, the same on each of their rows; empty without one.
        pgettext("csv column", "Check before: right"),
        pgettext("csv column", "Check before: messages"),
        pgettext("csv column", "Check after: right"),
        pgettext("csv column", "Check after: messages"),
        pgettext("csv column", "Certificate"),
    ]


def report_csv(report: Report, *, delimiter: str = ",") -> bytes:
    statuses = {
        FINISHED: pgettext("attempt status", "finished"),
        PLAYING: pgettext("attempt status", "not finished"),
        NOT_STARTED: pgettext("attempt status", "not started"),
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns())
    players = {player.nickname: player for player in report.players}
    for cell in report.cells:
        player = players[cell.nickname]
        check = player.check
        before = check.before if check and check.before else ("", "")
        after = check.after if check and check.after else ("", "")
        certificate = pgettext("csv certificate", "yes") if player.certificate else ""
        writer.writerow(
            [
                report.session.code,
                _as_text(cell.nickname),
                cell.number,
                _as_text(cell.title),
                statuses[cell.status],
                cell.steps_answered,
                Ending(cell.ending).label if cell.ending else "",
                _blank_if_none(cell.score),
                cell.hits,
                cell.misses,
                cell.false_alarms,
                "" if cell.decisions is None else round(cell.decisions * 100),
                _moment(cell.finished_at),
                *before,
                *after,
                certificate,
            ]
        )
    return (BOM + out.getvalue()).encode("utf-8")


def follow_up_columns() -> list[str]:
    return [
        pgettext("csv column", "Earlier session"),
        pgettext("csv column", "Follow-up"),
        pgettext("csv column", "Row"),
        pgettext("csv column", "Nickname then"),
        pgettext("csv column", "Nickname now"),
        pgettext("csv column", "Reading"),
        pgettext("csv column", "d′ then"),
        pgettext("csv column", "d′ now"),
        pgettext("csv column", "Red flags caught then"),
        pgettext("csv column", "Red flags shown then"),
        pgettext("csv column", "Red flags caught now"),
        pgettext("csv column", "Red flags shown now"),
    ]


def follow_up_csv(report: FollowUpReport, *, delimiter: str = ",") -> bytes:
    """The group's comparison, then each linked player's, in the order they joined."""
    readings = {
        Retention.IMPROVED: pgettext("follow-up reading", "Improved"),
        Retention.KEPT: pgettext("follow-up reading", "Kept"),
        Retention.FADED: pgettext("follow-up reading", "Faded"),
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(follow_up_columns())
    rows = [(pgettext("csv row", "group"), "", "", report.group)]
    rows += [
        (pgettext("csv row", "player"), row.earlier_nickname, row.nickname, row.comparison)
        for row in report.rows
    ]
    for kind, then, now, comparison in rows:
        writer.writerow(
            [
                report.earlier.code,
                report.session.code,
                kind,
                _as_text(then),
                _as_text(now),
                readings.get(comparison.reading, ""),
                _d_prime(comparison.earlier),
                _d_prime(comparison.later),
                sum(row.earlier.count for row in comparison.types),
                sum(row.earlier.of for row in comparison.types),
                sum(row.later.count for row in comparison.types),
                sum(row.later.of for row in comparison.types),
            ]
        )
    return (BOM + out.getvalue()).encode("utf-8")


def _d_prime(discernment) -> str:
    """Two decimals with a point, whatever the language: a number Excel reads."""
    return "" if discernment is None else f"{discernment.d_prime:.2f}"


def _as_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _blank_if_none(value) -> str | int:
    return "" if value is None else value


def _moment(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
