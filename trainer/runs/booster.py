"""A booster: two or three messages the player has not seen, to come back to weeks after a
module played alone, chosen for the red-flag types they missed most.

Nothing about the player is stored for it. The link carries it all: the module, the items
to ask, the types missed and the run's earlier figures, signed with the site's secret key
(django.core.signing, under its own salt) so that a link changed by hand is refused. The
answers are read from the booster's own form and never written down.

The types missed are counted over the whole run: red flags left unmarked in its scenarios
and scams trusted in its two checks. The booster asks the unseen scams of the types missed
most (BOOSTER_SCAMS of them) and one genuine message, since calling every message a scam
must not pass for learning; a pool with too few of one kind gives more of the other.
"""

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.core import signing
from django.utils import timezone

from scenarios.message_kinds import flag_on_part
from scenarios.models import CheckItem, Message
from trainer.certificates.services import run_score
from trainer.models import CheckPhase, DrawnItem, StepAnswer
from trainer.play.answers import answers_by_attempt
from trainer.runs.result import RunResult

SALT = "saq.booster"
BOOSTER_SIZE = 3
BOOSTER_SCAMS = 2
BOOSTER_MIN = 2  # fewer new items than this make no booster


class BoosterLinkBroken(Exception):
    """The link was changed, cut short or never made here."""


@dataclass(frozen=True)
class BoosterTicket:
    """What a booster link carries."""

    module_id: int
    item_ids: tuple[int, ...]
    missed: tuple[tuple[str, int], ...]  # (red-flag code, times missed in the run), most first
    right: int  # messages of the run's last check judged right
    checked: int  # messages in that check
    score: int | None  # the run's module score
    finished_on: date


def booster_token(ticket: BoosterTicket) -> str:
    payload = {
        "m": ticket.module_id,
        "i": list(ticket.item_ids),
        "t": [list(pair) for pair in ticket.missed],
        "r": [ticket.right, ticket.checked],
        "s": ticket.score,
        "d": ticket.finished_on.isoformat(),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def booster_ticket_read(token: str) -> BoosterTicket:
    """The ticket a link carries. Raises BoosterLinkBroken when it is not one made here."""
    try:
        payload = signing.loads(token, salt=SALT)
        right, checked = payload["r"]
        ticket = BoosterTicket(
            module_id=int(payload["m"]),
            item_ids=tuple(int(item_id) for item_id in payload["i"]),
            missed=tuple((str(code), int(times)) for code, times in payload["t"]),
            right=int(right),
            checked=int(checked),
            score=None if payload["s"] is None else int(payload["s"]),
            finished_on=date.fromisoformat(payload["d"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BoosterLinkBroken from None
    return ticket


class PoolItem(NamedTuple):
    id: int
    legitimate: bool
    flag_code: str | None


def booster_items_pick(
    unseen: Sequence[PoolItem], missed: Counter[str], rng: random.Random
) -> list[int]:
    """The items a booster asks, in the order shown; [] when too few are left to ask."""
    scams = [item for item in unseen if not item.legitimate]
    genuine = [item for item in unseen if item.legitimate]
    rng.shuffle(scams)
    rng.shuffle(genuine)
    scams.sort(key=lambda item: -missed[item.flag_code])  # stable: ties stay shuffled
    picked = scams[:BOOSTER_SCAMS]
    picked += genuine[: BOOSTER_SIZE - len(picked)]
    picked += scams[BOOSTER_SCAMS : BOOSTER_SCAMS + BOOSTER_SIZE - len(picked)]
    rng.shuffle(picked)
    return [item.id for item in picked] if len(picked) >= BOOSTER_MIN else []


def run_missed_types(result: RunResult) -> Counter[str]:
    """Red-flag codes the run missed: flags left unmarked in its scenarios and scams trusted
    in its checks, each counted once per miss. Two queries, whatever the run's size."""
    missed: Counter[str] = Counter(
        review.item.flag_code
        for reviews in result.reviews.values()
        for review in reviews
        if not review.item.legitimate and not review.said_scam and review.item.flag_code
    )
    by_attempt = answers_by_attempt(
        StepAnswer.objects.filter(attempt__module_run_id=result.progress.run.id)
    )
    answers = [answer for rows in by_attempt.values() for answer in rows]
    if answers:
        flagged = Message.objects.filter(
            step_id__in={answer.step_id for answer in answers}, flag__isnull=False
        ).values_list("id", "step_id", "flag__code", "kind", "text", "flag_part")
        by_step: dict[int, list[tuple[int, str, bool]]] = {}
        for message_id, step_id, code, kind, text, flag_part in flagged:
            on_part = flag_on_part(kind, text, flag_part, True)
            by_step.setdefault(step_id, []).append((message_id, code, on_part))
        for answer in answers:
            missed.update(
                code
                for message_id, code, on_part in by_step.get(answer.step_id, ())
                if not answer.marked(message_id, on_part)
            )
    return missed


def booster_for_run(result: RunResult) -> BoosterTicket | None:
    """The booster of a finished run, or None when its module has too few unseen items.

    The same run always gets the same items, so its link does not change between visits."""
    run = result.progress.run
    if not result.progress.has_check:
        return None
    seen = DrawnItem.objects.filter(run_id=run.id).values("item_id")
    unseen = [
        PoolItem(*row)
        for row in CheckItem.objects.in_pool()
        .filter(module_id=run.module_id)
        .exclude(id__in=seen)
        .order_by("id")
        .values_list("id", "legitimate", "flag__code")
    ]
    missed = run_missed_types(result)
    # Not a secret: seeded by the run so that its link stays the same.
    item_ids = booster_items_pick(unseen, missed, random.Random(run.id.int))  # noqa: S311
    if not item_ids:
        return None
    after = result.reviews.get(CheckPhase.AFTER, ())
    return BoosterTicket(
        module_id=run.module_id,
        item_ids=tuple(item_ids),
        missed=tuple(sorted(missed.items(), key=lambda pair: (-pair[1], pair[0]))),
        right=sum(review.correct for review in after),
        checked=len(after),
        score=run_score(result.progress),
        finished_on=timezone.localdate(run.finished_at or timezone.now()),
    )
