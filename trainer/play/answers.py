"""Answers as scoring and the reports read them: each step answered, the choice taken and
the messages (and their parts) marked, read with their marks in one query whatever their number."""

import uuid
from typing import NamedTuple

from django.db.models import QuerySet

from trainer.models import StepAnswer


class AnswerRow(NamedTuple):
    step_id: int
    choice_id: int
    marked_message_ids: list[int]  # messages marked in their words
    # Messages marked on their part (a link, a sender, a payment request, an attachment).
    marked_part_ids: list[int]

    def marked(self, message_id: int, on_part: bool) -> bool:
        return message_id in (self.marked_part_ids if on_part else self.marked_message_ids)

    def add_mark(self, message_id: int | None, on_part) -> None:
        """One row of a read: a mark, or None for an answer without marks."""
        if message_id is not None:
            (self.marked_part_ids if on_part else self.marked_message_ids).append(message_id)


def answers_by_attempt(answers: QuerySet[StepAnswer]) -> dict[uuid.UUID, list[AnswerRow]]:
    """The answers of `answers`, in order, by attempt: one query, a row per mark."""
    rows = answers.order_by("attempt_id", "position", "marks__message_id").values_list(
        "attempt_id", "position", "step_id", "choice_id", "marks__message_id", "marks__on_part"
    )
    by_attempt: dict[uuid.UUID, list[AnswerRow]] = {}
    last = None
    for attempt_id, position, step_id, choice_id, message_id, on_part in rows:
        if (attempt_id, position) != last:
            last = (attempt_id, position)
            by_attempt.setdefault(attempt_id, []).append(AnswerRow(step_id, choice_id, [], []))
        by_attempt[attempt_id][-1].add_mark(message_id, on_part)
    return by_attempt
