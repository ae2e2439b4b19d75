"""The reads behind every step of play, as plain SQL.

The play page, each answer and the result page all start by reading where an attempt
stands (and the result, its answers). These queries are tiny, and building them
through the ORM takes many times longer than the database takes to answer them, so
they are written here once, with table and column names taken from the models.
"""

import json
import uuid
from functools import cache
from typing import NamedTuple

from django.db import connection, models

from trainer.models import Attempt, StepAnswer


class AttemptState(NamedTuple):
    id: uuid.UUID
    version_id: int
    current_step_id: int
    position: int
    last_choice_id: int | None
    score: int | None
    is_finished: bool


class AnswerRow(NamedTuple):
    step_id: int
    choice_id: int
    marked_message_ids: list[int]


def attempt_state(attempt_id: uuid.UUID, player_key: str) -> AttemptState | None:
    """Where an attempt of this player stands; None if there is none or it is not theirs."""
    sql = _select(Attempt, _STATE_FIELDS, where=("id", "player_key"))
    row = _fetch(sql, [_attempt_pk(attempt_id), player_key], one=True)
    if row is None:
        return None
    version_id, step_id, position, last_choice_id, score, finished_at = row
    return AttemptState(
        attempt_id, version_id, step_id, position, last_choice_id, score, finished_at is not None
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


_STATE_FIELDS = ("version", "current_step", "position", "last_choice", "score", "finished_at")


def _attempt_pk(attempt_id: uuid.UUID):
    return Attempt._meta.pk.get_db_prep_value(attempt_id, connection)


def _fetch(sql: str, params: list, *, one: bool = False):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if one else cursor.fetchall()


@cache
def _select(
    model: type[models.Model], fields: tuple[str, ...], *, where: tuple[str, ...], order=None
) -> str:
    quote = connection.ops.quote_name
    column = lambda name: quote(model._meta.get_field(name).column)  # noqa: E731
    sql = (
        f"SELECT {', '.join(column(f) for f in fields)} "  # noqa: S608 (model names only)
        f"FROM {quote(model._meta.db_table)} "
        f"WHERE {' AND '.join(f'{column(f)} = %s' for f in where)}"
    )
    return f"{sql} ORDER BY {column(order)}" if order else sql
