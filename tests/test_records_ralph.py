"""A whole session's learning records reach a real learning record store (Ralph, on
loopback) exactly once, although the store is stopped in the middle of the session and
started again, and although a worker dies after the store took a batch."""

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.ralph import KEY, SECRET, Ralph
from tests.session_factories import join, module_session, play, run_of, start_scenario, take_check
from trainer.models import DrawnItem, QueuedStatement, RecordStore
from trainer.records.sealing import secret_seal
from trainer.records.sender import outbox_send

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ralph(tmp_path):
    store = Ralph(tmp_path)
    store.start()
    yield store
    store.stop()


def player_through(client: Client, session, nickname: str, *, scenarios: range) -> None:
    run = run_of(session, nickname)
    if 1 in scenarios:
        take_check(client, run, "before")
    for number in scenarios:
        play(client, start_scenario(client, session, number))
    if 2 in scenarios:
        take_check(client, run, "after")


def test_every_statement_of_a_session_arrives_once_across_a_restart_of_the_store(ralph):
    session = module_session(scenarios=2)
    RecordStore.objects.create(
        organisation=session.organisation,
        endpoint=ralph.endpoint,
        key=KEY,
        secret_sealed=secret_seal(SECRET),
    )
    aigul, dana = Client(), Client()
    join(aigul, session, "Aigul")
    join(dana, session, "Dana")
    player_through(aigul, session, "Aigul", scenarios=range(1, 2))

    first = outbox_send()
    assert first.sent > 0 and first.failed == 0
    assert not QueuedStatement.objects.filter(sent_at=None).exists()

    ralph.stop()  # the store goes down in the middle of the session
    player_through(aigul, session, "Aigul", scenarios=range(2, 3))
    player_through(dana, session, "Dana", scenarios=range(1, 3))
    down = outbox_send()
    assert down.sent == 0 and down.failed > 0
    waiting = QueuedStatement.objects.filter(sent_at=None)
    assert waiting.count() == down.failed
    assert set(waiting.values_list("tries", flat=True)) == {1}
    assert "could not be reached" in waiting.first().last_error
    # A worker that died after the store took its batch, before it noted so.
    died = list(QueuedStatement.objects.exclude(sent_at=None).values_list("pk", flat=True)[:5])
    QueuedStatement.objects.filter(pk__in=died).update(sent_at=None)

    ralph.start()
    later = outbox_send(now=timezone.now() + timedelta(hours=2))  # past every backoff
    assert later.failed == 0, (
        QueuedStatement.objects.exclude(last_error="").values_list("last_error", flat=True).first()
    )
    assert not QueuedStatement.objects.filter(sent_at=None).exists()

    held = ralph.statements()
    queued = set(QueuedStatement.objects.values_list("statement_id", flat=True))
    assert Counter(s["id"] for s in held).most_common(1)[0][1] == 1  # none twice
    assert {s["id"] for s in held} == {str(i) for i in queued}  # none lost

    # Both players' way through the module: two actors, opaque, with the module finished.
    by_actor = Counter(s["actor"]["account"]["name"] for s in held)
    assert len(by_actor) == 2 and not {"Aigul", "Dana"} & set(by_actor)
    verbs = Counter(
        (s["verb"]["id"].rsplit("/", 1)[1], s["object"]["id"].split("/xapi/")[1].split("/")[0])
        for s in held
    )
    assert verbs[("launched", "modules")] == 2
    assert verbs[("launched", "scenarios")] == 4
    assert verbs[("completed", "scenarios")] == 4 and verbs[("completed", "modules")] == 2
    assert verbs[("passed", "modules")] + verbs[("failed", "modules")] == 2
    checks = [s for s in held if "/check-items/" in s["object"]["id"]]
    per_check = DrawnItem.objects.filter(run=run_of(session, "Aigul"), phase="before").count()
    assert per_check > 0 and len(checks) == 2 * 2 * per_check
    assert {s["context"]["registration"] for s in held} == {str(session.id)}
