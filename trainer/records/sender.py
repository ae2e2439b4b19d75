"""Sending the outbox to each organisation's learning record store (xAPI 1.0.3, Basic auth).

`outbox_send` takes the statements that are due, oldest first, in batches per store: a
batch goes as one POST to <endpoint>/statements. A statement is delivered once the store
answers 200 to its batch, or 204 or 409 to a PUT of it alone (its id is known there
already: xAPI forbids a store to change a statement it has). A store that refuses, is
down or too slow leaves the batch waiting, tried again after 30 s, 1, 2, 4... minutes (at
most an hour apart), forever: nothing is dropped. A batch is leased while it is sent, so a
second worker leaves it alone, and a worker that dies mid-send leaves it to be sent again
(harmlessly: the ids are fixed).

No database transaction is held while a store answers: a slow store never holds up the
players' writes.
"""

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from trainer.models import QueuedStatement, RecordStore
from trainer.records.sealing import SecretUnreadable, secret_open

XAPI_VERSION = "1.0.3"
BATCH = 50
LEASE = timedelta(minutes=2)  # longer than a batch can take: TIMEOUT per request
TIMEOUT = 10  # seconds a store has to answer
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MOST = timedelta(hours=1)


class DeliveryFailed(Exception):
    """The store did not take the batch; the message says why, for the admin."""


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0


def backoff(tries: int) -> timedelta:
    """How long a statement waits after its `tries`-th failed try."""
    return min(BACKOFF_FIRST * 2 ** (tries - 1), BACKOFF_MOST)


def outbox_send(*, now: datetime | None = None, most: int = 10_000) -> SendReport:
    """Send what is due now, batch after batch, until nothing is due (or `most` have been
    tried). Returns how many were delivered and how many failed this time."""
    report = SendReport()
    while report.sent + report.failed < most:
        batch = _claim(now or timezone.now())
        if not batch:
            break
        for store_id, rows in groupby(batch, key=lambda row: row.store_id):
            _deliver(RecordStore.objects.get(pk=store_id), list(rows), report, now)
    return report


def _claim(now: datetime) -> list[QueuedStatement]:
    """Lease the oldest due statements of one store, so no other worker takes them."""
    with transaction.atomic():
        due = QueuedStatement.objects.filter(sent_at__isnull=True, next_try_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        first = due.order_by("id").values_list("store_id", flat=True).first()
        if first is None:
            return []
        rows = list(due.filter(store_id=first).order_by("id")[:BATCH])
        QueuedStatement.objects.filter(pk__in=[row.pk for row in rows]).update(
            next_try_at=now + LEASE
        )
    return rows


def _deliver(store: RecordStore, rows: list[QueuedStatement], report: SendReport, now) -> None:
    ids = [row.pk for row in rows]
    try:
        _post(store, [row.statement for row in rows])
    except DeliveryFailed as failure:
        at = now or timezone.now()
        for row in rows:
            QueuedStatement.objects.filter(pk=row.pk).update(
                tries=F("tries") + 1,
                next_try_at=at + backoff(row.tries + 1),
                last_error=str(failure)[:500],
            )
        report.failed += len(rows)
        return
    QueuedStatement.objects.filter(pk__in=ids).update(sent_at=timezone.now(), last_error="")
    report.sent += len(rows)


def _post(store: RecordStore, statements: list[dict]) -> None:
    try:
        secret = secret_open(store.secret_sealed)
    except SecretUnreadable:
        raise DeliveryFailed(
            "The store's secret was sealed under another SECRET_KEY: type it again in the admin."
        ) from None
    url = store.endpoint.rstrip("/") + "/statements"
    status = _request("POST", url, store.key, secret, statements)
    if status == 200:
        return
    if status != 409:
        raise DeliveryFailed(f"The store answered {status} to {len(statements)} statements.")
    # Some of the batch is known there: each on its own, where 409 means "known".
    for statement in statements:
        one = f"{url}?statementId={statement['id']}"
        status = _request("PUT", one, store.key, secret, statement)
        if status not in (204, 409):
            raise DeliveryFailed(f"The store answered {status} to statement {statement['id']}.")


def _request(method: str, url: str, key: str, secret: str, body) -> int:
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    # The endpoint is an http(s) URL: the admin's URLField takes no other scheme.
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Basic {token}",
            "Content-Type": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError) as error:  # refused, unreachable, timed out
        raise DeliveryFailed(f"The store could not be reached: {error}") from None
