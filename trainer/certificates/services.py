"""Certificates: who may have one, issuing it once per run, and its verification code.

A code is 16 symbols drawn by `secrets` from Crockford's base 32 (digits and capitals
without I, L, O and U), so 80 random bits: nobody finds a certificate by guessing, and
/verify/ throttles whoever tries (trainer/throttle.py). It is shown in groups of four,
XXXX-XXXX-XXXX-XXXX, and read back forgivingly: without dashes or spaces, in any case,
with O for 0 and I or L for 1, and with the Cyrillic letters that look like Latin ones,
which a phone set to Kazakh or Russian types in their place.
"""

import secrets
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trainer import scoring
from trainer.models import Certificate, CheckAnswer, CheckPhase, ModuleRun, SessionPlayer
from trainer.runs.progress import RunProgress, module_run_progress

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
CODE_GROUP = 4
NAME_MAX_LENGTH = Certificate._meta.get_field("name").max_length

# What people type for a symbol of the code: look-alikes of Crockford's base 32, and the
# Cyrillic letters (Russian and Kazakh keyboards) that look like its Latin ones.
_LOOK_ALIKES = str.maketrans(
    {
        "O": "0",
        "I": "1",
        "L": "1",
        "А": "A",
        "В": "B",
        "Е": "E",
        "З": "3",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "0",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "У": "Y",
        "Ү": "Y",
        "Х": "X",
        "І": "1",
    }
)
_SEPARATORS = str.maketrans(dict.fromkeys(" \t-‐‑–—._", None))


class CertificateRefused(Exception):
    """The run does not earn a certificate (yet); nothing was stored."""


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_grouped(code: str) -> str:
    """ "ABCD2345EFGH6789" -> "ABCD-2345-EFGH-6789", as shown and printed."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def code_read(typed: str) -> str | None:
    """The code someone typed, as stored; None when it cannot be a code at all."""
    code = typed.translate(_SEPARATORS).upper().translate(_LOOK_ALIKES)
    if len(code) != CODE_LENGTH or not set(code) <= set(CODE_ALPHABET):
        return None
    return code


def run_played_alone(run: ModuleRun) -> bool:
    """Whether the run was played outside a facilitator's session."""
    return run.session_id is None


def run_nickname(run: ModuleRun) -> str:
    """The nickname the run's player joined its session with: the name a certificate
    offers first. "" for a run played alone (and no query)."""
    if run.session_id is None:
        return ""
    players = SessionPlayer.objects.filter(session_id=run.session_id, player_key=run.player_key)
    return players.values_list("nickname", flat=True).first() or ""


def run_score(progress: RunProgress) -> int | None:
    """The module score of a run (scoring rule 8): the mean of its scenarios' scores."""
    return scoring.module_score(s.score for s in progress.scenarios if s.score is not None)


def certificate_of_run(run_id: uuid.UUID) -> Certificate | None:
    return Certificate.objects.filter(run_id=run_id).first()


def certificate_issue(*, run_id: uuid.UUID, player_key: str, name: str) -> Certificate:
    """The certificate of the player's finished run, issued now with the name given, or the
    one issued before (a second request, or a double click, changes nothing).

    Raises ModuleRun.DoesNotExist when the run is not this player's, and CertificateRefused
    when it is not finished or its score is below the module's pass mark."""
    progress = module_run_progress(run_id=run_id, player_key=player_key)
    issued = certificate_of_run(run_id)
    if issued is not None:
        return issued
    refusal = certificate_refusal(progress)
    if refusal:
        raise CertificateRefused(refusal)
    module = progress.module
    session = progress.session
    organisation = session.organisation.name if session is not None else ""
    for _attempt in range(3):  # a new code again in the unlikely case it is taken
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=code_new(),
                    run_id=run_id,
                    module=module,
                    module_title=module.title,
                    name=name,
                    score=run_score(progress),
                    pass_mark=module.pass_mark,
                    organisation_name=organisation,
                )
        except IntegrityError:
            issued = certificate_of_run(run_id)
            if issued is not None:
                return issued  # the same request, sent at the same moment, was first
    raise RuntimeError("no free certificate code after three draws")


def certificates_prune(*, older_than) -> int:
    """Delete the certificates issued longer ago than `older_than` (a timedelta): their own
    retention, apart from the sessions'. Returns how many went."""
    cutoff = timezone.now() - older_than
    deleted, _by_model = Certificate.objects.filter(issued_at__lt=cutoff).delete()
    return deleted


def after_check_counts(run: ModuleRun) -> tuple[int, int, int]:
    """The run's check after the scenarios: (right, false alarms, items). One query."""
    right = false_alarms = size = 0
    for said_scam, legitimate in CheckAnswer.objects.filter(
        run_id=run.id, phase=CheckPhase.AFTER
    ).values_list("said_scam", "item__legitimate"):
        size += 1
        right += said_scam != legitimate
        false_alarms += said_scam and legitimate
    return right, false_alarms, size


def certificate_refusal(progress: RunProgress) -> str:
    """Why the run earns no certificate, in words for the player; "" when it does
    (scoring rules 8 and 10)."""
    if progress.run.finished_at is None:
        return _("Finish the module, then you can get a certificate.")
    if not progress.run.is_first_run:  # a replay's score does not count (rule 10)
        return _(
            "This was a replay of the module: its score does not count for a certificate. "
            "Only your first run of a module can earn one."
        )
    score = run_score(progress)
    if not scoring.module_passed(score, progress.module.pass_mark):
        return _(
            "A certificate needs a module score of at least %(pass_mark)s out of 100; "
            "yours is %(score)s."
        ) % {"pass_mark": progress.module.pass_mark, "score": score or 0}
    if progress.has_check:
        right, false_alarms, size = after_check_counts(progress.run)
        if not scoring.after_check_passed(right, false_alarms, size):
            needed, allowed = scoring.after_check_needs(size)
            return _(
                "A certificate also needs the last check passed: at least %(needed)s of "
                "%(size)s right with no more than %(allowed)s false alarms. You got "
                "%(right)s right with %(false_alarms)s false alarms."
            ) % {
                "needed": needed,
                "size": size,
                "allowed": allowed,
                "right": right,
                "false_alarms": false_alarms,
            }
    return ""
