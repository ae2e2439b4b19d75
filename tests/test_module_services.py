"""The module workflows called directly: a check sent many times at once is stored once, and
a refused check names the items left without an answer."""

import random
import threading

import pytest
from django.db import connection

from tests.factories import build_module
from trainer.models import CheckAnswer, ModuleRun
from trainer.runs.services import CheckIncomplete, check_answers_save, module_run_start


@pytest.mark.django_db(transaction=True)
def test_simultaneous_copies_of_one_check_are_stored_once():
    module = build_module(scams=4, genuine=4)
    run_id = module_run_start(player_key="p1", module_id=module.id)
    item_ids = ModuleRun.objects.get(pk=run_id).items_drawn("before")
    barrier = threading.Barrier(6)
    stored, failures = [], []

    def send(copy: int):
        try:
            barrier.wait()
            # Each copy says something else, so a mix of two copies would show.
            answers = dict.fromkeys(item_ids, copy % 2 == 0)
            stored.append(
                check_answers_save(run_id=run_id, player_key="p1", phase="before", answers=answers)
            )
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(copy,)) for copy in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(stored) == [False] * 5 + [True]
    answers = CheckAnswer.objects.filter(run_id=run_id)
    assert sorted(answers.values_list("item_id", flat=True)) == sorted(item_ids)
    assert len(set(answers.values_list("said_scam", flat=True))) == 1


@pytest.mark.django_db
def test_a_refused_check_names_every_item_left_without_an_answer():
    module = build_module(scams=4, genuine=4)
    run_id = module_run_start(player_key="p1", module_id=module.id, rng=random.Random(7))
    first, second, third, fourth = ModuleRun.objects.get(pk=run_id).items_drawn("before")
    with pytest.raises(CheckIncomplete) as refused:
        check_answers_save(run_id=run_id, player_key="p1", phase="before", answers={second: True})
    assert refused.value.missing_ids == (first, third, fourth)
    with pytest.raises(ModuleRun.DoesNotExist):
        check_answers_save(run_id=run_id, player_key="p2", phase="before", answers={})
    assert not CheckAnswer.objects.exists()
