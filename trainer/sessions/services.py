"""Workflows of a session: make it (or a follow-up to an earlier one), join it, start its
scenarios, close it, delete it.

Each is safe to repeat: a double-clicked Join or Start, or one sent many times at once,
gives one player (with one run of the session's module, if it has one) and one attempt,
Make the session is acted on once per form (trainer.web.once, in the view), and closing a
closed session changes nothing.
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scenarios.models import Module, Scenario
from trainer.models import (
    ActedOnce,
    Attempt,
    ModuleRun,
    Organisation,
    QueuedStatement,
    SessionPlayer,
    SessionScenario,
    TrainingSession,
    WrongCode,
)
from trainer.play.services import SessionClosed, session_attempt_begin
from trainer.records import services as records
from trainer.runs.progress import session_run_progress
from trainer.runs.services import module_run_new, run_attempt
from trainer.sessions import codes
from trainer.web.once import act_once

NICKNAME_MAX = 24
_CODE_TRIES = 20


class JoinRefused(Exception):
    """The player cannot join; the message says why, and nothing was stored."""


class ReturnCodeRefused(JoinRefused):
    """The return code typed cannot link the player; joining without it still works."""


def return_code_used() -> ReturnCodeRefused:
    return ReturnCodeRefused(
        _(
            "Someone has already joined this session with this return code. Empty the field "
            "to join without it, and tell the facilitator."
        )
    )


def module_scenarios(module: Module) -> list[Scenario]:
    """A module's scenarios in their order."""
    return [
        entry.scenario
        for entry in module.entries.select_related("scenario__current_version").order_by("order")
    ]


def session_create(
    *,
    organisation: Organisation,
    created_by,
    title: str,
    language: str,
    scenarios: Sequence[Scenario],
    module: Module | None = None,
    follow_up_of: TrainingSession | None = None,
) -> TrainingSession:
    """A new open session with a fresh join code, its scenarios in the order given, each on
    its version published now. The scenarios must be published and in the session's language
    (the form checks it and says so; this is the last guard). A follow-up follows an earlier
    session of the same organisation, never another's."""
    if not scenarios:
        raise ValueError("a session needs at least one scenario")
    if follow_up_of is not None and follow_up_of.organisation_id != organisation.pk:
        raise ValueError("a follow-up belongs to the organisation of the session it follows")
    for scenario in scenarios:
        if scenario.current_version_id is None or scenario.language != language:
            raise ValueError(f"{scenario} is not published in {language}")
    for _try in range(_CODE_TRIES):
        code = codes.new_code()
        try:
            with transaction.atomic():
                session = TrainingSession.objects.create(
                    organisation=organisation,
                    created_by=created_by,
                    title=title,
                    language=language,
                    module=module,
                    code=code,
                    follow_up_of=follow_up_of,
                )
                SessionScenario.objects.bulk_create(
                    SessionScenario(
                        session=session,
                        number=number,
                        scenario=scenario,
                        version_id=scenario.current_version_id,
                    )
                    for number, scenario in enumerate(scenarios, start=1)
                )
                return session
        except IntegrityError:
            if not TrainingSession.objects.filter(code=code).exists():
                raise  # not a code that was taken: a real problem
    raise RuntimeError(f"no free join code after {_CODE_TRIES} tries")


def nickname_clean(typed: str) -> str:
    """The nickname with its spaces tidied; JoinRefused when it cannot be one."""
    nickname = " ".join(typed.split())
    if not nickname:
        raise JoinRefused(_("Type a nickname."))
    if len(nickname) > NICKNAME_MAX:
        raise JoinRefused(_("A nickname has at most %(max)d characters.") % {"max": NICKNAME_MAX})
    if not nickname.isprintable():
        raise JoinRefused(_("A nickname can only hold letters, digits, spaces and punctuation."))
    if "@" in nickname or sum(ch.isdigit() for ch in nickname) >= 6:
        # A training site about personal data keeps none: no e-mail, no phone number.
        raise JoinRefused(_("Use a nickname, not an e-mail address or a phone number."))
    return nickname


def session_join(
    *,
    session: TrainingSession,
    player_key: str,
    nickname: str,
    returning_from: SessionPlayer | None = None,
) -> SessionPlayer:
    """Add the browser to the session under a nickname unique in it (whatever its case),
    linked, in a follow-up, to the player of the earlier session it is returning from
    (found by trainer.sessions.return_codes.returning_player_find).

    A browser joins a session once: one that has joined gets its player back, and copies
    of one Join sent at the same moment are acted on once and each answered with the
    player the first made (trainer.web.once, keyed by the session and the browser).
    Raises JoinRefused when the session is closed (read again, locked, in the transaction
    that adds the player, so a close cannot land in between) or the nickname is taken or
    unfit, and ReturnCodeRefused when someone joined with the same return code first.
    """
    existing = SessionPlayer.objects.filter(session=session, player_key=player_key).first()
    if existing is not None:
        return existing
    made: list[SessionPlayer] = []

    def add() -> int:
        made.append(_player_add(session, player_key, nickname, returning_from))
        return made[0].pk

    try:
        player_id = act_once(_join_key(session, player_key), add)
    except IntegrityError:
        # Another browser took the nickname or the return code at the same moment (or this
        # one joined by a way that kept no key).
        existing = SessionPlayer.objects.filter(session=session, player_key=player_key).first()
        if existing is not None:
            return existing
        if returning_from is not None and (
            SessionPlayer.objects.filter(session=session, returning_from=returning_from).exists()
        ):
            raise return_code_used() from None
        raise _nickname_taken(nickname_clean(nickname)) from None
    return made[0] if made else SessionPlayer.objects.get(pk=player_id)


def _join_key(session: TrainingSession, player_key: str) -> str:
    return f"join:{session.pk}:{player_key}"


def _player_add(
    session: TrainingSession,
    player_key: str,
    nickname: str,
    returning_from: SessionPlayer | None,
) -> SessionPlayer:
    """The new player, added in the caller's transaction; IntegrityError when another
    browser took the nickname or the return code at the same moment."""
    still_open = TrainingSession.objects.select_for_update().filter(
        pk=session.pk, closed_at__isnull=True
    )
    if not still_open.exists():  # closed since `session` was read, perhaps
        raise JoinRefused(
            _("This session has been closed by its facilitator: it takes no new players.")
        )
    nickname = nickname_clean(nickname)
    nickname_key = nickname.casefold()
    if SessionPlayer.objects.filter(session=session, nickname_key=nickname_key).exists():
        raise _nickname_taken(nickname)
    player = SessionPlayer.objects.create(
        session=session,
        player_key=player_key,
        nickname=nickname,
        nickname_key=nickname_key,
        returning_from=returning_from,
    )
    if session.module_id is not None:
        # The player's way through the module: its check before and after the scenarios,
        # with items drawn for them now, as for a run played alone.
        module_run_new(player_key=player_key, module_id=session.module_id, session_id=session.id)
        records.module_launched(session_id=session.id, player_key=player_key)
    return player


def _nickname_taken(nickname: str) -> JoinRefused:
    return JoinRefused(
        _("Someone in this session is already called “%(nickname)s”. Choose another nickname.")
        % {"nickname": nickname}
    )


def session_attempt_start(*, session: TrainingSession, player_key: str, number: int) -> uuid.UUID:
    """The player's attempt at the session's scenario `number`, begun on the session's
    version if there is none yet. Raises SessionScenario.DoesNotExist for a number the
    session does not have, and SessionClosed once the session is closed.

    A player with a run of the session's module goes through it as the run says: the check
    before first, then the scenarios in order (RunRefused says what comes first)."""
    progress = session_run_progress(session_id=session.id, player_key=player_key)
    if progress is not None:
        # The run's scenarios are the session's, in the order of their numbers.
        if not 1 <= number <= len(progress.scenarios):
            raise SessionScenario.DoesNotExist
        return run_attempt(progress, progress.scenarios[number - 1])
    entry = SessionScenario.objects.get(session=session, number=number)
    found = Attempt.objects.filter(
        session=session, player_key=player_key, scenario_id=entry.scenario_id
    ).values_list("id", flat=True)
    if found:
        return found[0]
    if session.is_closed:
        raise SessionClosed(session.code)
    return session_attempt_begin(
        session_id=session.id,
        player_key=player_key,
        scenario_id=entry.scenario_id,
        version_id=entry.version_id,
    )


def session_close(*, session: TrainingSession) -> None:
    """Close the session: no more players, no more answers. Everything stored stays."""
    TrainingSession.objects.filter(pk=session.pk, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    session.refresh_from_db(fields=["closed_at"])


def session_reopen(*, session: TrainingSession) -> None:
    """Open a closed session again: it takes players and answers as before the close."""
    TrainingSession.objects.filter(pk=session.pk, closed_at__isnull=False).update(closed_at=None)
    session.refresh_from_db(fields=["closed_at"])


def player_rename(*, player: SessionPlayer, nickname: str) -> SessionPlayer:
    """Give the player another nickname (the facilitator's fix of a rude one): tidied and
    checked as a new player's, unique in the session. JoinRefused says what is wrong."""
    nickname = nickname_clean(nickname)
    try:
        with transaction.atomic():
            SessionPlayer.objects.filter(pk=player.pk).update(
                nickname=nickname, nickname_key=nickname.casefold()
            )
    except IntegrityError:
        raise _nickname_taken(nickname) from None
    player.nickname, player.nickname_key = nickname, nickname.casefold()
    return player


def player_remove(*, player: SessionPlayer) -> None:
    """Remove one player from the session with everything they did in it, as deleting the
    session does for all: the nickname, attempts and answers, the module run and its check
    answers, and the key their join was acted on once by (so the browser may join again)."""
    with transaction.atomic():
        Attempt.objects.filter(session_id=player.session_id, player_key=player.player_key).delete()
        ModuleRun.objects.filter(
            session_id=player.session_id, player_key=player.player_key
        ).delete()
        ActedOnce.objects.filter(key=_join_key(player.session, player.player_key)).delete()
        player.delete()


def session_delete(*, session: TrainingSession) -> None:
    """Delete the session with every trace of its players: nicknames, attempts, answers,
    module runs, check answers, and the keys their joins were acted on once by."""
    with transaction.atomic():
        ActedOnce.objects.filter(key__startswith=_join_key(session, "")).delete()
        session.delete()


# A repeat of a request comes within seconds; a day covers a phone that resends a form when
# it comes back online.
ACTED_ONCE_KEPT = timedelta(days=1)


def sessions_prune(*, older_than: timedelta) -> int:
    """Delete the sessions made longer ago than `older_than`, as session_delete does, the
    wrong-code notes past their minute and the keys of requests acted on once past their
    day, and the learning records a store received more than a week ago. Returns how
    many sessions went."""
    cutoff = timezone.now() - older_than
    deleted = 0
    for session in TrainingSession.objects.filter(created_at__lt=cutoff).iterator():
        session_delete(session=session)
        deleted += 1
    WrongCode.objects.filter(at__lt=timezone.now() - timedelta(minutes=1)).delete()
    ActedOnce.objects.filter(at__lt=timezone.now() - ACTED_ONCE_KEPT).delete()
    # Learning records the store has: kept a week for the count on the session's page.
    QueuedStatement.objects.filter(sent_at__lt=timezone.now() - timedelta(days=7)).delete()
    return deleted
