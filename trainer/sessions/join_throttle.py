"""Code guessing, slowed down: a browser, or an address, that typed too many codes matching
nothing in the last minute is asked to wait, whatever it types next.

Counted per browser (JOIN_WRONG_CODES_PER_MINUTE) and per address, with a higher limit
(JOIN_WRONG_CODES_PER_MINUTE_PER_ADDRESS): one pupil's typos slow that pupil down, not the
whole class behind the school's one address (trainer/web/guesses.py says how a burst is
held to the limit). Join codes and return codes are counted apart, each against the same
limits: too many wrong join codes stop joining any session; too many wrong return codes
stop only return codes being looked up, and the player can still join without one.

The wrong codes are rows in the database, not counters in a worker's memory or in a
cache server: every gunicorn worker and every app server behind a load balancer sees the
same count, and a newcomer's SQLite set-up needs nothing more.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from trainer.models import WrongCode
from trainer.web.guesses import Limits, guess_claim, guess_withdraw

WINDOW = timedelta(minutes=1)


def limits() -> Limits:
    return Limits(
        per_browser=settings.JOIN_WRONG_CODES_PER_MINUTE,
        per_address=settings.JOIN_WRONG_CODES_PER_MINUTE_PER_ADDRESS,
        window=WINDOW,
    )


def guess_begin(address: str, browser: str, kind: str = WrongCode.Kind.JOIN) -> WrongCode | None:
    """Count a code about to be looked up as a wrong one, or None when the browser or the
    address must slow down first (nothing is looked up then, nothing counted)."""
    now = timezone.now()
    return guess_claim(
        WrongCode,
        limits=limits(),
        address=address,
        browser=browser,
        now=now,
        time_field="at",
        kind=kind,
    )


def guess_was_right(guess: WrongCode) -> None:
    """The code matched: it was no guess."""
    guess_withdraw(guess)


def guess_was_wrong(guess: WrongCode) -> None:
    """The code matched nothing: the guess stays counted, and every wrong code older than
    the window is forgotten (only wrong codes add rows, so the table stays one window)."""
    WrongCode.objects.filter(at__lte=guess.at - WINDOW).delete()
