"""The reads and writes behind every step of play, as plain SQL.

The play page, each answer and the result page all start by reading where an attempt
stands (with, in the same statement, whether its session is closed); an answer moves it on
and stores what was marked and chosen. These statements
are tiny, and building them through the ORM takes many times longer than the database
takes to run them, so they are written here once, with table and column names and value
conversions taken from the models.
"""

import json
import uuid
from functools import cache
from typing import NamedTuple

from django.db import connection, models
from django.utils import timezone

from trainer.models import Attempt, StepAnswer, TrainingSession


class AttemptState(NamedTuple):
    id: uuid.UUID
    version_id: int
    current_step_id: int
    position: int
    last_choice_id: int | None
    score: int | None
    is_finished: bool
    # The module run the attempt is played in, if any: its result page links back to it.
    module_run_id: uuid.UUID | None = None
    session_code: str | None = None  # the join code, when played in a session
    session_closed: bool = False  # a closed session takes no more answers


class AnswerRow(NamedTuple):
    step_id: int
    choice_id: int
    marked_message_ids: list[int]


def attempt_state(attempt_id: uuid.UUID, player_key: str) -> AttemptState | None:
    """Where an attempt of this player stands; None if there is none or it is not theirs."""
    row = _fetch(_state_sql(), [_attempt_pk(attempt_id), player_key], one=True)
    if row is None:
        return None
    version_id, step_id, position, last_choice_id, score, finished_at, run_id, code, closed_at = row
    return AttemptState(
        attempt_id,
        version_id,
        step_id,
        position,
        last_choice_id,
        score,
        finished_at is not None,
        # SQLite hands a UUID back as 32 hex digits, PostgreSQL as a UUID.
        None if run_id is None else uuid.UUID(str(run_id)),
        code,
        closed_at is not None,
    )


def answer_rows(attempt_id: uuid.UUID) -> list[AnswerRow]:
    """An attempt's answers in order: all that scoring and the debrief read."""
    sql = _select(
        StepAnswer, ("step", "choice", "marked_message_ids"), where=("attempt",), order="position"
    )
    return [
        # SQLite hands JSON back as text, PostgreSQL as the decoded value.
        AnswerRow(step, choice, json.loads(marked) if isinstance(marked, str) else marked)
        for step, choice, marked in _fetch(sql, [_attempt_pk(attempt_id)])
    ]


def attempt_move_on(attempt_id: uuid.UUID, *, position: int, step_id: int, choice_id: int) -> bool:
    """Compare and set: move the attempt from `position` to the next step, if it is still
    there, unfinished, and its session (if any) is open. Returns False otherwise: another
    request has moved it already, or the session was closed since its state was read."""
    sql = _update(
        Attempt,
        ("position", "current_step", "last_choice"),
        where=("id", "position"),
        unfinished=True,
    )
    sql += f" AND {_session_open()}"
    params = [position + 1, step_id, choice_id, _attempt_pk(attempt_id), position]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def attempt_finish(attempt_id: uuid.UUID, *, score: int) -> None:
    sql = _update(Attempt, ("score", "finished_at"), where=("id",))
    finished_at = _prep(Attempt, "finished_at", timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [score, finished_at, _attempt_pk(attempt_id)])


def answer_insert(
    attempt_id: uuid.UUID, *, position: int, step_id: int, choice_id: int, marked: list[int]
) -> None:
    fields = ("attempt", "position", "step", "choice", "marked_message_ids", "answered_at")
    values = [
        _attempt_pk(attempt_id),
        position,
        step_id,
        choice_id,
        _prep(StepAnswer, "marked_message_ids", marked),
        _prep(StepAnswer, "answered_at", timezone.now()),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert(StepAnswer, fields), values)


_STATE_FIELDS = (
    "version",
    "current_step",
    "position",
    "last_choice",
    "score",
    "finished_at",
    "module_run",
)


@cache
def _state_sql() -> str:
    """The attempt's own fields, and its session's code and closing time (one join)."""
    attempt, session = _table(Attempt), _table(TrainingSession)
    fields = ", ".join(f"{attempt}.{_column(Attempt, f)}" for f in _STATE_FIELDS)
    return (
        f"SELECT {fields}, {session}.{_column(TrainingSession, 'code')}, "  # noqa: S608 (model names only)
        f"{session}.{_column(TrainingSession, 'closed_at')} "
        f"FROM {attempt} LEFT JOIN {session} ON {_session_of_attempt()} "
        f"WHERE {attempt}.{_column(Attempt, 'id')} = %s "
        f"AND {attempt}.{_column(Attempt, 'player_key')} = %s"
    )


@cache
def _session_open() -> str:
    """A condition on the attempt row being updated: it has no session, or an open one."""
    session = _table(TrainingSession)
    return (
        f"NOT EXISTS (SELECT 1 FROM {session} WHERE {_session_of_attempt()} "  # noqa: S608 (model names only)
        f"AND {session}.{_column(TrainingSession, 'closed_at')} IS NOT NULL)"
    )


def _session_of_attempt() -> str:
    session, attempt = _table(TrainingSession), _table(Attempt)
    return f"{session}.{_column(TrainingSession, 'id')} = {attempt}.{_column(Attempt, 'session')}"


def _attempt_pk(attempt_id: uuid.UUID):
    return Attempt._meta.pk.get_db_prep_value(attempt_id, connection)


def _prep(model: type[models.Model], name: str, value):
    """A Python value as the database takes it for that field (JSON, dates and times)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _fetch(sql: str, params: list, *, one: bool = False):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if one else cursor.fetchall()


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _update(
    model: type[models.Model],
    fields: tuple[str, ...],
    *,
    where: tuple[str, ...],
    unfinished: bool = False,
) -> str:
    conditions = [f"{_column(model, f)} = %s" for f in where]
    if unfinished:
        conditions.append(f"{_column(model, 'finished_at')} IS NULL")
    return (
        f"UPDATE {_table(model)} "  # noqa: S608 (model names only)
        f"SET {', '.join(f'{_column(model, f)} = %s' for f in fields)} "
        f"WHERE {' AND '.join(conditions)}"
    )


@cache
def _insert(model: type[models.Model], fields: tuple[str, ...]) -> str:
    return (
        f"INSERT INTO {_table(model)} "  # noqa: S608 (model names only)
        f"({', '.join(_column(model, f) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )


@cache
def _select(
    model: type[models.Model], fields: tuple[str, ...], *, where: tuple[str, ...], order=None
) -> str:
    sql = (
        f"SELECT {', '.join(_column(model, f) for f in fields)} "  # noqa: S608 (model names only)
        f"FROM {_table(model)} "
        f"WHERE {' AND '.join(f'{_column(model, f)} = %s' for f in where)}"
    )
    return f"{sql} ORDER BY {_column(model, order)}" if order else sql
