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
from trainer.scoring import round_half_up
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
    for cell in report.cells:
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
            ]
        )
    return (BOM + out.getvalue()).encode("utf-8")


def _as_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _blank_if_none(value) -> str | int:
    return "" if value is None else value


def _moment(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
