"""The same answer sent many times at once is counted once."""

import threading

import pytest
from django.db import connection

from tests.factories import build_scenario
from trainer.models import Attempt, StepAnswer
from trainer.play.services import attempt_answer, attempt_start


@pytest.mark.django_db(transaction=True)
def test_simultaneous_copies_of_one_answer_count_once():
    scenario = build_scenario()
    attempt_id = attempt_start(
        player_key="p1",
        scenario_id=scenario.id,
        version_id=scenario.current_version_id,
    )
    choice = scenario.current_version.steps.get(key="scene-0").choices.get(order=0)
    barrier = threading.Barrier(6)
    failures = []

    def send():
        try:
            barrier.wait()
            attempt_answer(
                attempt_id=attempt_id,
                player_key="p1",
                position=0,
                choice_id=choice.id,
                marked_ids=[],
            )
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert StepAnswer.objects.filter(attempt_id=attempt_id).count() == 1
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.position == 1 and attempt.current_step.key == "scene-1"
