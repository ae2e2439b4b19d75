"""The live board: who has joined, where each player is, their scores so far.

Four queries whatever the number of players (the session's scenarios, its players, their
attempts, and their module runs with the checks answered), so the board a facilitator's
screen asks for every few seconds stays cheap with a hall of 500.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef

from trainer.models import (
    Attempt,
    CheckAnswer,
    CheckPhase,
    DrawnItem,
    ModuleRun,
    SessionScenario,
    TrainingSession,
)
from trainer.scoring import mean_rounded


class Where(StrEnum):
    """Where a player is, in the order a session goes."""

    WAITING = "waiting"  # joined, nothing open: before a scenario, or between two
    CHECK_BEFORE = "check_before"  # the module's check before the scenarios
    PLAYING = "playing"  # a scenario
    CHECK_AFTER = "check_after"  # every scenario done, the module's check after them
    DONE = "done"  # everything done


@dataclass(frozen=True)
class PlayerRow:
    nickname: str
    finished: int  # scenarios finished
    playing_number: int | None  # the scenario being played now, by its number in the session
    playing_title: str
    steps_answered: int  # in the scenario being played
    mean_score: int | None  # over the finished scenarios
    where: Where


@dataclass(frozen=True)
class Board:
    rows: list[PlayerRow]
    scenarios: int
    playing: int  # players with a scenario in progress
    done: int  # players who finished every scenario


def session_board(session: TrainingSession) -> Board:
    entries = list(
        SessionScenario.objects.filter(session=session)
        .order_by("number")
        .values_list("scenario_id", "number", "version__title")
    )
    number_of = {scenario_id: (number, title) for scenario_id, number, title in entries}
    by_player: dict[str, list[tuple]] = {}
    for row in Attempt.objects.filter(session=session).values_list(
        "player_key", "scenario_id", "position", "finished_at", "score"
    ):
        by_player.setdefault(row[0], []).append(row)
    checks = _checks(session)
    rows = []
    for key, nickname in session.players.order_by("joined_at", "id").values_list(
        "player_key", "nickname"
    ):
        attempts = by_player.get(key, [])
        scores = [score for _, _, _, finished, score in attempts if finished and score is not None]
        in_progress = sorted(
            (number_of[scenario_id][0], scenario_id, position)
            for _, scenario_id, position, finished, _ in attempts
            if not finished and scenario_id in number_of
        )
        number, scenario_id, position = in_progress[0] if in_progress else (None, None, 0)
        finished = len([a for a in attempts if a[3]])
        rows.append(
            PlayerRow(
                nickname=nickname,
                finished=finished,
                playing_number=number,
                playing_title=number_of[scenario_id][1] if scenario_id else "",
                steps_answered=position,
                mean_score=mean_rounded(scores),
                where=_where(checks.get(key), number, finished == len(entries)),
            )
        )
    return Board(
        rows=rows,
        scenarios=len(entries),
        playing=sum(row.playing_number is not None for row in rows),
        done=sum(row.finished == len(entries) and bool(entries) for row in rows),
    )


def _checks(session: TrainingSession) -> dict[str, tuple[bool, bool] | None]:
    """Per player with a module run: (before answered, after answered), or None when the
    run has no check."""
    answered = CheckAnswer.objects.filter(run=OuterRef("pk"))
    runs = (
        ModuleRun.objects.filter(session=session)
        .annotate(
            has_check=Exists(DrawnItem.objects.filter(run=OuterRef("pk"))),
            before=Exists(answered.filter(phase=CheckPhase.BEFORE)),
            after=Exists(answered.filter(phase=CheckPhase.AFTER)),
        )
        .values_list("player_key", "has_check", "before", "after")
    )
    return {key: (before, after) if has_check else None for key, has_check, before, after in runs}


def _where(check: tuple[bool, bool] | None, playing: int | None, all_finished: bool) -> Where:
    before, after = check or (True, True)  # no check: nothing to wait for
    if not before:
        return Where.CHECK_BEFORE
    if playing is not None:
        return Where.PLAYING
    if not all_finished:
        return Where.WAITING
    return Where.DONE if after else Where.CHECK_AFTER
