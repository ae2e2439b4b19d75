"""A module's pool of check items: its two parallel forms and the items kept for the
booster, and what each check of it can hold (pure: no database). The runs draw from it
(trainer.runs.draw); the pack rules and the admin say when a pool is too small.

An item whose form is not set is shared out between A and B: the items of each side
(scam or genuine), in the pool's order, go in turn to the form that has fewer of that
side so far. So a pack of version 1, which names no forms, still gives two balanced forms.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

FORM_A, FORM_B, BOOSTER = "a", "b", "booster"
FORMS = (FORM_A, FORM_B)


@dataclass(frozen=True)
class PoolEntry:
    id: int
    legitimate: bool
    form: str  # "a", "b", "booster" or "" (shared out when drawn)
    seen: bool = False  # drawn for this player in an earlier run of the module


@dataclass(frozen=True)
class CheckPlan:
    """How many scams and genuine items each check of a pool takes."""

    scams: int
    genuine: int

    @property
    def size(self) -> int:
        return self.scams + self.genuine


def split_forms(pool: Iterable[PoolEntry]) -> dict[str, dict[bool, list[PoolEntry]]]:
    """The pool's forms A and B, each by side (legitimate or not), in the pool's order.
    The booster's items are left out; unassigned items are shared out as the module says."""
    forms: dict[str, dict[bool, list[PoolEntry]]] = {f: {False: [], True: []} for f in FORMS}
    unassigned: list[PoolEntry] = []
    for entry in pool:
        if entry.form in FORMS:
            forms[entry.form][entry.legitimate].append(entry)
        elif entry.form != BOOSTER:
            unassigned.append(entry)
    for entry in unassigned:
        side = entry.legitimate
        target = FORM_A if len(forms[FORM_A][side]) <= len(forms[FORM_B][side]) else FORM_B
        forms[target][side].append(entry)
    return forms


def check_plan(pool: Iterable[PoolEntry], check_size: int) -> CheckPlan:
    """What each check of this pool holds: half of `check_size` scams and half genuine (the
    odd one genuine), or fewer when a form has fewer of a side. Both forms give the same."""
    forms = split_forms(pool)
    wanted_scams = check_size // 2
    wanted_genuine = check_size - wanted_scams
    return CheckPlan(
        scams=min(wanted_scams, *(len(forms[f][False]) for f in FORMS)),
        genuine=min(wanted_genuine, *(len(forms[f][True]) for f in FORMS)),
    )


def pool_shortfall_of(pool: Iterable[PoolEntry], check_size: int) -> str:
    """What the pool lacks for checks of `check_size`, in words; "" when it has enough."""
    pool = list(pool)
    plan = check_plan(pool, check_size)
    if plan.size >= check_size:
        return ""
    forms = split_forms(pool)
    message = _(
        "a check of %(size)d messages needs %(scams)d scams and %(genuine)d genuine messages "
        "in each of forms A and B; the pool has %(scams_a)d and %(genuine_a)d in form A, "
        "%(scams_b)d and %(genuine_b)d in form B, so each check would hold only %(plan)d"
    )
    return message % {
        "size": check_size,
        "scams": check_size // 2,
        "genuine": check_size - check_size // 2,
        "scams_a": len(forms[FORM_A][False]),
        "genuine_a": len(forms[FORM_A][True]),
        "scams_b": len(forms[FORM_B][False]),
        "genuine_b": len(forms[FORM_B][True]),
        "plan": plan.size,
    }


def pool_description(pool: Iterable[PoolEntry], check_size: int) -> str:
    """The pool's counts by form and side, and the check it gives, in one line."""
    pool = list(pool)
    forms = split_forms(pool)
    booster = sum(entry.form == BOOSTER for entry in pool)
    plan = check_plan(pool, check_size)
    text = _(
        "form A: %(scams_a)d scams, %(genuine_a)d genuine · form B: %(scams_b)d scams, "
        "%(genuine_b)d genuine · booster: %(booster)d · each check: %(plan)d of %(size)d"
    ) % {
        "scams_a": len(forms[FORM_A][False]),
        "genuine_a": len(forms[FORM_A][True]),
        "scams_b": len(forms[FORM_B][False]),
        "genuine_b": len(forms[FORM_B][True]),
        "booster": booster,
        "plan": plan.size,
        "size": check_size,
    }
    if pool and plan.size < check_size:
        text += " · " + _("too small")
    return text
