"""The reads and writes behind every step of play (trainer/play/state.py) each take the
player's key: another key reads, moves, stores and finishes nothing, whatever order a
caller uses them in."""

import pytest
from django.db import IntegrityError, connection, transaction

from scenarios.content import version_content
from scenarios.models import Message
from tests.factories import build_scenario
from trainer.models import Attempt, StepAnswer
from trainer.play.services import attempt_answer, attempt_start
from trainer.play.state import (
    AnswerRow,
    answer_insert,
    attempt_and_answers,
    attempt_finish,
    attempt_move_and_answer,
    attempt_move_on,
    attempt_state,
)

pytestmark = pytest.mark.django_db

OWNER, INTRUDER = "owner-key", "intruder-key"


def answer_rows(attempt_id, player_key) -> list[AnswerRow]:
    """The answers stored for the player's attempt, as the hot path reads them back; none
    for an attempt that is not theirs."""
    found = attempt_and_answers(attempt_id, player_key)
    return [] if found is None else found[1]


@pytest.fixture
def one_scene():
    """An attempt of the owner at a scenario of one scene: one answer ends it."""
    scenario = build_scenario(scenes=1)
    content = version_content(scenario.current_version_id)
    attempt_id = attempt_start(
        player_key=OWNER,
        scenario_id=scenario.id,
        version_id=content.id,
    )
    step = content.start
    choice = step.choices[0]
    return attempt_id, step, choice, content.steps[choice.next_key]


def test_every_statement_of_the_hot_path_refuses_another_players_key(one_scene):
    attempt_id, step, choice, ending = one_scene
    flag = step.messages[0].id
    answer = {"position": 0, "step_id": step.id, "choice_id": choice.id, "marked": [flag]}

    assert attempt_state(attempt_id, INTRUDER) is None
    assert attempt_state(attempt_id, OWNER).position == 0

    assert not attempt_move_on(
        attempt_id, INTRUDER, position=0, step_id=ending.id, choice_id=choice.id
    )
    assert not answer_insert(attempt_id, INTRUDER, **answer)
    assert not StepAnswer.objects.exists()
    assert attempt_state(attempt_id, OWNER).position == 0

    assert attempt_move_on(attempt_id, OWNER, position=0, step_id=ending.id, choice_id=choice.id)
    assert answer_insert(attempt_id, OWNER, **answer)
    with pytest.raises(IntegrityError), transaction.atomic():  # one answer per position
        answer_insert(attempt_id, OWNER, **answer)
    assert attempt_and_answers(attempt_id, INTRUDER) is None
    assert answer_rows(attempt_id, INTRUDER) == []
    assert answer_rows(attempt_id, OWNER) == [AnswerRow(step.id, choice.id, [flag], [])]

    assert not attempt_finish(attempt_id, INTRUDER, score=100)
    assert not Attempt.objects.get(pk=attempt_id).is_finished
    assert attempt_finish(attempt_id, OWNER, score=40)
    finished_at = Attempt.objects.get(pk=attempt_id).finished_at
    # Not finished yet: a second finish changes neither the score nor the time.
    assert not attempt_finish(attempt_id, OWNER, score=100)
    stored = Attempt.objects.get(pk=attempt_id)
    assert (stored.score, stored.finished_at) == (40, finished_at)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's data-modifying WITH: runs in the suite's PostgreSQL pass (.ci/run)",
)
def test_the_move_and_answer_in_one_statement_refuses_another_key_and_a_repeat():
    scenario = build_scenario(scenes=1, rich=True)
    content = version_content(scenario.current_version_id)
    attempt_id = attempt_start(player_key=OWNER, scenario_id=scenario.id, version_id=content.id)
    step = content.start
    choice = step.choices[0]
    ending = content.steps[choice.next_key]
    flag = step.messages[0].id
    link = next(message.id for message in step.messages if message.part)
    not_of_the_step = max(Message.objects.values_list("id", flat=True)) + 1
    answer = {
        "position": 0,
        "step_id": ending.id,
        "choice_id": choice.id,
        "answered_step_id": step.id,
        "marked": [flag, not_of_the_step],
        # A part is marked only on a message whose kind has one.
        "marked_parts": [link, flag],
    }
    assert not attempt_move_and_answer(attempt_id, INTRUDER, **answer)
    assert not StepAnswer.objects.exists()
    assert attempt_state(attempt_id, OWNER).position == 0

    assert attempt_move_and_answer(attempt_id, OWNER, **answer)
    assert not attempt_move_and_answer(attempt_id, OWNER, **answer)  # a double click
    assert answer_rows(attempt_id, OWNER) == [AnswerRow(step.id, choice.id, [flag], [link])]
    state = attempt_state(attempt_id, OWNER)
    assert (state.position, state.current_step_id, state.last_choice_id) == (
        1,
        ending.id,
        choice.id,
    )


def test_an_answer_moves_the_attempt_only_from_the_position_it_was_given_for(one_scene):
    attempt_id, step, choice, ending = one_scene
    assert not attempt_move_on(attempt_id, OWNER, position=1, step_id=ending.id, choice_id=0)
    assert attempt_move_on(attempt_id, OWNER, position=0, step_id=ending.id, choice_id=choice.id)
    # The same answer again (a double click) finds the attempt moved on already.
    assert not attempt_move_on(
        attempt_id, OWNER, position=0, step_id=ending.id, choice_id=choice.id
    )
    assert attempt_state(attempt_id, OWNER).position == 1


def test_answering_another_players_attempt_stores_nothing(one_scene):
    attempt_id, step, choice, _ending = one_scene
    with pytest.raises(Attempt.DoesNotExist):
        attempt_answer(
            attempt_id=attempt_id,
            player_key=INTRUDER,
            position=0,
            choice_id=choice.id,
            marked_ids=[],
        )
    assert not StepAnswer.objects.exists()
    state = attempt_answer(
        attempt_id=attempt_id, player_key=OWNER, position=0, choice_id=choice.id, marked_ids=[]
    )
    assert state.is_finished and state.score is not None
    assert Attempt.objects.get(pk=attempt_id).score == state.score


def test_only_messages_of_the_step_answered_are_stored_as_marks(one_scene):
    attempt_id, step, choice, ending = one_scene
    build_scenario(slug="another")
    elsewhere = Message.objects.exclude(step_id=step.id).first().id
    own = [message.id for message in step.messages[:2]]
    marked = [*own, elsewhere]
    assert attempt_move_on(attempt_id, OWNER, position=0, step_id=ending.id, choice_id=choice.id)
    assert answer_insert(
        attempt_id, OWNER, position=0, step_id=step.id, choice_id=choice.id, marked=marked
    )
    assert answer_rows(attempt_id, OWNER) == [AnswerRow(step.id, choice.id, sorted(own), [])]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's data-modifying WITH: runs in the suite's PostgreSQL pass (.ci/run)",
)
def test_the_last_answer_finishes_the_attempt_in_its_one_statement_with_its_score():
    from django.test.utils import CaptureQueriesContext

    from trainer.play.services import attempt_score

    scenario = build_scenario(scenes=2, rich=True)
    content = version_content(scenario.current_version_id)
    attempt_id = attempt_start(player_key=OWNER, scenario_id=scenario.id, version_id=content.id)
    first = content.start
    flag = first.messages[0].id
    attempt_answer(
        attempt_id=attempt_id,
        player_key=OWNER,
        position=0,
        choice_id=first.choices[0].id,
        marked_ids=[flag],
    )
    last = content.step_by_id(attempt_state(attempt_id, OWNER).current_step_id)
    choice = last.choices[0]
    assert content.steps[choice.next_key].is_ending
    link = next(message.id for message in last.messages if message.part)
    words = [message.id for message in last.messages if message.has_words]
    answer = {"position": 1, "choice_id": choice.id, "marked_ids": words[-1:]}
    answer["marked_part_ids"] = [link]

    with pytest.raises(Attempt.DoesNotExist):
        attempt_answer(attempt_id=attempt_id, player_key=INTRUDER, **answer)
    assert not Attempt.objects.get(pk=attempt_id).is_finished

    with CaptureQueriesContext(connection) as captured:
        state = attempt_answer(attempt_id=attempt_id, player_key=OWNER, **answer)
    # The state with the answers before this one, then the move, answer, marks and finish at
    # once.
    assert len(captured) == 2
    assert not any(query["sql"] in ("BEGIN", "COMMIT") for query in captured)
    stored = Attempt.objects.get(pk=attempt_id)
    # The score as the stored answers give it, read back after the finish.
    expected = attempt_score(content, answer_rows(attempt_id, OWNER)).score
    assert stored.is_finished and stored.finished_at is not None
    assert stored.score == expected == state.score
    assert answer_rows(attempt_id, OWNER)[1] == AnswerRow(last.id, choice.id, words[-1:], [link])
    # A repeat of the last answer changes nothing: the score and the time stay.
    attempt_answer(attempt_id=attempt_id, player_key=OWNER, **answer)
    again = Attempt.objects.get(pk=attempt_id)
    assert (again.score, again.finished_at) == (stored.score, stored.finished_at)


def test_a_start_finds_what_the_orm_calls_published_and_nothing_else():
    from scenarios.models import Scenario
    from trainer.play.state import published_version

    published = build_scenario(slug="out-now")
    build_scenario(slug="a-draft", published=False)
    for slug, language in (("out-now", "en"), ("a-draft", "en"), ("out-now", "ru"), ("none", "en")):
        orm = (
            Scenario.objects.published()
            .filter(slug=slug, language=language)
            .values_list("id", "current_version_id")
            .first()
        )
        assert published_version(slug, language) == orm
    assert published_version("out-now", "en") == (published.id, published.current_version_id)
    assert published_version("a-draft", "en") is None


def test_a_start_remembers_the_published_version_and_never_starts_one_no_longer_published():
    """A Start inserts its attempt in one statement while the version it found last time is
    still the published one, and looks afresh when it is not: unpublished, or replaced (as
    on another app server)."""
    from django.test.utils import CaptureQueriesContext

    from scenarios.models import Scenario
    from trainer.play.services import published_attempt_start

    scenario = build_scenario(slug="out-now")
    first_version = scenario.current_version_id
    replacement = build_scenario(slug="next-edition").current_version_id
    for version in (first_version, replacement):
        version_content(version)  # loaded once per process: not the Start's to count

    def start() -> tuple[Attempt | None, int]:
        with CaptureQueriesContext(connection) as captured:
            attempt_id = published_attempt_start(player_key=OWNER, slug="out-now", language="en")
        attempt = None if attempt_id is None else Attempt.objects.get(pk=attempt_id)
        return attempt, len(captured)

    attempt, statements = start()
    assert (attempt.version_id, statements) == (first_version, 2)
    assert attempt.current_step_id == version_content(first_version).start.id
    attempt, statements = start()
    assert (attempt.version_id, statements) == (first_version, 1)

    Scenario.objects.filter(pk=scenario.pk).update(current_version=None)
    assert start() == (None, 2)
    assert Attempt.objects.filter(player_key=OWNER).count() == 2

    Scenario.objects.filter(pk=scenario.pk).update(current_version=replacement)
    attempt, statements = start()
    # The remembered version tried and refused, the look-up, the insert.
    assert (attempt.version_id, statements) == (replacement, 3)
    assert attempt.current_step_id == version_content(replacement).start.id
    assert start()[0].version_id == replacement
    assert (attempt.scenario_id, attempt.position, attempt.finished_at) == (scenario.pk, 0, None)
