"""Throttling guesses at /verify/ per browser and per client address.

Every code asked for that matches no certificate is a row (VerifyFailure), kept for
VERIFY_WINDOW; a browser with VERIFY_LIMIT rows in the window, or an address with
VERIFY_LIMIT_PER_ADDRESS, is refused, even for a real code, until its oldest row of those
ages out. Per browser as well as per address, with a higher limit for the address, so one
pupil mistyping codes does not stop the rest of the school behind its one address
(trainer/web/guesses.py holds a burst to the limit). The rows live in the database, not in
process memory: gunicorn runs several workers, and a deployment several app servers, each
of which would otherwise count only the guesses it happened to receive (multiplying the
limit by their number) and forget them all when it restarts.
"""

from datetime import datetime, timedelta

from trainer.models import VerifyFailure
from trainer.web.guesses import Limits, guess_claim, guess_wait, guess_withdraw

VERIFY_WINDOW = timedelta(hours=1)
# Enough for a person who mistypes a few codes, or an employer checking many real ones
# (only codes that match nothing count); nothing for someone trying 2^80 codes.
VERIFY_LIMIT = 20
VERIFY_LIMIT_PER_ADDRESS = 100
LIMITS = Limits(
    per_browser=VERIFY_LIMIT, per_address=VERIFY_LIMIT_PER_ADDRESS, window=VERIFY_WINDOW
)


def verify_guess_begin(address: str, browser: str, now: datetime) -> VerifyFailure | None:
    """Count a code about to be looked up as a failure, or None when the browser or the
    address must wait first."""
    return guess_claim(
        VerifyFailure,
        limits=LIMITS,
        address=address,
        browser=browser,
        now=now,
        time_field="failed_at",
    )


def verify_guess_was_right(guess: VerifyFailure) -> None:
    guess_withdraw(guess)


def verify_guess_was_wrong(guess: VerifyFailure) -> None:
    """The guess stays counted; every failure older than the window is forgotten, so the
    table holds at most one window of failures."""
    VerifyFailure.objects.filter(failed_at__lte=guess.failed_at - VERIFY_WINDOW).delete()


def verify_wait(address: str, browser: str, now: datetime) -> timedelta:
    """How long a refused browser or address waits before it may look up a code."""
    return guess_wait(
        VerifyFailure,
        limits=LIMITS,
        address=address,
        browser=browser,
        now=now,
        time_field="failed_at",
    )
