"""The rules of a message's picture in a pack (docs/scenario-pack.md, "Pictures").

`image` names a file beside the pack: inside its zip, or in the folder of a JSON file
imported from disk. The name is a relative path of plain characters ending in .png, .jpg,
.jpeg or .webp; the file itself is checked when the pack is imported (`pack_pictures`).
`alt` says what the picture shows to a player who cannot see it, in the scenario's
language: it is required with a picture, and written in that language's alphabet.
"""

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from scenarios.pictures import EXTENSIONS

from .rules import Path_, Problem, problem_at, said

_IMAGE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
# Each language's alphabet, by what its text must hold and must not.
_ALPHABETS = {"kk": (_CYRILLIC, None), "ru": (_CYRILLIC, None), "en": (_LATIN, _CYRILLIC)}


def image_name_problem(name: str) -> str | None:
    """Why `name` cannot name a picture in a pack, or None."""
    if not _IMAGE_NAME.match(name) or ".." in name.split("/"):
        return _(
            "%(name)s is not a file name Saq reads: use Latin letters, digits, "
            '"-", "_", "." and "/" between folders'
        ) % {"name": said(name)}
    if name.rsplit(".", 1)[-1].lower() not in EXTENSIONS:
        return _("%(name)s: a picture's file name ends in .png, .jpg, .jpeg or .webp") % {
            "name": said(name)
        }
    return None


def alt_language_problem(alt: str, language: str) -> str | None:
    """Why `alt` does not read as text in `language`, or None."""
    must, must_not = _ALPHABETS.get(language, (None, None))
    if (must and not must.search(alt)) or (must_not and must_not.search(alt)):
        return _("the picture's text must be written in the scenario's language (%(language)s)") % {
            "language": language
        }
    return None


def picture_problems(scenario: dict, at: Path_) -> Iterator[Problem]:
    for j, step in enumerate(scenario["steps"]):
        for k, item in enumerate(step.get("messages", ())):
            here = at + ("steps", j, "messages", k)
            if "image" in item:
                problem = image_name_problem(item["image"])
                if problem:
                    yield problem_at(here + ("image",), problem)
                if not item.get("alt", "").strip():
                    message = _("a picture needs its text (alt): what it shows, in words")
                    yield problem_at(here, message)
                    continue
            if "alt" in item:
                if "image" not in item:
                    yield problem_at(here + ("alt",), _("there is no picture (image) to describe"))
                problem = alt_language_problem(item["alt"], scenario["language"])
                if problem:
                    yield problem_at(here + ("alt",), problem)
