"""Return codes: four easy words a player is shown once at the end of a session, to link
themselves to it when they join its follow-up weeks later.

- A code is four numbers from 0 to 255: 2**32 codes. Among even 500
  players of a session, a guess names one of them once in about 8.6 million tries; at the
  limit of 30 wrong return codes a minute from an address (10 from a browser;
  trainer.sessions.join_throttle), that is about 200 days of guessing, on average, for one link.
- It is shown as words of trainer.sessions.return_words in the language of the page and
  read back in any of the three: case, spaces, dashes and commas do not matter, nor ё typed
  as е, nor Kazakh letters typed as their Russian look-alikes (қ as к, і as и...).
- Nothing personal is in it, and only a keyed hash of it is kept: HMAC-SHA256, under the
  site's SECRET_KEY, of the session's id and the four numbers. The session's id salts it
  (the same words hash differently in two sessions); the key keeps a copy of the database
  alone from reading codes back by trying all 2**32. A SECRET_KEY rotated with the old one
  kept in SECRET_KEY_FALLBACKS still reads them; one replaced outright makes the codes
  already handed out unreadable.
- Made in the POST that finishes (the last answer, or the check after the scenarios), by
  a compare-and-set on an empty hash; never while a page is drawn, so a link preview or a
  browser's prefetch of the player's page cannot use it up.
- Shown once, on the player's page after that: the page marks the code shown by a
  compare-and-set on an empty `return_code_shown_at`, so two loads at the same moment show
  it once between them, and afterwards says only that it was shown. A prefetch (which a
  browser sends with `Sec-Purpose: prefetch`) marks nothing: its page offers a button.
- The numbers are not kept between the POST that makes the code and the page that shows
  it: they are derived again, HMAC-SHA256 under SECRET_KEY of the session, the player's
  browser key and a try number, and checked against the hash. Every copy of the finishing
  POST (a double click, a resend) thus makes the same code, and a response lost on the
  way loses nothing. Deriving needs the site's key and the player's key (a random key only
  the database and the player's cookie hold), so it is no weaker than drawing them:
  whoever holds both the key and the database could try all 2**32 anyway.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trainer.models import (
    Attempt,
    CheckAnswer,
    CheckPhase,
    DrawnItem,
    ModuleRun,
    SessionPlayer,
    SessionScenario,
    TrainingSession,
    WrongCode,
)
from trainer.sessions import join_throttle
from trainer.sessions.return_words import LANGUAGES, WORDS
from trainer.sessions.services import ReturnCodeRefused, return_code_used

CODE_WORDS = 4
_HASH_SALT = "saq.return-code"
_NUMBERS_SALT = "saq.return-code-numbers"
_ISSUE_TRIES = 5
# Prefetches and previews as browsers announce them: they must not use a code up.
_PREFETCH_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
# Kazakh letters a Russian keyboard lacks, read as the letters typed for them instead.
_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_SEPARATORS = str.maketrans(dict.fromkeys(",.;:-‐‑–—_/·", " "))


class MalformedReturnCode(ValueError):
    """What was typed is no return code at all: a typing slip, answered without a look-up."""


def fold(word: str) -> str:
    return word.casefold().translate(_FOLD)


_NUMBER_OF_WORD = {fold(word): number for number, row in enumerate(WORDS) for word in row}


def code_numbers(player: SessionPlayer, attempt: int, secret: str | None = None) -> tuple[int, ...]:
    """The player's code at try `attempt` (a clash in the session tries the next), derived
    under the site's key (or `secret`, a key it replaced) from the player's browser key."""
    value = f"{player.session_id}:{player.player_key}:{attempt}"
    digest = salted_hmac(_NUMBERS_SALT, value, secret=secret, algorithm="sha256").digest()
    return tuple(byte % len(WORDS) for byte in digest[:CODE_WORDS])


def code_words(numbers: tuple[int, ...], language: str | None = None) -> str:
    """The code as words of a language: the page's, or English for one the list lacks."""
    language = (language or get_language() or "")[:2]
    column = LANGUAGES.index(language) if language in LANGUAGES else 0
    return " ".join(WORDS[number][column] for number in numbers)


def parse(typed: str) -> tuple[int, ...]:
    """The numbers of a typed code; MalformedReturnCode saying what is wrong with it."""
    words = typed.translate(_SEPARATORS).split()
    unknown = [word for word in words if fold(word) not in _NUMBER_OF_WORD]
    if unknown:
        raise MalformedReturnCode(
            _("“%(words)s” is not a word of return codes. Check the words and type them again.")
            % {"words": " ".join(unknown)}
        )
    if len(words) != CODE_WORDS:
        raise MalformedReturnCode(
            _("A return code is %(count)d words; you typed %(typed)d.")
            % {"count": CODE_WORDS, "typed": len(words)}
        )
    return tuple(_NUMBER_OF_WORD[fold(word)] for word in words)


def code_hash(session_id, numbers: tuple[int, ...], secret: str | None = None) -> str:
    value = f"{session_id}:{'.'.join(map(str, numbers))}"
    return salted_hmac(_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()


def _hashes(session_id, numbers: tuple[int, ...]) -> list[str]:
    """The code's hash under the current key and under every key it replaced."""
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [code_hash(session_id, numbers, secret) for secret in secrets_in_use]


def return_code_issue(*, player: SessionPlayer) -> tuple[int, ...] | None:
    """Make the player's code, stored as its hash; None when it was made already (by this
    request's copy, or before). Only a POST calls it."""
    for attempt in range(_ISSUE_TRIES):
        numbers = code_numbers(player, attempt)
        try:
            with transaction.atomic():
                issued = SessionPlayer.objects.filter(pk=player.pk, return_code_hash="").update(
                    return_code_hash=code_hash(player.session_id, numbers)
                )
        except IntegrityError:
            continue  # another player of the session has the same code: the next try
        return numbers if issued else None
    raise RuntimeError(f"no free return code after {_ISSUE_TRIES} tries")


def issued_numbers(player: SessionPlayer) -> tuple[int, ...] | None:
    """The numbers of the player's code, derived again and checked against its hash; None
    when it has none, or the key it was made under is neither SECRET_KEY nor a fallback."""
    if not player.return_code_hash:
        return None
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for secret in secrets_in_use:
        for attempt in range(_ISSUE_TRIES):
            numbers = code_numbers(player, attempt, secret)
            if code_hash(player.session_id, numbers, secret) == player.return_code_hash:
                return numbers
    return None


def return_code_after_finish(
    *, player_key: str, session_code: str | None = None, run_id: uuid.UUID | None = None
) -> tuple[int, ...] | None:
    """Called by a POST that may have finished the player's last part of a session: an
    answer that ended an attempt in the session `session_code`, or the check after the
    scenarios of the run `run_id`. Makes their code if they have finished everything
    while the session is open, and returns it; None otherwise (and for a repeat)."""
    players = SessionPlayer.objects.filter(player_key=player_key, return_code_hash="")
    if run_id is not None:
        players = players.filter(session__module_runs=run_id)
    else:
        players = players.filter(session__code=session_code)
    player = _with_scenarios_played(players.select_related("session")).first()
    if player is None or player.session.is_closed:
        return None
    all_played = player.finished_scenarios >= player.session_scenarios
    if not player_done(session=player.session, player=player, all_played=all_played):
        return None
    return return_code_issue(player=player)


def _with_scenarios_played(players: QuerySet) -> QuerySet:
    """The players, each with their session's number of scenarios and how many of them
    they finished, counted in the same query."""

    def count(rows: QuerySet) -> Subquery:
        return Subquery(
            rows.order_by().values("session_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        )

    scenarios = SessionScenario.objects.filter(session_id=OuterRef("session_id"))
    finished = Attempt.objects.filter(
        session_id=OuterRef("session_id"),
        player_key=OuterRef("player_key"),
        finished_at__isnull=False,
    )
    return players.annotate(
        session_scenarios=Coalesce(count(scenarios), 0),
        finished_scenarios=Coalesce(count(finished), 0),
    )


def player_done(*, session: TrainingSession, player: SessionPlayer, all_played: bool) -> bool:
    """Has the player finished everything in the session: every scenario, and the check
    after them in any module run of theirs in the session that has a check?"""
    if not all_played:
        return False
    runs = (
        ModuleRun.objects.filter(session=session, player_key=player.player_key)
        .annotate(
            has_check=Exists(DrawnItem.objects.filter(run=OuterRef("pk"))),
            after=Exists(CheckAnswer.objects.filter(run=OuterRef("pk"), phase=CheckPhase.AFTER)),
        )
        .values_list("has_check", "after", "finished_at")
    )
    return all(finished or not has_check or after for has_check, after, finished in runs)


@dataclass(frozen=True)
class ReturnCodePanel:
    """What the player's session page says about return codes."""

    words: tuple[str, ...] = ()  # the code, this once
    shown_before: bool = False
    ready: bool = False  # a code to be shown (or made) by pressing a button: a POST
    linked: bool = False  # joined this follow-up with a return code


def is_prefetch(request: HttpRequest) -> bool:
    """A request the browser sent ahead of the player, or a link preview that says so."""
    return any(
        value.lower().strip() in ("prefetch", "prerender", "preview")
        for header in _PREFETCH_HEADERS
        for value in request.headers.get(header, "").split(";")[:1]
    )


def return_code_panel(
    *, request: HttpRequest, session: TrainingSession, player: SessionPlayer, all_played: bool
) -> ReturnCodePanel:
    """Drawing the player's page makes no code. A code made by the POST that finished is
    shown the first time the page is seen (and marked shown); that it was shown, every
    time after. A prefetch shows and marks nothing: it offers the button. A player who
    finished without a code being made (before codes were made that way) is offered the
    button that makes it, while the session is open."""
    linked = player.returning_from_id is not None
    if player.return_code_shown_at is not None:
        return ReturnCodePanel(shown_before=True, linked=linked)
    if not player.return_code_hash:
        done = not session.is_closed and player_done(
            session=session, player=player, all_played=all_played
        )
        return ReturnCodePanel(ready=done, linked=linked)
    numbers = issued_numbers(player)
    if numbers is None or is_prefetch(request):
        return ReturnCodePanel(ready=numbers is not None, linked=linked)
    shown = SessionPlayer.objects.filter(pk=player.pk, return_code_shown_at__isnull=True).update(
        return_code_shown_at=timezone.now()
    )
    if not shown:  # another load of the page, at the same moment, showed it
        return ReturnCodePanel(shown_before=True, linked=linked)
    return ReturnCodePanel(words=tuple(code_words(numbers).split()), linked=linked)


def return_code_reveal(*, session: TrainingSession, player: SessionPlayer) -> None:
    """The button's POST: make the player's code if they have finished everything and have
    none yet; the page it leads back to shows it."""
    return_code_after_finish(player_key=player.player_key, session_code=session.code)


def returning_player_find(
    *,
    session: TrainingSession,
    numbers: tuple[int, ...],
    address: str,
    player_key: str,
    browser: str = "",
) -> SessionPlayer:
    """The player of the earlier session whose code this is, for the browser `player_key`
    joining its follow-up. ReturnCodeRefused, saying why, when the session is no follow-up,
    the browser or the address has typed too many wrong codes, no player has the code
    (counted against both) or another browser has joined this follow-up with it already
    (the same one, sending Join twice, gets its link back)."""
    if session.follow_up_of_id is None:
        raise ReturnCodeRefused(
            _("This session is not a follow-up, so it takes no return code. Empty the field.")
        )
    guess = join_throttle.guess_begin(address, browser, WrongCode.Kind.RETURN)
    if guess is None:
        raise ReturnCodeRefused(
            _(
                "Too many return codes that match nobody were typed from this network in the "
                "last minute. Wait a minute and try again, or join without one."
            )
        )
    used = SessionPlayer.objects.filter(session=session, returning_from=OuterRef("pk")).exclude(
        player_key=player_key
    )
    found = (
        SessionPlayer.objects.filter(
            session_id=session.follow_up_of_id,
            return_code_hash__in=_hashes(session.follow_up_of_id, numbers),
        )
        .annotate(used=Exists(used))
        .first()
    )
    if found is None:
        join_throttle.guess_was_wrong(guess)
        raise ReturnCodeRefused(
            _(
                "No player of the earlier session was given this return code. Check the words, "
                "or empty the field to join without it."
            )
        )
    join_throttle.guess_was_right(guess)
    if found.used:
        raise return_code_used()
    return found
