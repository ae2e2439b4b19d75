"""How a run's two checks are drawn from its module's pool (pure: no database).

The pool is split into two parallel forms, A and B, and the items kept for the booster.
Every run asks one form before the scenarios and the other after, so before and after
never share an item; which comes first alternates between players (by join order in a
session, by the order runs were started when played alone), so across a group each form
is asked before by half the players and after by the other half, and a difference in
difficulty between the forms cancels out of the group's change.

Each check holds `check_size` items, half scams and half genuine, drawn at random from
its form; a form larger than that leaves some items out, and a replay (a player's second
run of the module) takes the items the player has not seen first.

The forms themselves, and items whose form is not set: scenarios.check_pool.
"""

import random
from collections.abc import Sequence

from scenarios.check_pool import FORM_A, FORM_B, PoolEntry, check_plan, split_forms

__all__ = ["before_form_for", "checks_draw", "other_form"]


def before_form_for(order: int) -> str:
    """The form asked before the scenarios by the run started `order`-th (from 0)."""
    return FORM_A if order % 2 == 0 else FORM_B


def other_form(form: str) -> str:
    return FORM_B if form == FORM_A else FORM_A


def checks_draw(
    pool: Sequence[PoolEntry], *, check_size: int, before_form: str, rng: random.Random
) -> tuple[list[int], list[int]]:
    """The ids asked before and after, each in the order shown: form `before_form` first,
    the other form after, each `check_plan` large, unseen items first. ([], []) when the
    pool gives no check (a form without an item of either side)."""
    plan = check_plan(pool, check_size)
    if plan.size == 0:
        return [], []
    forms = split_forms(pool)
    drawn = []
    for form in (before_form, other_form(before_form)):
        items = _take(forms[form][False], plan.scams, rng)
        items += _take(forms[form][True], plan.genuine, rng)
        rng.shuffle(items)
        drawn.append(items)
    return drawn[0], drawn[1]


def _take(entries: list[PoolEntry], count: int, rng: random.Random) -> list[int]:
    """`count` ids at random, those the player has not seen before any they have."""
    shuffled = list(entries)
    rng.shuffle(shuffled)
    shuffled.sort(key=lambda entry: entry.seen)  # stable: unseen first, shuffled within
    return [entry.id for entry in shuffled[:count]]
