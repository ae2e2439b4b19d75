"""The reads and writes behind every step of play, each one limited to the player's own
attempt: every function takes the player's key, and a wrong key finds, moves, finishes
and stores nothing.

The play page, each answer and the result page all start by reading where an attempt
stands (with, in the same statement, whether its session is closed); an answer moves it on
with a compare-and-set update, stores the choice and the marks, and finishes the attempt
at an ending. All of it goes through the ORM but the state read: it runs on every request
of play, and building it through the ORM costs many times what the database takes to run
it (DEVELOPERS.md, "Where the time goes on the hot path", gives the figures).
"""

import uuid
from collections.abc import Collection
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from trainer.models import Attempt, MarkedMessage, StepAnswer, TrainingSession
from trainer.play.answers import AnswerRow, answers_by_attempt

__all__ = [
    "AnswerRow",
    "AttemptState",
    "answer_insert",
    "answer_rows",
    "attempt_finish",
    "attempt_move_on",
    "attempt_state",
]


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


def attempt_state(attempt_id: uuid.UUID, player_key: str) -> AttemptState | None:
    """Where an attempt of this player stands; None if there is none or it is not theirs.

    One statement of plain SQL, its names taken from the models: see the module's note."""
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), [_attempt_pk(attempt_id), player_key])
        row = cursor.fetchone()
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


def answer_rows(attempt_id: uuid.UUID, player_key: str) -> list[AnswerRow]:
    """The player's answers to their attempt, in order: all that scoring and the debrief
    read. Empty for an attempt that is not theirs."""
    answers = StepAnswer.objects.filter(attempt_id=attempt_id, attempt__player_key=player_key)
    return answers_by_attempt(answers).get(attempt_id, [])


def attempt_move_on(
    attempt_id: uuid.UUID, player_key: str, *, position: int, step_id: int, choice_id: int
) -> bool:
    """Compare and set: move the player's attempt from `position` to the next step, if it
    is still there, unfinished, and its session (if any) is open. Returns False otherwise:
    another request has moved it already, the session was closed since its state was
    read, or the attempt is not theirs."""
    closed = TrainingSession.objects.filter(pk=OuterRef("session_id"), closed_at__isnull=False)
    moved = (
        Attempt.objects.filter(
            pk=attempt_id, player_key=player_key, position=position, finished_at__isnull=True
        )
        .exclude(Exists(closed))
        .update(position=position + 1, current_step_id=step_id, last_choice_id=choice_id)
    )
    return moved == 1


def answer_insert(
    attempt_id: uuid.UUID,
    player_key: str,
    *,
    position: int,
    step_id: int,
    choice_id: int,
    marked: Collection[int],
) -> None:
    """Store the answer at `position` of the player's attempt, with the messages marked.

    The row names its attempt through the player's key: for an attempt that is not
    theirs it would name none, and the database refuses it (IntegrityError), as it
    refuses a second answer at the same position."""
    own = Attempt.objects.filter(pk=attempt_id, player_key=player_key).order_by().values("pk")
    answer = StepAnswer.objects.create(
        attempt_id=Subquery(own), position=position, step_id=step_id, choice_id=choice_id
    )
    if marked:
        MarkedMessage.objects.bulk_create(
            MarkedMessage(answer_id=answer.pk, message_id=message_id) for message_id in marked
        )


def attempt_finish(attempt_id: uuid.UUID, player_key: str, *, score: int) -> bool:
    """Finish the player's attempt with its score; False, changing nothing, when it is
    finished already or not theirs."""
    finished = Attempt.objects.filter(
        pk=attempt_id, player_key=player_key, finished_at__isnull=True
    ).update(score=score, finished_at=timezone.now())
    return finished == 1


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
        f"FROM {attempt} LEFT JOIN {session} "
        f"ON {session}.{_column(TrainingSession, 'id')} = {attempt}.{_column(Attempt, 'session')} "
        f"WHERE {attempt}.{_column(Attempt, 'id')} = %s "
        f"AND {attempt}.{_column(Attempt, 'player_key')} = %s"
    )


def _attempt_pk(attempt_id: uuid.UUID):
    return Attempt._meta.pk.get_db_prep_value(attempt_id, connection)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)
