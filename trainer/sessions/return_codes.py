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
  browser's prefetch of the player's page cannot make one.
- Shown on every page where the player finishes (the session's page, the last scenario's
  result, the module's result) until the player presses "I wrote it down" (a POST, a
  compare-and-set on an empty `return_code_kept_at`); drawing a page changes nothing.
- The facilitator can reissue a player's code (they lost it): new words, the old ones stop
  working, and the player's pages show the new ones until written down. The form names the
  round it saw (`return_code_round`), and the update only moves that round, so a double
  click reissues once.
- The numbers are not kept between the POST that makes the code and the page that shows
  it: they are derived again, HMAC-SHA256 under SECRET_KEY of the session, the player's
  browser key, the round and a try number, and checked against the hash. Every copy of
  the finishing POST (a double click, a resend) thus makes the same code, and a response
  lost on the way loses nothing. Deriving needs the site's key and the player's key (a
  random key only the database and the player's cookie hold), so it is no weaker than
  drawing them: whoever holds both the key and the database could try all 2**32 anyway.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
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
# Kazakh letters a Russian keyboard lacks, read as the letters typed for them instead.
_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_SEPARATORS = str.maketrans(dict.fromkeys(",.;:-‐‑–—_/·", " "))


class MalformedReturnCode(ValueError):
    """What was typed is no return code at all: a typing slip, answered without a look-up."""


def fold(word: str) -> str:
    return word.casefold().translate(_FOLD)


_NUMBER_OF_WORD = {fold(word): number for number, row in enumerate(WORDS) for word in row}
# Each folded word as it is written, to suggest for a word typed wrong.
_WRITTEN = {fold(word): word for row in WORDS for word in row}


def nearest_word(typed: str) -> str | None:
    """The word of the list closest to a word that is not on it, in any of the three
    languages: one slip (a letter missed, added, changed, or two swapped) in a word of up to
    five letters, two in a longer one; None when no word, or more than one, is that close."""
    folded = fold(typed)
    allowed = 1 if len(folded) <= 5 else 2
    best, ties = allowed + 1, []
    for word in _WRITTEN:
        if abs(len(word) - len(folded)) > allowed:
            continue
        distance = _slips(folded, word)
        if distance < best:
            best, ties = distance, [word]
        elif distance == best:
            ties.append(word)
    return _WRITTEN[ties[0]] if len(ties) == 1 else None


def _slips(a: str, b: str) -> int:
    """Edits from a to b: letters inserted, deleted, replaced, or two neighbours swapped
    (the optimal string alignment distance)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[len(a)][len(b)]


def code_numbers(player: SessionPlayer, attempt: int, secret: str | None = None) -> tuple[int, ...]:
    """The player's code at try `attempt` (a clash in the session tries the next), derived
    under the site's key (or `secret`, a key it replaced) from the player's browser key and
    the round of the code (the first round's derivation is the one codes had before
    reissuing, so those still read)."""
    value = f"{player.session_id}:{player.player_key}:{attempt}"
    if player.return_code_round:
        value += f":round-{player.return_code_round}"
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
        said = []
        for word in unknown:
            nearest = nearest_word(word)
            if nearest:
                said.append(
                    _("“%(word)s” is not a word of return codes: did you mean “%(nearest)s”?")
                    % {"word": word, "nearest": nearest}
                )
            else:
                said.append(_("“%(word)s” is not a word of return codes.") % {"word": word})
        said.append(_("Check the words and type them again."))
        raise MalformedReturnCode(" ".join(said))
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
    """What a page where the player finishes says about their return code."""

    code: str = ""  # the session's join code: its page and "I wrote it down" post there
    words: tuple[str, ...] = ()  # the code, until the player says they wrote it down
    round: int = 0  # of the code shown: "I wrote it down" confirms that one
    kept: bool = False  # the player said they wrote it down
    ready: bool = False  # a code to be made by pressing a button: a POST
    linked: bool = False  # joined this follow-up with a return code


def return_code_panel(
    *, session: TrainingSession, player: SessionPlayer, all_played: bool
) -> ReturnCodePanel:
    """Drawing the player's page makes and marks nothing. A code made by the POST that
    finished is shown until the player says they wrote it down; afterwards, that they did.
    A player who finished without a code being made (before codes were made that way) is
    offered the button that makes it, while the session is open."""
    linked = player.returning_from_id is not None
    code = session.code
    if player.return_code_kept_at is not None:
        return ReturnCodePanel(code=code, kept=True, linked=linked)
    if not player.return_code_hash:
        done = not session.is_closed and player_done(
            session=session, player=player, all_played=all_played
        )
        return ReturnCodePanel(code=code, ready=done, linked=linked)
    numbers = issued_numbers(player)
    if numbers is None:  # made under a key the site no longer has
        return ReturnCodePanel(code=code, linked=linked)
    words = tuple(code_words(numbers).split())
    return ReturnCodePanel(code=code, words=words, round=player.return_code_round, linked=linked)


def finishing_panel(*, player_key: str, session_code: str | None) -> ReturnCodePanel | None:
    """The panel for a result page of a session (the last scenario's, the module's): the
    player's code while it waits to be written down, else None. At most one query."""
    if not session_code:
        return None
    player = (
        SessionPlayer.objects.filter(
            session__code=session_code, player_key=player_key, return_code_kept_at__isnull=True
        )
        .exclude(return_code_hash="")
        .select_related("session")
        .first()
    )
    if player is None:
        return None
    panel = return_code_panel(session=player.session, player=player, all_played=True)
    return panel if panel.words else None


def return_code_keep(*, player: SessionPlayer, round: int) -> bool:
    """The player says they wrote down the code of `round`: it is no longer shown. False
    when that code is not theirs any more (reissued since) or was confirmed already."""
    return bool(
        SessionPlayer.objects.filter(
            pk=player.pk, return_code_round=round, return_code_kept_at__isnull=True
        )
        .exclude(return_code_hash="")
        .update(return_code_kept_at=timezone.now())
    )


def return_code_reissue(*, player: SessionPlayer, seen_round: int) -> tuple[int, ...] | None:
    """New words for the player's code (they lost it), the old ones no longer valid, shown
    on their pages until written down again. Only the round the facilitator saw moves on:
    a second copy of the same click finds it moved and reissues nothing (None)."""
    player = SessionPlayer.objects.filter(pk=player.pk, return_code_round=seen_round).first()
    if player is None or not player.return_code_hash:
        return None
    player.return_code_round = seen_round + 1
    for attempt in range(_ISSUE_TRIES):
        numbers = code_numbers(player, attempt)
        try:
            with transaction.atomic():
                moved = SessionPlayer.objects.filter(
                    pk=player.pk, return_code_round=seen_round
                ).update(
                    return_code_round=seen_round + 1,
                    return_code_hash=code_hash(player.session_id, numbers),
                    return_code_kept_at=None,
                )
        except IntegrityError:
            continue  # another player of the session has these words: the next try
        return numbers if moved else None
    raise RuntimeError(f"no free return code after {_ISSUE_TRIES} tries")


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
