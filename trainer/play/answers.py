"""Answers as scoring and the reports read them: each step answered, the choice taken and
the messages marked, read with their marks in one query whatever their number."""

import uuid
from typing import NamedTuple

from django.db.models import QuerySet

from trainer.models import StepAnswer


class AnswerRow(NamedTuple):
    step_id: int
    choice_id: int
    marked_message_ids: list[int]


def answers_by_attempt(answers: QuerySet[StepAnswer]) -> dict[uuid.UUID, list[AnswerRow]]:
    """The answers of `answers`, in order, by attempt: one query, a row per mark."""
    rows = answers.order_by("attempt_id", "position", "marks__message_id").values_list(
        "attempt_id", "position", "step_id", "choice_id", "marks__message_id"
    )
    by_attempt: dict[uuid.UUID, list[AnswerRow]] = {}
    last = None
    for attempt_id, position, step_id, choice_id, message_id in rows:
        if (attempt_id, position) != last:
            last = (attempt_id, position)
            by_attempt.setdefault(attempt_id, []).append(AnswerRow(step_id, choice_id, []))
        if message_id is not None:
            by_attempt[attempt_id][-1].marked_message_ids.append(message_id)
    return by_attempt
