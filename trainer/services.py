"""Workflows of playing: starting an attempt and answering a step.

Both are safe to repeat: a double-clicked Start reuses the attempt it just
made, and an answer posted twice (double click, back button, resent form) is
recognised by its position and counted once.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scenarios.content import VersionContent, version_content
from scenarios.models import Scenario
from trainer import scoring
from trainer.models import Attempt, StepAnswer


class AnswerRefused(Exception):
    """The posted answer does not fit the step; nothing was stored."""


def attempt_start(*, player_key: str, scenario: Scenario) -> Attempt:
    """Begin the scenario's published version, or reuse an attempt not yet answered."""
    version_id = scenario.current_version_id
    content = version_content(version_id)
    with transaction.atomic():
        untouched = Attempt.objects.filter(
            player_key=player_key,
            scenario=scenario,
            version_id=version_id,
            position=0,
            finished_at__isnull=True,
        ).first()
        if untouched is not None:
            return untouched
        return Attempt.objects.create(
            player_key=player_key,
            scenario=scenario,
            version_id=version_id,
            current_step_id=content.start.id,
        )


def attempt_answer(
    *, attempt: Attempt, position: int, choice_id: int, marked_ids: Iterable[int]
) -> bool:
    """Store the answer to the current step and move on.

    Returns False, changing nothing, when the answer for this position is
    already counted or the attempt is finished. Raises AnswerRefused when the
    choice or a marked message does not belong to the step.
    """
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.is_finished or locked.position != position:
            return False
        content = version_content(locked.version_id)
        step = content.step_by_id(locked.current_step_id)
        choice = step.choice(choice_id)
        if choice is None:
            raise AnswerRefused(_("That choice is not part of this step."))
        marked = set(marked_ids)
        if not marked <= {message.id for message in step.messages}:
            raise AnswerRefused(_("A marked message is not part of this step."))
        try:
            with transaction.atomic():
                StepAnswer.objects.create(
                    attempt=locked,
                    position=position,
                    step_id=step.id,
                    choice_id=choice.id,
                    marked_message_ids=sorted(marked),
                )
        except IntegrityError:
            return False  # another request counted this position a moment ago
        next_step = content.steps[choice.next_key]
        locked.position = position + 1
        locked.current_step_id = next_step.id
        locked.last_choice_id = choice.id
        fields = ["position", "current_step", "last_choice"]
        if next_step.is_ending:
            answers = list(locked.answers.all())
            locked.score = attempt_score(content, answers).score
            locked.finished_at = timezone.now()
            fields += ["score", "finished_at"]
        locked.save(update_fields=fields)
    return True


def attempt_score(content: VersionContent, answers: Iterable[StepAnswer]) -> scoring.AttemptScore:
    """Score the answers of an attempt with the rules of trainer.scoring."""
    results = []
    for answer in answers:
        step = content.step_by_id(answer.step_id)
        marked = set(answer.marked_message_ids)
        choice = step.choice(answer.choice_id)
        results.append(
            scoring.StepResult(
                marks=tuple(
                    scoring.MessageMark(flag=message.flag, marked=message.id in marked)
                    for message in step.messages
                ),
                verdict=choice.verdict if choice else None,
            )
        )
    return scoring.score_attempt(results)
