"""Carry the JSON lists of ids over to rows: an answer's marked messages become
MarkedMessage rows, a run's drawn check items DrawnItem rows (phase and place kept).

An id that names no row any more is left behind: the pages already left such an item or
message out (a check item could be deleted while no one had answered it), so the rows
hold what players saw. Going back writes the lists again from the rows, and removes them.
"""

from django.db import migrations

BATCH = 1000


def _in_batches(rows, model, using):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.using(using).bulk_create(batch)
            batch = []
    if batch:
        model.objects.using(using).bulk_create(batch)


def _unique(ids, existing):
    """The ids in order, once each, that still name a row."""
    seen = set()
    for item_id in ids or ():
        if item_id in existing and item_id not in seen:
            seen.add(item_id)
            yield item_id


def lists_to_rows(apps, schema_editor):
    using = schema_editor.connection.alias
    StepAnswer = apps.get_model("trainer", "StepAnswer")
    MarkedMessage = apps.get_model("trainer", "MarkedMessage")
    ModuleRun = apps.get_model("trainer", "ModuleRun")
    DrawnItem = apps.get_model("trainer", "DrawnItem")
    Message = apps.get_model("scenarios", "Message")
    CheckItem = apps.get_model("scenarios", "CheckItem")

    messages = set(Message.objects.using(using).values_list("id", flat=True))
    answers = (
        StepAnswer.objects.using(using)
        .values_list("id", "marked_message_ids")
        .iterator(chunk_size=BATCH)
    )
    marks = (
        MarkedMessage(answer_id=answer_id, message_id=message_id)
        for answer_id, marked in answers
        for message_id in _unique(marked, messages)
    )
    _in_batches(marks, MarkedMessage, using)

    items = set(CheckItem.objects.using(using).values_list("id", flat=True))
    runs = (
        ModuleRun.objects.using(using)
        .values_list("id", "before_item_ids", "after_item_ids")
        .iterator(chunk_size=BATCH)
    )

    def drawn():
        for run_id, before, after in runs:
            before_kept = list(_unique(before, items))
            after_kept = [i for i in _unique(after, items) if i not in before_kept]
            for phase, ids in (("before", before_kept), ("after", after_kept)):
                for order, item_id in enumerate(ids):
                    yield DrawnItem(run_id=run_id, phase=phase, order=order, item_id=item_id)

    _in_batches(drawn(), DrawnItem, using)


def rows_to_lists(apps, schema_editor):
    using = schema_editor.connection.alias
    StepAnswer = apps.get_model("trainer", "StepAnswer")
    MarkedMessage = apps.get_model("trainer", "MarkedMessage")
    ModuleRun = apps.get_model("trainer", "ModuleRun")
    DrawnItem = apps.get_model("trainer", "DrawnItem")

    marked = {}
    for answer_id, message_id in (
        MarkedMessage.objects.using(using).order_by("answer_id", "message_id").values_list(
            "answer_id", "message_id"
        )
    ):
        marked.setdefault(answer_id, []).append(message_id)
    for answer_id, ids in marked.items():
        StepAnswer.objects.using(using).filter(pk=answer_id).update(marked_message_ids=ids)

    drawn = {}
    for run_id, phase, item_id in (
        DrawnItem.objects.using(using)
        .order_by("run_id", "phase", "order")
        .values_list("run_id", "phase", "item_id")
    ):
        drawn.setdefault(run_id, {"before": [], "after": []})[phase].append(item_id)
    for run_id, lists in drawn.items():
        ModuleRun.objects.using(using).filter(pk=run_id).update(
            before_item_ids=lists["before"], after_item_ids=lists["after"]
        )
    # Migrated forward again, the lists are the rows' source: leave no row twice.
    MarkedMessage.objects.using(using).all().delete()
    DrawnItem.objects.using(using).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("trainer", "0009_marks_and_drawn_items"),
    ]

    operations = [migrations.RunPython(lists_to_rows, rows_to_lists)]
