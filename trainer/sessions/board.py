"""The live board: who has joined, where each player is, their scores so far.

Three queries whatever the number of players (the session's scenarios, its players, their
attempts), so the board a facilitator's screen asks for every few seconds stays cheap with a
hall of 500.
"""

from dataclasses import dataclass

from trainer.models import Attempt, SessionScenario, TrainingSession


@dataclass(frozen=True)
class PlayerRow:
    nickname: str
    finished: int  # scenarios finished
    playing_number: int | None  # the scenario being played now, by its number in the session
    playing_title: str
    steps_answered: int  # in the scenario being played
    mean_score: int | None  # over the finished scenarios


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
        rows.append(
            PlayerRow(
                nickname=nickname,
                finished=len([a for a in attempts if a[3]]),
                playing_number=number,
                playing_title=number_of[scenario_id][1] if scenario_id else "",
                steps_answered=position,
                mean_score=round(sum(scores) / len(scores)) if scores else None,
            )
        )
    return Board(
        rows=rows,
        scenarios=len(entries),
        playing=sum(row.playing_number is not None for row in rows),
        done=sum(row.finished == len(entries) and bool(entries) for row in rows),
    )
