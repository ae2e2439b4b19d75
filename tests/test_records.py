"""Learning records (xAPI): what a session player's progress becomes, that it is queued
with the answer and only for an organisation with an active store, how the worker treats
a store that fails, the write-only secret in the admin, and the counts on the session's
page. tests/test_records_ralph.py sends a whole session to a real store."""

import http.server
import json
import re
import threading
import uuid
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scenarios.content import version_content
from tests.session_factories import facilitator, join, new_session, play, start_scenario, user
from trainer.models import QueuedStatement, RecordStore, StepAnswer
from trainer.records.sealing import secret_open, secret_seal
from trainer.records.sender import BACKOFF_FIRST, outbox_send
from trainer.sessions.services import session_delete

pytestmark = pytest.mark.django_db
VERBS = "http://adlnet.gov/expapi/verbs/"


def store_for(session, endpoint="http://127.0.0.1:9/xAPI/", active=True) -> RecordStore:
    return RecordStore.objects.create(
        organisation=session.organisation,
        endpoint=endpoint,
        key="saq",
        secret_sealed=secret_seal("s3cret"),
        active=active,
    )


def played_session(*, store: bool = True, active: bool = True, choice_order: int = 0):
    session = new_session()
    if store:
        store_for(session, active=active)
    phone = Client()
    join(phone, session, "Aigul")
    attempt = play(phone, start_scenario(phone, session, 1), choice_order=choice_order)
    return session, attempt


def statements(verb: str | None = None) -> list[dict]:
    rows = QueuedStatement.objects.order_by("id").values_list("statement", flat=True)
    return [s for s in rows if verb is None or s["verb"]["id"] == VERBS + verb]


def test_a_session_without_a_store_and_play_alone_queue_nothing(client):
    played_session(store=False)
    played_session(active=False)
    assert not QueuedStatement.objects.exists()


def test_a_played_scenario_becomes_launched_answered_completed_and_passed():
    session, attempt = played_session()
    content = version_content(attempt.version_id)
    answers = list(StepAnswer.objects.filter(attempt=attempt).order_by("position"))
    made = statements()
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in made] == (
        ["launched"] + ["answered"] * len(answers) + ["completed", "passed"]
    )
    actor = made[0]["actor"]
    assert actor["objectType"] == "Agent" and set(actor) == {"objectType", "account"}
    assert actor["account"]["homePage"] == "http://127.0.0.1:8000"
    assert re.fullmatch(r"[0-9a-f]{32}", actor["account"]["name"])  # opaque, not "Aigul"
    scenario_id = f"http://127.0.0.1:8000/xapi/scenarios/{content.slug}/{content.language}"
    for statement in made:
        uuid.UUID(statement["id"])
        datetime.fromisoformat(statement["timestamp"])
        assert statement["actor"] == actor
        assert statement["context"]["registration"] == str(session.id)
        grouping = statement["context"]["contextActivities"]["grouping"]
        assert grouping[0]["id"] == f"http://127.0.0.1:8000/xapi/sessions/{session.id}"
    assert made[0]["object"]["id"] == scenario_id
    # Each step: the choice made, the safe ones as correct, what was marked.
    for statement, answer in zip(made[1:], answers, strict=False):
        step = content.step_by_id(answer.step_id)
        definition = statement["object"]["definition"]
        assert statement["object"]["id"] == f"{scenario_id}/steps/{step.key}"
        assert definition["interactionType"] == "choice"
        assert {c["id"] for c in definition["choices"]} == {f"choice-{c.id}" for c in step.choices}
        assert statement["result"]["response"] == f"choice-{answer.choice_id}"
        marks = statement["result"]["extensions"]["http://127.0.0.1:8000/xapi/extensions/red-flags"]
        flagged = {m.key for m in step.messages if m.flag}
        marked_ids = set(answer.marks.values_list("message_id", flat=True))
        marked = {m.key for m in step.messages if m.id in marked_ids}
        assert marks["hits"] == len(flagged & marked)
        assert marks["misses"] == len(flagged - marked)
        assert marks["false_alarms"] == len(marked - flagged)
        assert statement["context"]["contextActivities"]["parent"][0]["id"] == scenario_id
    completed = made[-2]["result"]
    assert completed["score"] == {
        "scaled": attempt.score / 100,
        "raw": attempt.score,
        "min": 0,
        "max": 100,
    }
    assert completed["completion"] is True and completed["success"] is (attempt.score >= 70)


def test_a_scammed_ending_fails_the_scenario():
    _session, attempt = played_session(choice_order=1)  # the harmful choice: scammed
    assert attempt.score < 70
    assert len(statements("failed")) == 1 and not statements("passed")
    assert statements("failed")[0]["result"]["success"] is False


def test_an_answer_sent_twice_is_recorded_once():
    session = new_session()
    store_for(session)
    phone = Client()
    join(phone, session, "Aigul")
    attempt = start_scenario(phone, session, 1)
    step = attempt.current_step
    form = {"position": 0, "choice": step.choices.get(order=0).id}
    for _ in range(2):
        phone.post(reverse("play", args=[attempt.id]), form)
    assert len(statements("answered")) == 1


def failing_store(status: int):
    """A store on loopback that answers every request with `status`; returns its endpoint,
    what it was sent, and a function that stops it."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.command, self.path, self.headers["Authorization"], json.loads(body)))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT = _answer

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/xAPI/"
    return endpoint, seen, lambda: (server.shutdown(), server.server_close())


def test_a_store_that_fails_is_tried_again_later_and_later_and_nothing_is_lost():
    session, _attempt = played_session()
    endpoint, seen, stop = failing_store(503)
    RecordStore.objects.update(endpoint=endpoint)
    total = QueuedStatement.objects.count()
    now = timezone.now()
    try:
        assert outbox_send(now=now).failed == total
        assert outbox_send(now=now).failed == 0  # not due again yet
        assert outbox_send(now=now + BACKOFF_FIRST).failed == total
    finally:
        stop()
    assert [command for command, *_ in seen] == ["POST", "POST"]
    assert seen[0][1] == "/xAPI/statements" and seen[0][2] == "Basic c2FxOnMzY3JldA=="
    assert len(seen[0][3]) == total
    row = QueuedStatement.objects.first()
    assert (row.tries, row.sent_at, row.last_error) == (
        2,
        None,
        f"The store answered 503 to {total} statements.",
    )
    assert row.next_try_at == now + BACKOFF_FIRST + 2 * BACKOFF_FIRST  # doubled


def test_statements_a_store_knows_already_are_delivered():
    """409 to a batch: each is sent alone, and 409 to one means the store has it."""
    played_session()
    endpoint, seen, stop = failing_store(409)
    RecordStore.objects.update(endpoint=endpoint)
    try:
        report = outbox_send()
    finally:
        stop()
    total = QueuedStatement.objects.count()
    assert (report.sent, report.failed) == (total, 0)
    assert [command for command, *_ in seen] == ["POST"] + ["PUT"] * total
    ids = {f"/xAPI/statements?statementId={s['id']}" for s in statements()}
    assert {path for _c, path, *_ in seen[1:]} == ids


def test_a_store_that_cannot_be_reached_or_read_says_why():
    played_session()
    call_command("send_statements", "--once", stdout=(out := _Out()))
    assert "Sent 0 statements;" in out.text
    assert "could not be reached" in QueuedStatement.objects.first().last_error
    RecordStore.objects.update(secret_sealed="not a sealed secret")
    outbox_send(now=timezone.now() + timedelta(hours=2))
    assert "type it again in the admin" in QueuedStatement.objects.first().last_error


class _Out:
    text = ""

    def write(self, text):
        self.text += text


def test_the_session_page_counts_what_waits_and_what_failed(client):
    session, _attempt = played_session()
    total = QueuedStatement.objects.count()
    QueuedStatement.objects.filter(pk__in=QueuedStatement.objects.values("pk")[:2]).update(tries=3)
    QueuedStatement.objects.filter(
        pk__in=QueuedStatement.objects.filter(tries=0).values("pk")[:1]
    ).update(sent_at=timezone.now())
    client.force_login(facilitator("alice"))
    html = client.get(reverse("facilitator:session", args=[session.id])).content.decode()
    assert "1 statement has reached your organisation" in html
    assert f"{total - 3} are waiting to be sent." in html
    assert "2 could not be sent yet: they are tried again, and nothing is lost." in html


def test_deleting_a_session_deletes_its_learning_records():
    session, _attempt = played_session()
    session_delete(session=session)
    assert not QueuedStatement.objects.exists()


def test_the_admin_seals_the_secret_and_never_shows_it(client):
    session = new_session()
    client.force_login(user("root", superuser=True))
    url = reverse("admin:trainer_organisation_change", args=[session.organisation_id])
    page = client.get(url).content.decode()
    form = {
        "name": session.organisation.name,
        "slug": session.organisation.slug,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "record_store-TOTAL_FORMS": 1,
        "record_store-INITIAL_FORMS": 0,
        "record_store-0-endpoint": "https://lrs.example.org/xAPI/",
        "record_store-0-key": "school-1",
        "record_store-0-secret": "",
        "record_store-0-active": "on",
    }
    refused = client.post(url, form).content.decode()
    assert "Type the store&#x27;s secret: none is stored yet." in refused
    assert not RecordStore.objects.exists()
    response = client.post(url, {**form, "record_store-0-secret": "the secret"})
    assert response.status_code == 302, response.content.decode()
    store = RecordStore.objects.get()
    assert (
        "the secret" not in store.secret_sealed and secret_open(store.secret_sealed) == "the secret"
    )
    page = client.get(url).content.decode()
    assert "the secret" not in page and store.secret_sealed not in page
    kept = {
        **form,
        "record_store-INITIAL_FORMS": 1,
        "record_store-0-id": store.pk,
        "record_store-0-organisation": session.organisation_id,
        "record_store-0-key": "k2",
    }
    assert client.post(url, kept).status_code == 302
    store.refresh_from_db()
    assert store.key == "k2" and secret_open(store.secret_sealed) == "the secret"
