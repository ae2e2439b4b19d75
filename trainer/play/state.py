"""The reads and writes behind every step of play, each one limited to the player's own
attempt: every function takes the player's key, and a wrong key finds, moves, stores and
finishes nothing.

The play page, each answer and the result page all start by reading where an attempt
stands (with, in the same statement, whether its session is closed; an answer and the
result page with the answers given so far); an answer moves it on with a compare-and-set
update, stores the choice and the marks, and at an ending finishes the attempt with the
score of the answers read and this one.

On PostgreSQL the move, the answer, its marks and (at an ending) the finish are one
statement; elsewhere the finish goes through the ORM. The other statements are plain SQL, because
through the ORM `make bench` missed its targets: the state read runs on every request of
play and kept the play page under 0.6 of a bare page; the move, the insert (which names
its attempt by the player's key, an INSERT ... SELECT the ORM cannot write) and the
answers read kept a whole walk under 0.3. DEVELOPERS.md ("Where the time goes on the hot
path") gives the figures. Their SQL is written once per process from the models' table
and column names, and each is behind a typed function here.
"""

import uuid
from collections.abc import Collection
from functools import cache, lru_cache
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from scenarios.message_kinds import KINDS
from scenarios.models import Message, Scenario
from trainer.models import Attempt, MarkedMessage, StepAnswer, TrainingSession
from trainer.play.answers import AnswerRow

# Kinds of message with a part to mark: constants of the code, written into the SQL.
KINDS_WITH_PARTS = tuple(code for code, kind in KINDS.items() if kind.part)

__all__ = [
    "AnswerRow",
    "AttemptState",
    "answer_insert",
    "attempt_and_answers",
    "attempt_finish",
    "attempt_insert",
    "attempt_move_and_answer",
    "attempt_move_on",
    "attempt_state",
    "published_version",
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
    """Where an attempt of this player stands; None if there is none or it is not theirs."""
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), [_attempt_pk(attempt_id), player_key])
        row = cursor.fetchone()
    return None if row is None else _state(attempt_id, row)


def attempt_and_answers(
    attempt_id: uuid.UUID, player_key: str
) -> tuple[AttemptState, list[AnswerRow]] | None:
    """Where the player's attempt stands and their answers to it, in order, each with the
    messages marked: all that an answer, scoring and the debrief read. One statement, a row
    per mark with the attempt's fields on each: a round trip to PostgreSQL costs more than
    the repeated fields. None if there is no such attempt or it is not theirs.
    (trainer.play.answers reads the same rows for the reports, through the ORM.)"""
    with connection.cursor() as cursor:
        cursor.execute(_state_and_answers_sql(), [_attempt_pk(attempt_id), player_key])
        rows = cursor.fetchall()
    if not rows:
        return None
    width = len(_STATE_FIELDS) + 2
    return _state(attempt_id, rows[0][:width]), _answers(row[width:] for row in rows)


def _state(attempt_id: uuid.UUID, row) -> AttemptState:
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


def published_version(slug: str, language: str) -> tuple[int, int] | None:
    """The scenario `slug` in `language` and its published version, where it is published:
    what a Start needs, read as the ORM's Scenario.objects.published() would, in plain SQL."""
    with connection.cursor() as cursor:
        cursor.execute(_published_sql(), [slug, language])
        return cursor.fetchone()


def attempt_move_on(
    attempt_id: uuid.UUID, player_key: str, *, position: int, step_id: int, choice_id: int
) -> bool:
    """Compare and set: move the player's attempt from `position` to the next step, if it
    is still there, unfinished, and its session (if any) is open. Returns False otherwise:
    another request has moved it already, the session was closed since its state was
    read, or the attempt is not theirs."""
    params = [position + 1, step_id, choice_id, _attempt_pk(attempt_id), player_key, position]
    with connection.cursor() as cursor:
        cursor.execute(_move_on_sql(), params)
        return cursor.rowcount == 1


def attempt_move_and_answer(
    attempt_id: uuid.UUID,
    player_key: str,
    *,
    position: int,
    step_id: int,
    choice_id: int,
    answered_step_id: int,
    marked: Collection[int],
    marked_parts: Collection[int] = (),
    finish_score: int | None = None,
) -> bool:
    """PostgreSQL only: attempt_move_on and answer_insert in one statement (data-modifying
    common table expressions), so the three writes need no transaction around them. The
    answer and its marks are inserted only for the row the move updated. With
    `finish_score`, the move to an ending also finishes the attempt with that score (what
    attempt_finish does), in the same statement. Returns False, changing nothing, where
    attempt_move_on would."""
    pk = _attempt_pk(attempt_id)
    finish = finish_score is not None
    params = [position + 1, step_id, choice_id]
    params += [finish_score, timezone.now()] if finish else []
    params += [pk, player_key, position]
    params += [position, answered_step_id, choice_id]
    for ids, on_part in ((marked, False), (marked_parts, True)):
        if ids:
            params += [on_part, *ids]
    with connection.cursor() as cursor:
        cursor.execute(_move_and_answer_sql(len(marked), len(marked_parts), finish), params)
        return cursor.fetchone()[0] == 1


def answer_insert(
    attempt_id: uuid.UUID,
    player_key: str,
    *,
    position: int,
    step_id: int,
    choice_id: int,
    marked: Collection[int],
    marked_parts: Collection[int] = (),
) -> bool:
    """Store the answer at `position` of the player's attempt, with the messages of the
    step that were marked in their words (`marked`) and on their parts (`marked_parts`:
    only messages whose kind has a part count). Returns False, storing nothing, when the
    attempt is not theirs; a second answer at the same position is refused by the database
    (IntegrityError)."""
    attempt_pk = _attempt_pk(attempt_id)
    with connection.cursor() as cursor:
        cursor.execute(_answer_sql(), [position, step_id, choice_id, attempt_pk, player_key])
        if cursor.rowcount != 1:
            return False
        if marked or marked_parts:
            # One statement for both: the marks of the words, then those of the parts.
            params = []
            for ids, on_part in ((marked, False), (marked_parts, True)):
                if ids:
                    params += [on_part, attempt_pk, player_key, position, *ids]
            cursor.execute(_marks_sql(len(marked), len(marked_parts)), params)
    return True


def _answers(rows) -> list[AnswerRow]:
    """Answers from rows of (position, step, choice, message marked, on its part): a row per
    mark, or one for an answer without marks, or one of NULLs for an attempt without answers."""
    answers: list[AnswerRow] = []
    last = None
    for position, step_id, choice_id, message_id, on_part in rows:
        if position is None:
            continue
        if position != last:
            last = position
            answers.append(AnswerRow(step_id, choice_id, [], []))
        answers[-1].add_mark(message_id, on_part)
    return answers


def attempt_insert(
    *,
    player_key: str,
    scenario_id: int,
    version_id: int,
    start_step_id: int,
    module_run_id: uuid.UUID | None = None,
    if_published: bool = False,
) -> uuid.UUID | None:
    """A new attempt of the player at the start of the version; its id. One plain INSERT:
    through the ORM a Start cost about a fifth more on PostgreSQL (DEVELOPERS.md).

    With `if_published`, only if the version is still the scenario's published one, read in
    the same statement (a Start that remembers what it found last time); None otherwise."""
    attempt_id = uuid.uuid4()
    started_at = Attempt._meta.get_field("started_at")
    params = [
        _attempt_pk(attempt_id),
        player_key,
        scenario_id,
        version_id,
        start_step_id,
        started_at.get_db_prep_value(timezone.now(), connection),
        None if module_run_id is None else _run_pk(module_run_id),
        False,
    ]
    with connection.cursor() as cursor:
        if not if_published:
            cursor.execute(_insert_sql(), params)
            return attempt_id
        cursor.execute(_insert_if_published_sql(), [*params, scenario_id, version_id])
        return attempt_id if cursor.rowcount == 1 else None


def attempt_finish(attempt_id: uuid.UUID, player_key: str, *, score: int) -> bool:
    """Finish the player's attempt with its score; False, changing nothing, when it is
    finished already or not theirs."""
    finished = Attempt.objects.filter(
        pk=attempt_id, player_key=player_key, finished_at__isnull=True
    ).update(score=score, finished_at=timezone.now())
    return finished == 1


def _attempt_pk(attempt_id: uuid.UUID):
    return Attempt._meta.pk.get_db_prep_value(attempt_id, connection)


def _run_pk(run_id: uuid.UUID):
    return Attempt._meta.get_field("module_run").target_field.get_db_prep_value(run_id, connection)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    """A column, named with its table."""
    field = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{_table(model)}.{field}"


def _bare(model, name: str) -> str:
    """A column without its table, as an INSERT or UPDATE lists it."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


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
def _published_sql() -> str:
    version = _column(Scenario, "current_version")
    return (
        f"SELECT {_column(Scenario, 'id')}, {version} FROM {_table(Scenario)} "  # noqa: S608 (model names only)
        f"WHERE {_column(Scenario, 'slug')} = %s AND {_column(Scenario, 'language')} = %s "
        f"AND {version} IS NOT NULL"
    )


def _state_select(*more_columns: str) -> str:
    """The attempt's own fields, then its session's code and closing time (one join), then
    `more_columns`; the FROM clause open for more joins."""
    fields = [_column(Attempt, name) for name in _STATE_FIELDS]
    fields += [_column(TrainingSession, "code"), _column(TrainingSession, "closed_at")]
    return (
        f"SELECT {', '.join([*fields, *more_columns])} "  # noqa: S608 (model names only)
        f"FROM {_table(Attempt)} LEFT JOIN {_table(TrainingSession)} "
        f"ON {_column(TrainingSession, 'id')} = {_column(Attempt, 'session')} "
    )


def _the_players_attempt() -> str:
    return f"WHERE {_column(Attempt, 'id')} = %s AND {_column(Attempt, 'player_key')} = %s"


@cache
def _state_sql() -> str:
    return _state_select() + _the_players_attempt()


@cache
def _state_and_answers_sql() -> str:
    """_state_sql's row, with each answer and mark of the attempt (_answers' columns)."""
    position, marked = _column(StepAnswer, "position"), _column(MarkedMessage, "message")
    return (
        _state_select(
            position,
            _column(StepAnswer, "step"),
            _column(StepAnswer, "choice"),
            marked,
            _column(MarkedMessage, "on_part"),
        )
        + f"LEFT JOIN {_table(StepAnswer)} "
        f"ON {_column(StepAnswer, 'attempt')} = {_column(Attempt, 'id')} "
        f"LEFT JOIN {_table(MarkedMessage)} "
        f"ON {_column(MarkedMessage, 'answer')} = {_column(StepAnswer, 'id')} "
        + _the_players_attempt()
        + f" ORDER BY {position}, {marked}"
    )


# An attempt's columns as a Start writes them; the others are NULL (no last choice, score,
# finish or session) or the position, 0.
_INSERT_FIELDS = ("id", "player_key", "scenario", "version", "current_step", "started_at")
_INSERT_FIELDS += ("module_run", "preview")


def _insert_into() -> str:
    columns = ", ".join(_bare(Attempt, name) for name in _INSERT_FIELDS)
    return f"INSERT INTO {_table(Attempt)} ({columns}, {_bare(Attempt, 'position')}) "


@cache
def _insert_sql() -> str:
    return f"{_insert_into()}VALUES ({', '.join(['%s'] * len(_INSERT_FIELDS))}, 0)"


@cache
def _insert_if_published_sql() -> str:
    """_insert_sql's row, only while the version is its scenario's published one."""
    return (
        f"{_insert_into()}SELECT {', '.join(['%s'] * len(_INSERT_FIELDS))}, 0 "  # noqa: S608 (model names only)
        f"FROM {_table(Scenario)} "
        f"WHERE {_column(Scenario, 'id')} = %s AND {_column(Scenario, 'current_version')} = %s"
    )


@cache
def _move_on_sql(finish: bool = False) -> str:
    """The attempt moved on, if it is the player's, still at its position, unfinished and
    in no closed session; with `finish`, finished there too, with its score and time."""
    finished = (
        f", {_bare(Attempt, 'score')} = %s, {_bare(Attempt, 'finished_at')} = %s" if finish else ""
    )
    return (
        f"UPDATE {_table(Attempt)} SET {_bare(Attempt, 'position')} = %s, "  # noqa: S608 (model names only)
        f"{_bare(Attempt, 'current_step')} = %s, {_bare(Attempt, 'last_choice')} = %s{finished} "
        f"WHERE {_column(Attempt, 'id')} = %s AND {_column(Attempt, 'player_key')} = %s "
        f"AND {_column(Attempt, 'position')} = %s AND {_column(Attempt, 'finished_at')} IS NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {_table(TrainingSession)} "
        f"WHERE {_column(TrainingSession, 'id')} = {_column(Attempt, 'session')} "
        f"AND {_column(TrainingSession, 'closed_at')} IS NOT NULL)"
    )


@cache
def _answer_sql() -> str:
    """An answer whose attempt is taken from the player's own attempt row (none if it is
    not theirs). The time it was given is the database's default (StepAnswer)."""
    fields = ("attempt", "position", "step", "choice")
    return (
        f"INSERT INTO {_table(StepAnswer)} "  # noqa: S608 (model names only)
        f"({', '.join(_bare(StepAnswer, name) for name in fields)}) "
        f"SELECT {_column(Attempt, 'id')}, %s, %s, %s FROM {_table(Attempt)} "
        f"WHERE {_column(Attempt, 'id')} = %s AND {_column(Attempt, 'player_key')} = %s"
    )


@lru_cache(maxsize=256)  # one per numbers of marks, at most the messages of a step
def _marks_sql(words: int, parts: int) -> str:
    """The marks of the player's answer at a position: only messages of its step, and on a
    part only where the message's kind has one."""
    selects = []
    answer, attempt = _column(StepAnswer, "attempt"), _column(Attempt, "id")
    for count, of_parts in ((words, False), (parts, True)):
        if not count:
            continue
        select = (
            f"SELECT {_column(StepAnswer, 'id')}, {_column(Message, 'id')}, %s "  # noqa: S608 (model names only)
            f"FROM {_table(StepAnswer)} "
            f"JOIN {_table(Attempt)} ON {attempt} = {answer} "
            f"JOIN {_table(Message)} ON {_column(Message, 'step')} = {_column(StepAnswer, 'step')} "
            f"WHERE {answer} = %s AND {_column(Attempt, 'player_key')} = %s "
            f"AND {_column(StepAnswer, 'position')} = %s "
            f"AND {_column(Message, 'id')} IN ({', '.join(['%s'] * count)})"
        )
        if of_parts:
            kinds = ", ".join(f"'{kind}'" for kind in KINDS_WITH_PARTS)
            select += f" AND {_column(Message, 'kind')} IN ({kinds})"
        selects.append(select)
    return (
        f"INSERT INTO {_table(MarkedMessage)} "  # noqa: S608 (model names only)
        f"({_bare(MarkedMessage, 'answer')}, {_bare(MarkedMessage, 'message')}, "
        f"{_bare(MarkedMessage, 'on_part')}) " + " UNION ALL ".join(selects)
    )


@lru_cache(maxsize=512)  # one per numbers of marks (at most the messages of a step), twice
def _move_and_answer_sql(words: int, parts: int, finish: bool = False) -> str:
    """The move (with `finish`, the finish too), then the answer for the moved row, then its
    marks: only messages of its step, and on a part only where the message's kind has one
    (as _marks_sql)."""
    answer_fields = ", ".join(_bare(StepAnswer, name) for name in ("attempt", "position"))
    answer_fields += f", {_bare(StepAnswer, 'step')}, {_bare(StepAnswer, 'choice')}"
    sql = (
        f"WITH moved AS ({_move_on_sql(finish)} RETURNING {_column(Attempt, 'id')}), "  # noqa: S608 (model names only)
        f"answer AS (INSERT INTO {_table(StepAnswer)} ({answer_fields}) "
        f"SELECT moved.id, %s, %s, %s FROM moved "
        f"RETURNING {_bare(StepAnswer, 'id')} AS id, {_bare(StepAnswer, 'step')} AS step_id)"
    )
    selects = []
    for count, of_parts in ((words, False), (parts, True)):
        if not count:
            continue
        select = (
            f"SELECT answer.id, {_column(Message, 'id')}, %s FROM answer "  # noqa: S608 (model names only)
            f"JOIN {_table(Message)} ON {_column(Message, 'step')} = answer.step_id "
            f"WHERE {_column(Message, 'id')} IN ({', '.join(['%s'] * count)})"
        )
        if of_parts:
            kinds = ", ".join(f"'{kind}'" for kind in KINDS_WITH_PARTS)
            select += f" AND {_column(Message, 'kind')} IN ({kinds})"
        selects.append(select)
    if selects:
        sql += (
            f", marks AS (INSERT INTO {_table(MarkedMessage)} "  # noqa: S608 (model names only)
            f"({_bare(MarkedMessage, 'answer')}, {_bare(MarkedMessage, 'message')}, "
            f"{_bare(MarkedMessage, 'on_part')}) " + " UNION ALL ".join(selects) + ")"
        )
    return f"{sql} SELECT count(*) FROM moved"  # noqa: S608 (model names only)
