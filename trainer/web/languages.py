"""The site's three languages, as a reader looks for them."""

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from scenarios.content import MemoryCache, on_clear
from trainer.web.slots import SLOT_MARKERS, fill_slots

# Each language is named in itself, the same on every page: a reader looking for their own
# language finds it whatever language the page is in. So these names are not translated.
NATIVE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def current_language() -> str:
    """The code of the language the page is being shown in: "kk", "ru" or "en"."""
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in NATIVE_NAMES else settings.LANGUAGE_CODE


def native_names(codes=None) -> list[tuple[str, str]]:
    """(code, name in itself) for the given codes, or for every language, in the site's order."""
    wanted = set(NATIVE_NAMES if codes is None else codes)
    return [(code, NATIVE_NAMES[code]) for code, _ in settings.LANGUAGES if code in wanted]


# The switcher as each language draws it, with slots for the CSRF token and the page's
# address: the same for every page and every reader but for those two.
_switchers = MemoryCache(len(NATIVE_NAMES))
on_clear(_switchers.clear)


def language_switcher_html(request: HttpRequest | None, switcher_next: str | None) -> str:
    """The language switcher (templates/_language_switcher.html) in the current language.

    Rendered once per language with its slots (trainer.web.slots) and filled here for
    `request`, with `switcher_next` as the address to come back to (the page's own by
    default). Without a request (a page rendered once for many players, whose slots are
    filled per request by trainer.play.page_cache) the slots are left in. Rendered afresh
    each time with DEBUG on, so an edit of the template shows at once."""
    language = current_language()
    html = _switchers.get_or_make(
        language,
        lambda: render_to_string(
            "_language_switcher.html", {"LANGUAGE_CODE": language} | SLOT_MARKERS
        ),
        keep=not settings.DEBUG,
    )
    if request is None:
        return html
    return fill_slots(html, request, address=switcher_next or request.get_full_path())
