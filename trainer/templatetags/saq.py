"""Template filters and tags for Saq's pages.

Numbers are formatted here, where they are shown, rather than by USE_THOUSAND_SEPARATOR
(see settings): amounts of money read the same in every language, as they are written in
Kazakhstan; decimals take the page language's separator (a comma in Kazakh and Russian).
"""

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django import template
from django.utils import formats, timezone, translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from trainer.certificates.services import code_grouped
from trainer.scoring import round_half_up
from trainer.web.languages import current_language, language_switcher_html, native_names

register = template.Library()

# A no-break space keeps "150 000 ₸" on one line on a narrow phone.
_NO_BREAK_SPACE = "\u00a0"

# Where the sign goes, per language, as in the Unicode CLDR: Russian puts a no-break space
# before it ("84 %"), Kazakh and English do not ("84%").
_PERCENT_PATTERNS = {"ru": "{}\u00a0%"}
_PERCENT_PATTERN = "{}%"


@register.filter
def tenge(amount: int | None) -> str:
    """150000 -> "150 000 ₸" in every language: digits grouped by three with no-break
    spaces, and a no-break space before the sign, as prices are written in Kazakhstan."""
    if amount is None:
        return ""
    grouped = f"{int(amount):,}".replace(",", _NO_BREAK_SPACE)
    return f"{grouped}{_NO_BREAK_SPACE}₸"


@register.filter
def percent(fraction: float | None, places: int = 0) -> str:
    """0.835 -> "84%" (en, kk) or "84 %" (ru); with places=1, 0.8355 -> "83,6%" in kk.
    Rounded half up, from the decimal value: 0.285 is 29%, not 28%."""
    if fraction is None:
        return "—"
    value = _round_half_up(Decimal(str(fraction)).scaleb(2), int(places))
    pattern = _PERCENT_PATTERNS.get(current_language(), _PERCENT_PATTERN)
    return pattern.format(number_format(value, decimal_pos=int(places), use_l10n=True))


@register.filter
def decimal(value: float | None, places: int = 2) -> str:
    """A measure such as d′ with the page language's decimal separator: 1.234 -> "1,23" in
    kk and ru, "1.23" in en. Rounded half up."""
    if value is None:
        return "—"
    rounded = _round_half_up(Decimal(str(value)), int(places))
    return number_format(rounded, decimal_pos=int(places), use_l10n=True)


@register.filter
def signed(value: float | None, places: int = 2) -> str:
    """A change with its sign, as `decimal` writes numbers: 0.5 -> "+0.50", -0.5 -> "−0.50"
    (a minus sign), 0 -> "0.00"."""
    if value is None:
        return "—"
    rounded = _round_half_up(Decimal(str(value)), int(places))
    text = number_format(abs(rounded), decimal_pos=int(places), use_l10n=True)
    return f"+{text}" if rounded > 0 else f"\u2212{text}" if rounded < 0 else text


@register.simple_tag(takes_context=True)
def language_switcher(context) -> str:
    """The language switcher, drawn once per language (trainer.web.languages): its HTML is
    the template's, escaped there, with this request's token and address filled in."""
    html = language_switcher_html(context.get("request"), context.get("switcher_next"))
    return mark_safe(html)  # noqa: S308


@register.simple_tag
def site_languages() -> list[tuple[str, str]]:
    """Every language of the site as (code, name in itself), for the language switcher."""
    return native_names()


def _round_half_up(value: Decimal, places: int) -> Decimal:
    rounded = Decimal(round_half_up(value, places))
    return abs(rounded) if rounded == 0 else rounded  # "0,00", never "-0,00"


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


@register.filter
def domain(url: str) -> str:
    """The host of a web address, as a browser's address bar shows it first."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return host or url
