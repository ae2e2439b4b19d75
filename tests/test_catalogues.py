"""The Kazakh and Russian catalogues are complete and current."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

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
