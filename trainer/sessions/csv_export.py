"""The report as CSV: one row per player and scenario (columns in docs/session-report.md).

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
from trainer.scoring import DiscernmentChange, round_half_up
from trainer.sessions.check import PlayerCheck
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
        # The player's own check: figures side by side, no reading (scoring rule 7).
        pgettext("csv column", "Check before: right"),
        pgettext("csv column", "Check before: false alarms"),
        pgettext("csv column", "Check after: right"),
        pgettext("csv column", "Check after: false alarms"),
        pgettext("csv column", "Check: items each"),
        # The group's reading, the same on every row (scoring rule 7).
        pgettext("csv column", "Group: players with both checks"),
        pgettext("csv column", "Group: change in d′"),
        pgettext("csv column", "Group: d′ change, 95 % interval from"),
        pgettext("csv column", "Group: d′ change, 95 % interval to"),
        pgettext("csv column", "Group: change in c"),
        pgettext("csv column", "Group: c change, 95 % interval from"),
        pgettext("csv column", "Group: c change, 95 % interval to"),
        pgettext("csv column", "Group: reading"),
    ]


def readings() -> dict[str, str]:
    return {
        DiscernmentChange.MORE_DISCERNING: pgettext("group reading", "more discerning"),
        DiscernmentChange.LESS_DISCERNING: pgettext("group reading", "less discerning"),
        DiscernmentChange.MORE_SUSPICIOUS: pgettext(
            "group reading", "more suspicious (discernment: can't tell yet)"
        ),
        DiscernmentChange.MORE_TRUSTING: pgettext(
            "group reading", "more trusting (discernment: can't tell yet)"
        ),
        DiscernmentChange.CANT_TELL: pgettext("group reading", "can't tell yet"),
        DiscernmentChange.TOO_FEW: pgettext("group reading", "too few players (10 needed)"),
    }


def report_csv(report: Report, *, delimiter: str = ",") -> bytes:
    statuses = {
        FINISHED: pgettext("attempt status", "finished"),
        PLAYING: pgettext("attempt status", "not finished"),
        NOT_STARTED: pgettext("attempt status", "not started"),
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns())
    group = _group_columns(report)
    for cell, check in zip(
        report.cells, report.cell_checks or [None] * len(report.cells), strict=True
    ):
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
                "" if cell.decisions is None else round_half_up(cell.decisions * 100),
                _moment(cell.finished_at),
                *_check_columns(check),
                *group,
            ]
        )
    return (BOM + out.getvalue()).encode("utf-8")


def _check_columns(check: PlayerCheck | None) -> list:
    if check is None:
        return [""] * 5
    return [
        check.before.right,
        check.before.false_alarms,
        check.after.right,
        check.after.false_alarms,
        check.after.total,
    ]


def _group_columns(report: Report) -> list:
    if report.check is None:
        return [""] * 8
    group = report.check.group
    figures = []
    for interval in (group.d_prime, group.criterion):
        figures += (
            [_two_places(interval.mean), _two_places(interval.low), _two_places(interval.high)]
            if interval
            else ["", "", ""]
        )
    return [group.players, *figures, readings()[group.reading]]


def _two_places(value: float) -> str:
    return str(round_half_up(value, 2))


def _as_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _blank_if_none(value) -> str | int:
    return "" if value is None else value


def _moment(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
