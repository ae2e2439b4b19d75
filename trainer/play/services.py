"""Workflows of playing: starting an attempt and answering a step.

Both are safe to repeat: the Start form is acted on once (trainer.web.once, in the
view), and an answer posted twice (double click, back button, resent form) is
recognised by its position and counted once.
"""

import contextlib
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from scenarios.content import MemoryCache, VersionContent, on_clear, version_content
from trainer import scoring
from trainer.models import Attempt
from trainer.play.state import (
    AnswerRow,
    AttemptState,
    answer_insert,
    attempt_and_answers,
    attempt_finish,
    attempt_insert,
    attempt_move_and_answer,
    attempt_move_on,
    attempt_state,
    published_version,
)
from trainer.records import services as records


class AnswerRefused(Exception):
    """The posted answer does not fit the step; nothing was stored."""


class SessionClosed(AnswerRefused):
    """The attempt's session was closed by its facilitator; nothing was stored."""

    def __init__(self, code: str):
        super().__init__(_("This session has been closed: it takes no more answers."))
        self.code = code


def attempt_start(
    *,
    player_key: str,
    scenario_id: int,
    version_id: int,
    module_run_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Begin a new attempt at the published version, alone or in a module run. Returns
    its id. A repeated Start is answered by the first (the callers go through
    trainer.web.once)."""
    return attempt_insert(
        player_key=player_key,
        scenario_id=scenario_id,
        version_id=version_id,
        start_step_id=version_content(version_id).start.id,
        module_run_id=module_run_id,
    )


# What each scenario's Start found last time: (scenario, published version, its start
# step), by slug and language. Only a hint: the Start inserts its attempt only while that
# version is still the published one, checked in the same statement, and looks afresh
# otherwise, so a scenario republished on any app server is started at its new version.
_starts = MemoryCache(1024)
on_clear(_starts.clear)


def published_attempt_start(*, player_key: str, slug: str, language: str) -> uuid.UUID | None:
    """Begin a new attempt at the scenario's published version, outside any module run or
    session; its id, or None where the scenario is not published in that language. One
    statement when the version found last time is still published, two otherwise."""
    remembered = _starts.get((slug, language))
    if remembered is not None:
        scenario_id, version_id, start_step_id = remembered
        attempt_id = attempt_insert(
            player_key=player_key,
            scenario_id=scenario_id,
            version_id=version_id,
            start_step_id=start_step_id,
            if_published=True,
        )
        if attempt_id is not None:
            return attempt_id
    found = published_version(slug, language)
    if found is None:
        return None
    scenario_id, version_id = found
    start_step_id = version_content(version_id).start.id
    _starts.put((slug, language), (scenario_id, version_id, start_step_id))
    return attempt_insert(
        player_key=player_key,
        scenario_id=scenario_id,
        version_id=version_id,
        start_step_id=start_step_id,
    )


def session_attempt_begin(
    *,
    session_id: uuid.UUID,
    player_key: str,
    scenario_id: int,
    version_id: int,
    module_run_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Begin the player's attempt at the scenario in the session, on the session's version.
    A player plays each scenario of a session once (a constraint holds it): where the
    attempt exists already (a double-clicked Start, or two at once), that one is returned.
    The caller checks that the session is open."""
    start_step_id = version_content(version_id).start.id
    try:
        with transaction.atomic():
            attempt_id = Attempt.objects.create(
                player_key=player_key,
                scenario_id=scenario_id,
                version_id=version_id,
                current_step_id=start_step_id,
                session_id=session_id,
                module_run_id=module_run_id,
            ).id
            records.scenario_launched(
                session_id=session_id, player_key=player_key, version_id=version_id
            )
            return attempt_id
    except IntegrityError:
        return Attempt.objects.values_list("id", flat=True).get(
            session_id=session_id, player_key=player_key, scenario_id=scenario_id
        )


def attempt_answer(
    *,
    attempt_id: uuid.UUID,
    player_key: str,
    position: int,
    choice_id: int,
    marked_ids: Iterable[int],
    marked_part_ids: Iterable[int] = (),
) -> AttemptState:
    """Store the answer to the current step of the player's attempt and move on.

    Returns where the attempt stands afterwards. An answer for a position already
    counted, or to a finished attempt, changes nothing. Raises Attempt.DoesNotExist
    when the attempt is not this player's, SessionClosed when its session is closed,
    and AnswerRefused when the choice or a marked message does not belong to the step.
    """
    # The answers before this one come with the state: the last answer scores them.
    found = attempt_and_answers(attempt_id, player_key)
    if found is None:
        raise Attempt.DoesNotExist
    state, answers_before = found
    if state.is_finished or state.position != position:
        return state
    if state.session_closed:
        raise SessionClosed(state.session_code)
    content = version_content(state.version_id)
    step = content.step_by_id(state.current_step_id)
    choice = step.choice(choice_id)
    if choice is None:
        raise AnswerRefused(_("That choice is not part of this step."))
    marked, marked_parts = set(marked_ids), set(marked_part_ids)
    if not marked <= {message.id for message in step.messages if message.has_words}:
        raise AnswerRefused(_("A marked message is not part of this step."))
    if not marked_parts <= {message.id for message in step.messages if message.part}:
        raise AnswerRefused(_("A marked message is not part of this step."))
    if choice.next_key not in content.steps:  # only in a draft's preview: see preview_start
        raise AnswerRefused(
            _(
                "The preview stops here: this choice leads nowhere yet. Pick its next step "
                "in the draft."
            )
        )
    next_step = content.steps[choice.next_key]
    # On PostgreSQL the move, the answer and its marks are one statement, a transaction of
    # its own: a step that neither ends the attempt nor is played in a session (whose
    # records join the transaction) needs no BEGIN and COMMIT, four round trips fewer.
    one_statement = connection.vendor == "postgresql"
    alone = one_statement and not state.session_code
    score = None
    if next_step.is_ending:
        # The last answer's score is made before it is stored (on PostgreSQL the statement
        # that stores it finishes the attempt): from the answers before this one, which
        # cannot change while the attempt stands at `position` (an answer is only stored by
        # the move past it), and this one. Were the attempt moved meanwhile, the move below
        # changes nothing.
        this_answer = AnswerRow(step.id, choice.id, sorted(marked), sorted(marked_parts))
        score = attempt_score(content, [*answers_before, this_answer]).score
    with contextlib.nullcontext() if alone else transaction.atomic():
        # Only the request that still finds the attempt at this position moves it on, so a
        # double click or a resent form is counted once, without holding a lock.
        move = attempt_move_and_answer if one_statement else attempt_move_on
        if not move(
            attempt_id,
            player_key,
            position=position,
            step_id=next_step.id,
            choice_id=choice.id,
            **(
                {
                    "answered_step_id": step.id,
                    "marked": sorted(marked),
                    "marked_parts": sorted(marked_parts),
                    "finish_score": score,
                }
                if one_statement
                else {}
            ),
        ):
            now = attempt_state(attempt_id, player_key)
            if now.position == position and not now.is_finished and now.session_closed:
                raise SessionClosed(now.session_code)
            return now
        if not one_statement and not answer_insert(
            attempt_id,
            player_key,
            position=position,
            step_id=step.id,
            choice_id=choice.id,
            marked=sorted(marked),
            marked_parts=sorted(marked_parts),
        ):
            raise Attempt.DoesNotExist  # not theirs after all: the move is undone
        if next_step.is_ending and not one_statement:
            attempt_finish(attempt_id, player_key, score=score)
        if state.session_code:
            _records_of_answer(
                state, player_key, content, step, choice.id, marked, next_step, score, marked_parts
            )
    return state._replace(
        position=position + 1,
        current_step_id=next_step.id,
        last_choice_id=choice.id,
        score=score,
        is_finished=next_step.is_ending,
    )


def _records_of_answer(
    state: AttemptState,
    player_key: str,
    content: VersionContent,
    step,
    choice_id: int,
    marked: set[int],
    next_step,
    score: int | None,
    marked_parts: set[int],
) -> None:
    """The answer as learning records for the session's organisation, if it keeps them
    (trainer.records), in the answer's transaction."""
    where = records.step_answered(
        session_code=state.session_code,
        player_key=player_key,
        content=content,
        step=step,
        choice_id=choice_id,
        marked=marked,
        ending=next_step if next_step.is_ending else None,
        score=score,
        marked_parts=marked_parts,
    )
    if where is not None and next_step.is_ending and state.module_run_id is not None:
        records.scenario_of_run_finished(
            session_id=where.session_id, run_id=state.module_run_id, player_key=player_key
        )


def attempt_score(content: VersionContent, answers: Iterable[AnswerRow]) -> scoring.AttemptScore:
    """Score the answers of an attempt with the rules of trainer.scoring: its path, and the
    ending its last choice reached (rule 4a holds a scammed ending's score down)."""
    results = []
    ending = None
    for answer in answers:
        step = content.step_by_id(answer.step_id)
        choice = step.choice(answer.choice_id)
        reached = content.steps.get(choice.next_key) if choice else None
        ending = reached.ending if reached is not None and reached.is_ending else None
        results.append(
            scoring.StepResult(
                # Every spot of every message: its words, and its part where it has one.
                marks=tuple(
                    scoring.MessageMark(
                        flag=spot.flag, marked=answer.marked(message.id, spot.on_part)
                    )
                    for message in step.messages
                    for spot in message.spots
                ),
                verdict=choice.verdict if choice else None,
            )
        )
    return scoring.score_attempt(results, ending=ending)
