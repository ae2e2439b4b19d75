"""The JSON lists of ids of an older database (an answer's marked messages, a run's drawn
check items) become rows when it is migrated (trainer/migrations/0010), and lists again
when it is migrated back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scenarios.models import CheckItem, Message
from tests.factories import build_module, build_scenario
from tests.test_play_state import answer_rows
from trainer.models import DrawnItem, MarkedMessage, ModuleRun
from trainer.play.state import AnswerRow

LISTS = [("trainer", "0009_marks_and_drawn_items")]
ROWS = [("trainer", "0011_remove_id_lists")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_id_lists_become_rows_and_go_back_to_lists():
    scenario = build_scenario(scenes=2)
    version = scenario.current_version
    first, second = version.steps.filter(ending="").order_by("order")
    flag, hello, _photo = first.messages.order_by("order")
    module = build_module(scenarios=0, scams=3, genuine=3)
    items = list(module.check_items.order_by("order"))
    gone_message = Message.objects.order_by("-pk")[0].pk + 100
    gone_item = CheckItem.objects.order_by("-pk")[0].pk + 100
    try:
        old = migrate(LISTS)
        Attempt = old.get_model("trainer", "Attempt")
        StepAnswer = old.get_model("trainer", "StepAnswer")
        OldRun = old.get_model("trainer", "ModuleRun")
        attempt = Attempt.objects.create(
            player_key="p", scenario_id=scenario.pk, version_id=version.pk, position=2,
            current_step_id=second.pk,
        )  # fmt: skip
        for position, (step, marked) in enumerate(
            [(first, [hello.pk, flag.pk, gone_message, flag.pk]), (second, [])]
        ):
            StepAnswer.objects.create(
                attempt_id=attempt.pk,
                position=position,
                step_id=step.pk,
                choice_id=step.choices.get(order=0).pk,
                marked_message_ids=marked,
            )
        run = OldRun.objects.create(
            player_key="p",
            module_id=module.pk,
            before_item_ids=[items[2].pk, gone_item, items[0].pk],
            after_item_ids=[items[1].pk, items[0].pk, items[4].pk],
        )

        migrate(ROWS)
        # Read with today's code, so on today's tables (a mark's part came later: 0013).
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        assert answer_rows(attempt.pk, "p") == [
            AnswerRow(first.pk, first.choices.get(order=0).pk, sorted([hello.pk, flag.pk]), []),
            AnswerRow(second.pk, second.choices.get(order=0).pk, [], []),
        ]
        assert MarkedMessage.objects.count() == 2
        migrated = ModuleRun.objects.get(pk=run.pk)
        # In the order drawn, without the item that is gone; one item is never in both.
        assert migrated.items_drawn("before") == [items[2].pk, items[0].pk]
        assert migrated.items_drawn("after") == [items[1].pk, items[4].pk]
        assert DrawnItem.objects.count() == 4

        old = migrate(LISTS)
        answers = old.get_model("trainer", "StepAnswer").objects.order_by("position")
        assert [a.marked_message_ids for a in answers] == [sorted([hello.pk, flag.pk]), []]
        back = old.get_model("trainer", "ModuleRun").objects.get(pk=run.pk)
        assert back.before_item_ids == [items[2].pk, items[0].pk]
        assert back.after_item_ids == [items[1].pk, items[4].pk]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
