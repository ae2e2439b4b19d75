"""Template filters for Saq's pages."""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation

from trainer.certificates import code_grouped

register = template.Library()

# A no-break space keeps "150 000 ₸" on one line on a narrow phone.
_GROUP_SEPARATOR = "\u00a0"


@register.filter
def tenge(amount: int | None) -> str:
    """150000 -> "150 000 ₸" (digits grouped by three, as read in Kazakhstan)."""
    if amount is None:
        return ""
    grouped = f"{int(amount):,}".replace(",", _GROUP_SEPARATOR)
    return f"{grouped}{_GROUP_SEPARATOR}₸"


@register.filter
def percent(fraction: float | None) -> str:
    if fraction is None:
        return "—"
    return f"{round(fraction * 100)}%"


@register.filter
def long_date(value: date | datetime) -> str:
    """A day written out, as the active language writes it ("28 November 2026")."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    text = formats.date_format(value, "DATE_FORMAT")
    # Django's Kazakh month names are capitalised; in a date they are written in lower case.
    return text.lower() if translation.get_language() == "kk" else text


@register.filter(name="code_grouped")
def code_grouped_filter(code: str) -> str:
    """A certificate code in groups of four, as printed."""
    return code_grouped(code)
