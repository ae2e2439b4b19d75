"""Return codes: four easy words a player is shown once at the end of a session, to link
themselves to it when they join its follow-up weeks later.

- A code is four numbers from 0 to 255 drawn with `secrets`: 2**32 codes. Among even 500
  players of a session, a guess names one of them once in about 8.6 million tries; at the
  limit of 10 wrong return codes a minute from an address (trainer.sessions.join_throttle),
  that is more than a year of guessing, on average, for one link.
- It is shown as words of trainer.sessions.return_words in the language of the page and
  read back in any of the three: case, spaces, dashes and commas do not matter, nor ё typed
  as е, nor Kazakh letters typed as their Russian look-alikes (қ as к, і as и...).
- Nothing personal is in it, and only a keyed hash of it is kept: HMAC-SHA256, under the
  site's SECRET_KEY, of the session's id and the four numbers. The session's id salts it
  (the same words hash differently in two sessions); the key keeps a copy of the database
  alone from reading codes back by trying all 2**32. A SECRET_KEY rotated with the old one
  kept in SECRET_KEY_FALLBACKS still reads them; one replaced outright makes the codes
  already handed out unreadable.
- Shown once: the hash is written by a compare-and-set on an empty hash, so two page loads
  at the same moment show one code between them; afterwards the page only says that a
  code was shown.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trainer.models import (
    CheckAnswer,
    CheckPhase,
    DrawnItem,
    ModuleRun,
    SessionPlayer,
    TrainingSession,
    WrongCode,
)
from trainer.sessions import join_throttle
from trainer.sessions.return_words import LANGUAGES, WORDS
from trainer.sessions.services import ReturnCodeRefused, return_code_used

CODE_WORDS = 4
_HASH_SALT = "saq.return-code"
_ISSUE_TRIES = 5
# Kazakh letters a Russian keyboard lacks, read as the letters typed for them instead.
_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_SEPARATORS = str.maketrans(dict.fromkeys(",.;:-‐‑–—_/·", " "))


class MalformedReturnCode(ValueError):
    """What was typed is no return code at all: a typing slip, answered without a look-up."""


def fold(word: str) -> str:
    return word.casefold().translate(_FOLD)


_NUMBER_OF_WORD = {fold(word): number for number, row in enumerate(WORDS) for word in row}


def new_numbers() -> tuple[int, ...]:
    return tuple(secrets.randbelow(len(WORDS)) for _ in range(CODE_WORDS))


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
    """A fresh code for the player, stored as its hash; None when one was issued already
    (to them, or by a request at the same moment): a code is shown once."""
    for _try in range(_ISSUE_TRIES):
        numbers = new_numbers()
        try:
            with transaction.atomic():
                issued = SessionPlayer.objects.filter(pk=player.pk, return_code_hash="").update(
                    return_code_hash=code_hash(player.session_id, numbers),
                    return_code_shown_at=timezone.now(),
                )
        except IntegrityError:
            continue  # another player of the session drew the same code: draw again
        return numbers if issued else None
    raise RuntimeError(f"no free return code after {_ISSUE_TRIES} tries")


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
    linked: bool = False  # joined this follow-up with a return code


def return_code_panel(
    *, session: TrainingSession, player: SessionPlayer, all_played: bool
) -> ReturnCodePanel:
    """The code the first time the page is seen with everything finished, while the
    session is open; that a code was shown, every time after."""
    linked = player.returning_from_id is not None
    if player.return_code_hash:
        return ReturnCodePanel(shown_before=True, linked=linked)
    if session.is_closed or not player_done(session=session, player=player, all_played=all_played):
        return ReturnCodePanel(linked=linked)
    numbers = return_code_issue(player=player)
    if numbers is None:
        return ReturnCodePanel(shown_before=True, linked=linked)
    return ReturnCodePanel(words=tuple(code_words(numbers).split()), linked=linked)


def returning_player_find(
    *, session: TrainingSession, numbers: tuple[int, ...], address: str, player_key: str
) -> SessionPlayer:
    """The player of the earlier session whose code this is, for the browser `player_key`
    joining its follow-up. ReturnCodeRefused, saying why, when the session is no follow-up,
    the address has typed too many wrong codes, no player has the code (counted against the
    address) or another browser has joined this follow-up with it already (the same one,
    sending Join twice, gets its link back)."""
    if session.follow_up_of_id is None:
        raise ReturnCodeRefused(
            _("This session is not a follow-up, so it takes no return code. Empty the field.")
        )
    if join_throttle.is_throttled(address, WrongCode.Kind.RETURN):
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
        join_throttle.wrong_code_note(address, WrongCode.Kind.RETURN)
        raise ReturnCodeRefused(
            _(
                "No player of the earlier session was given this return code. Check the words, "
                "or empty the field to join without it."
            )
        )
    if found.used:
        raise return_code_used()
    return found
