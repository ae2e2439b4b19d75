"""The booster page: its messages as a form, then how the player did against their run.

The form is sent with GET to the same address: nothing is stored, so reloading or sending
it twice is harmless, and no cookie or CSRF token is needed to come back weeks later.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from scenarios.models import CheckItem, Module, RedFlagType
from trainer.runs.booster import (
    BOOSTER_MIN,
    BoosterLinkBroken,
    BoosterTicket,
    booster_ticket_read,
)
from trainer.runs.check_form import CheckForm
from trainer.runs.progress import CheckItemView, check_item_views
from trainer.runs.result import CheckReview
from trainer.runs.views import answers_in

# The types missed most that the page names.
TYPES_NAMED = 3


@dataclass(frozen=True)
class _BoosterRow:
    item: CheckItemView
    chosen: str  # "scam", "genuine" or "" as sent
    missing: bool
    missed_before: int  # times the run missed the item's red-flag type


@require_safe
def booster(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket = booster_ticket_read(token)
    except BoosterLinkBroken:
        return render(request, "runs/booster_broken.html", status=400)
    module = Module.objects.filter(pk=ticket.module_id).first()
    items = _items(ticket, module)
    if module is None or len(items) < BOOSTER_MIN:
        return render(request, "runs/booster_broken.html", {"gone": True}, status=410)
    missed = dict(ticket.missed)
    answers = answers_in(request.GET)
    sent = "sent" in request.GET
    rows = [
        _BoosterRow(
            item,
            answers.get(item.id, ""),
            sent and item.id not in answers,
            missed.get(item.flag_code, 0) if not item.legitimate else 0,
        )
        for item in items
    ]
    context = {"module": module, "ticket": ticket, "rows": rows}
    if sent and not any(row.missing for row in rows):
        reviews = [CheckReview(row.item, row.chosen == "scam") for row in rows]
        right = sum(review.correct for review in reviews)
        context |= {
            "reviews": zip(reviews, rows, strict=True),
            "right": right,
        }
        return render(request, "runs/booster_result.html", context)
    codes = [code for code, _times in ticket.missed[:TYPES_NAMED]]
    names = {flag.code: flag.name_in() for flag in RedFlagType.objects.filter(code__in=codes)}
    context |= {
        "form": CheckForm(
            items,
            answers,
            refused=sent,
            submit=_("See how I did"),
            method="get",
            hidden=[("sent", "1")],
        ),
        "missing": [row for row in rows if row.missing],
        "types_missed": [names[code] for code in codes if code in names],
    }
    return render(request, "runs/booster.html", context)


def _items(ticket: BoosterTicket, module: Module | None) -> tuple[CheckItemView, ...]:
    """The ticket's items, in the ticket's order: retired ones too (the link was made
    with them), but not one deleted since (a ticket's ids are signed, not rows)."""
    if module is None:
        return ()
    rows = CheckItem.objects.filter(module=module, id__in=ticket.item_ids).select_related("flag")
    by_id = {item.id: item for item in rows}
    present = [by_id[item_id] for item_id in ticket.item_ids if item_id in by_id]
    return check_item_views(present, module.language)
