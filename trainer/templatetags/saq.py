"""Template filters for Saq's pages."""

from django import template

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
