"""Join codes: six characters that cannot be mistaken for one another when read off a
projector or typed on a phone."""

import re
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: a character that could be read as another is left out.
ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
LENGTH = 6

# Letters of a Russian or Kazakh keyboard that look like Latin ones (or З like 3), typed by
# mistake.
_CYRILLIC_LOOK_ALIKES = str.maketrans("АСЕНКМРТХУЗ", "ACEHKMPTXY3")
_SEPARATORS = re.compile(r"[\s\-‐‑–—.]+")
_WELL_FORMED = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """The code as typed, in capitals, without spaces or dashes, Cyrillic look-alikes read as
    Latin letters."""
    return _SEPARATORS.sub("", typed).upper().translate(_CYRILLIC_LOOK_ALIKES)


def foreign_characters(code: str) -> str:
    """The characters of a typed code that no code has, each once, in order."""
    return "".join(dict.fromkeys(ch for ch in code if ch not in ALPHABET))


def is_well_formed(code: str) -> bool:
    """Six characters of the alphabet: a code that could exist. Anything else is a typing
    slip, answered without looking anything up."""
    return bool(_WELL_FORMED.fullmatch(code))
