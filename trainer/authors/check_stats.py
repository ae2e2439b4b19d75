"""How a module's check items were answered, for its authors: per item of the pool, how many
players judged it right before the scenarios and after, and per form the mean. Counts only,
in two queries whatever the number of runs or items.

An item that nearly everyone judges right before the module measures nothing (DEVELOPERS.md,
"Writing check items"): it is marked "too easy" once enough players have answered it.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from scenarios.check_pool import FORM_A, FORM_B, PoolEntry, split_forms
from scenarios.models import CheckItem, Module
from trainer.models import CheckAnswer, CheckPhase

# An item is read as too easy when at least this many players answered it before the
# module and at least TOO_EASY_PERCENT of them were right: below that count it is noise.
TOO_EASY_ANSWERS = 20
TOO_EASY_PERCENT = 95


def percent_half_up(part: int, whole: int) -> int:
    """100 * part / whole rounded half up, in whole numbers; 0 when whole is 0."""
    return (200 * part + whole) // (2 * whole) if whole else 0


@dataclass(frozen=True)
class Rate:
    right: int
    answered: int

    @property
    def percent(self) -> int:
        return percent_half_up(self.right, self.answered)


@dataclass(frozen=True)
class ItemStat:
    item: CheckItem
    form: str  # "a", "b" or "booster", after unassigned items are shared out
    before: Rate
    after: Rate

    @property
    def too_easy(self) -> bool:
        return self.before.answered >= TOO_EASY_ANSWERS and self.before.percent >= TOO_EASY_PERCENT


@dataclass(frozen=True)
class FormStat:
    form: str
    before: Rate
    after: Rate


@dataclass(frozen=True)
class CheckStats:
    items: tuple[ItemStat, ...]
    forms: tuple[FormStat, ...]


def module_check_stats(module: Module) -> CheckStats:
    items = list(CheckItem.objects.in_pool().filter(module=module).select_related("flag"))
    pool = [PoolEntry(item.id, item.legitimate, item.form) for item in items]
    form_of = {
        entry.id: form
        for form, sides in split_forms(pool).items()
        for side in sides.values()
        for entry in side
    }
    counts = (
        CheckAnswer.objects.filter(item__in=[item.id for item in items])
        .order_by()
        .values_list("item_id", "phase")
        .annotate(
            answered=Count("pk"),
            said_scam=Count("pk", filter=Q(said_scam=True)),
        )
    )
    rates: dict[tuple[int, str], Rate] = {}
    legitimate = {item.id: item.legitimate for item in items}
    for item_id, phase, answered, said_scam in counts:
        right = answered - said_scam if legitimate[item_id] else said_scam
        rates[(item_id, phase)] = Rate(right, answered)
    none = Rate(0, 0)
    stats = tuple(
        ItemStat(
            item=item,
            form=form_of.get(item.id, item.form),
            before=rates.get((item.id, CheckPhase.BEFORE), none),
            after=rates.get((item.id, CheckPhase.AFTER), none),
        )
        for item in items
    )
    forms = tuple(
        FormStat(
            form=form,
            before=_sum(s.before for s in stats if s.form == form),
            after=_sum(s.after for s in stats if s.form == form),
        )
        for form in (FORM_A, FORM_B)
    )
    return CheckStats(items=stats, forms=forms)


def _sum(rates) -> Rate:
    rates = list(rates)
    return Rate(sum(r.right for r in rates), sum(r.answered for r in rates))
