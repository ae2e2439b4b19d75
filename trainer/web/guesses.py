"""Guesses at codes (join codes, return codes, certificate codes), counted per browser and
per address, the check and the count in one step. The join and verify throttles use it.

Why both, with a higher limit per address: a guesser is slowed by the browser's count, a
school behind one NAT address is not stopped by one pupil's typing, and a guesser who
throws the cookie away still meets the address's limit (docs/security.md says more).

Counting first, then checking: the guess is written, then the guesses in the window are
counted, its own included, and one past a limit is taken back and refused. Each write is
committed before its count is made, so of any number of guesses sent at once, the k-th
written sees at least k: no more than the limit get through, on SQLite and on PostgreSQL,
however many workers answer them. (A look-then-write lets a burst all through the look.)
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest

from trainer.web.player import player_key


@dataclass(frozen=True)
class Limits:
    per_browser: int
    per_address: int
    window: timedelta


def browser_of(request: HttpRequest) -> str:
    """The browser's player key, hashed (a throttle row needs no key that plays as the
    player); "" for a browser without one, counted by its address alone."""
    key = player_key(request)
    return hashlib.sha256(key.encode()).hexdigest()[:32] if key else ""


def _counts(recent: QuerySet, address: str, browser: str) -> dict[str, int]:
    """The guesses in the window of this address and of this browser: one query."""
    if not browser:
        return {"by_address": recent.filter(address=address).count(), "by_browser": 0}
    return recent.filter(Q(address=address) | Q(browser=browser)).aggregate(
        by_address=Count("pk", filter=Q(address=address)),
        by_browser=Count("pk", filter=Q(browser=browser)),
    )


def guess_claim(
    model: type[Model],
    *,
    limits: Limits,
    address: str,
    browser: str,
    now: datetime,
    time_field: str,
    **fields,
) -> Model | None:
    """Count a guess, or refuse it (None, nothing counted) when its browser or its address
    is already at its limit in the window. The caller takes the row back with
    `guess_withdraw` when the code turns out right: only wrong codes are guesses."""
    row = model.objects.create(address=address, browser=browser, **{time_field: now}, **fields)
    recent = model.objects.filter(**fields, **{f"{time_field}__gt": now - limits.window})
    counts = _counts(recent, address, browser)
    if counts["by_address"] > limits.per_address or counts["by_browser"] > limits.per_browser:
        row.delete()
        return None
    return row


def guess_withdraw(row: Model) -> None:
    row.delete()


def guess_wait(
    model: type[Model],
    *,
    limits: Limits,
    address: str,
    browser: str,
    now: datetime,
    time_field: str,
    **fields,
) -> timedelta:
    """How long until a refused browser or address may guess again: until the oldest of the
    guesses that fill its limit leaves the window."""
    recent = model.objects.filter(**fields, **{f"{time_field}__gt": now - limits.window})
    waits = [
        _oldest_wait(recent.filter(address=address), limits.per_address, limits, now, time_field)
    ]
    if browser:
        by_browser = recent.filter(browser=browser)
        waits.append(_oldest_wait(by_browser, limits.per_browser, limits, now, time_field))
    return max(waits)


def _oldest_wait(recent: QuerySet, limit: int, limits: Limits, now, time_field: str) -> timedelta:
    filling = recent.order_by(f"-{time_field}").values_list(time_field, flat=True)[
        limit - 1 : limit
    ]
    return filling[0] + limits.window - now if filling else timedelta(0)
