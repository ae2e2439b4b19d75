"""The Kazakh and Russian catalogues are complete and current."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import pgettext

from scenarios.models import Ending, Verdict

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["kk", "ru"]


def catalogue(root: Path, language: str) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalogue(ROOT, language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated {untranslated}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy}"
    plural_forms = [e for e in po if e.msgid_plural]
    for entry in plural_forms:
        assert all(entry.msgstr_plural.values()), f"{language}: plural {entry.msgid!r}"


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """Extracting the strings afresh adds nothing: `make messages` has been run."""
    assert shutil.which("xgettext"), "GNU gettext is needed: apt-get install gettext"
    for folder in ["trainer", "scenarios", "templates", "locale"]:
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete"]
        + [f"-l{language}" for language in LANGUAGES],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for language in LANGUAGES:
        fresh = {(e.msgctxt, e.msgid) for e in catalogue(tmp_path, language)}
        kept = {(e.msgctxt, e.msgid) for e in catalogue(ROOT, language)}
        assert fresh == kept, f"{language}: new {fresh - kept}, stale {kept - fresh}"


# A Cyrillic letter next to a Latin one inside a word is a typing slip: a Latin "i" or "o"
# where Kazakh "і" or Cyrillic "о" was meant. It looks right and reads wrong to a screen reader.
CYRILLIC = "А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
MIXED_WORD = re.compile(rf"\w*(?:[{CYRILLIC}][A-Za-z]|[A-Za-z][{CYRILLIC}])\w*")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translated_word_mixes_latin_and_cyrillic_letters(language):
    mixed = {
        word: entry.msgid
        for entry in catalogue(ROOT, language)
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        for word in MIXED_WORD.findall(text)
    }
    assert not mixed, f"{language}: {mixed}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_safe_as_an_ending_and_safe_as_a_verdict_are_translated_apart(language):
    """pgettext contexts let Kazakh and Russian say "it turned out fine" for an ending and
    "safe" for a choice, where English says "Safe" for both."""
    with translation.override(language):
        assert Ending.SAFE.label != Verdict.SAFE.label
        assert str(Ending.PARTLY_SAFE.label) != pgettext("ending heading", "Partly safe")
