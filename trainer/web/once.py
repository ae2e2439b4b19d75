"""Act once, answer every repeat as the first.

A double click, a resent form, the back button, or one request sent many times at once
must not make two sessions, two players, two runs or two attempts, and every copy must get
the answer the first got (the same redirect). Every write a person can repeat that way
goes through `act_once(key, act)`: the first request with a key claims it, as the primary
key of an `ActedOnce` row, in the transaction that acts, and stores the answer (the id of
what it made); every other request with that key gets the stored answer.

Why a key table rather than a time window ("the same title within 30 seconds") or a
look for "a row nobody has touched yet": the database holds a unique key under any
concurrency. On PostgreSQL a second insert of the same key waits for the first
transaction and fails only if that one committed (if it rolled back, the second acts in
its place); on SQLite writers take turns anyway (transaction_mode IMMEDIATE). A window
guesses what a repeat looks like, lets a slow repeat through and takes a quick second
intent for a repeat; a look-then-insert lets two requests at the same moment both miss.

Where a key comes from:
- A form that makes something new carries a token drawn when the page was rendered
  (`<input type="hidden" name="once" value="{{ once_token }}">`; `once_token` is given to
  every template by `once_context`). Every copy of that form carries the same token; the
  page loaded again carries a new one, which is a new intent. `form_key` reads it.
- Where what is made is unique by nature (a browser's place in a session, a run's attempt
  at one of its scenarios), the key names that and needs no token.
A key is scoped by what it acts on and who asks (a player's key, a staff member's id),
so nobody can reach another person's answer with a token of theirs.
"""

import re
import secrets
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from trainer.models import ActedOnce

ONCE_FIELD = "once"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def once_context(request: HttpRequest) -> dict:
    """A context processor: a fresh token for the forms of the page, drawn only if used."""
    return {"once_token": SimpleLazyObject(lambda: secrets.token_urlsafe(16))}


def form_key(request: HttpRequest, *scope: object) -> str | None:
    """The key of the posted form's token under `scope`, or None when the form carries
    none (a page rendered before tokens, or a hand-made request): it then acts as it is."""
    token = request.POST.get(ONCE_FIELD, "")
    if not _TOKEN.fullmatch(token) or any(part is None for part in scope):
        return None
    return ":".join([*(str(part) for part in scope), token])


def act_once(key: str | None, act: Callable[[], object]) -> str:
    """Run `act` for the first request with `key` and return its answer (as a string);
    return that same answer to every other request with the key, without acting.

    When `act` raises, nothing is kept, the key included: the next request acts afresh.
    Without a key, `act` simply runs."""
    if key is None:
        return str(act())
    try:
        with transaction.atomic():
            ActedOnce.objects.create(key=key)  # first: a copy waits here for this one
            answer = str(act())
            ActedOnce.objects.filter(key=key).update(answer=answer)
            return answer
    except IntegrityError:
        # The key was claimed by a request that committed (if it was still running, this
        # one waited for it). An IntegrityError of `act` itself leaves no key: raised again.
        first = ActedOnce.objects.filter(key=key).values_list("answer", flat=True).first()
        if first is None:
            raise
        return first
