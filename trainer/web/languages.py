"""The site's three languages, as a reader looks for them."""

from django.conf import settings
from django.utils.translation import get_language

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
