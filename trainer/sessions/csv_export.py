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
from trainer.scoring import DiscernmentChange, GroupChange, Retention, round_half_up
from trainer.sessions.check import CheckCounts, PlayerCheck
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
        # The player's own check: figures side by side, no reading (scoring rule 7).
        pgettext("csv column", "Check before: right"),
        pgettext("csv column", "Check before: false alarms"),
        pgettext("csv column", "Check after: right"),
        pgettext("csv column", "Check after: false alarms"),
        pgettext("csv column", "Check: items each"),
        pgettext("csv column", "Certificate"),
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
    for cell, player in zip(report.cells, report.cell_players, strict=True):
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
                *_check_columns(player.check),
                pgettext("csv certificate", "yes") if player.certificate else "",
                *group,
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
        pgettext("csv column", "Players"),
        # The linked players' reading (scoring rule 9), on the group row only.
        pgettext("csv column", "Reading"),
        pgettext("csv column", "Players with both checks"),
        pgettext("csv column", "d′ then, mean of the players"),
        pgettext("csv column", "d′ now, mean of the players"),
        pgettext("csv column", "Change in d′"),
        pgettext("csv column", "d′ change, 95 % interval from"),
        pgettext("csv column", "d′ change, 95 % interval to"),
        # One linked player's figures side by side, no reading (rule 9).
        pgettext("csv column", "Check then: right"),
        pgettext("csv column", "Check then: false alarms"),
        pgettext("csv column", "Check now: right"),
        pgettext("csv column", "Check now: false alarms"),
        pgettext("csv column", "Check: items each"),
        pgettext("csv column", "Red flags caught then"),
        pgettext("csv column", "Red flags shown then"),
        pgettext("csv column", "Red flags caught now"),
        pgettext("csv column", "Red flags shown now"),
    ]


def retention_readings() -> dict[str, str]:
    return {
        Retention.IMPROVED: pgettext("follow-up reading", "Improved"),
        Retention.KEPT: pgettext("follow-up reading", "No clear change"),
        Retention.FADED: pgettext("follow-up reading", "Faded"),
    }


def follow_up_csv(report: FollowUpReport, *, delimiter: str = ",") -> bytes:
    """The linked players' comparison (the group row), then each linked player's figures in
    the order they joined, then the players compared with nobody, counted apart."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(follow_up_columns())
    sessions = [report.earlier.code, report.session.code]
    group = report.group
    reading = retention_readings().get(group.reading, "")
    writer.writerow(
        [
            *sessions,
            pgettext("csv row", "linked players"),
            "",
            "",
            report.linked,
            reading,
            report.linked_with_checks,
            *_follow_up_change(group.change),
            *[""] * 5,
            *_red_flags(group.types),
        ]
    )
    for row in report.rows:
        then, now = row.earlier_check, row.later_check
        writer.writerow(
            [
                *sessions,
                pgettext("csv row", "linked player"),
                _as_text(row.earlier_nickname),
                _as_text(row.nickname),
                *[""] * 8,
                *_counts(then if then.total else None),
                *_counts(now if now.total else None),
                now.total or then.total or "",
                *_red_flags(row.types),
            ]
        )
    for kind, count in (
        (pgettext("csv row", "not linked, earlier session"), report.unlinked_earlier),
        (pgettext("csv row", "not linked, follow-up"), report.unlinked),
    ):
        writer.writerow([*sessions, kind, "", "", count, *[""] * 16])
    return (BOM + out.getvalue()).encode("utf-8")


def _follow_up_change(change: GroupChange | None) -> list:
    """d′ then and now (means of the players), the change and its 95 % interval."""
    if change is None:
        return [""] * 5
    interval = change.d_prime
    return [
        _two_places(change.d_prime_before),
        _two_places(change.d_prime_after),
        *(
            [_two_places(interval.mean), _two_places(interval.low), _two_places(interval.high)]
            if interval
            else ["", "", ""]
        ),
    ]


def _counts(counts: CheckCounts | None) -> list:
    return ["", ""] if counts is None else [counts.right, counts.false_alarms]


def _red_flags(types) -> list[int]:
    return [
        sum(row.earlier.count for row in types),
        sum(row.earlier.of for row in types),
        sum(row.later.count for row in types),
        sum(row.later.of for row in types),
    ]


def _check_columns(check: PlayerCheck | None) -> list:
    """Right and false alarms before, then after, then the items of each: blank where the
    player has not taken that check."""
    if check is None:
        return [""] * 5
    return [*_counts(check.before), *_counts(check.after), check.items]


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
