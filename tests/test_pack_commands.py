"""The import_scenarios and export_scenarios commands: what they print, and all or nothing."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scenarios.models import CheckItem, Module, RedFlagType, Scenario
from scenarios.packs.importer import pack_import

PACKS = Path(__file__).parent / "packs"


def load(name: str) -> dict:
    return json.loads((PACKS / name).read_text(encoding="utf-8"))


def nothing_stored() -> bool:
    return not any(model.objects.exists() for model in (RedFlagType, Scenario, Module, CheckItem))


@pytest.mark.django_db
def test_the_import_command_says_what_happened_to_each_scenario():
    """One line per scenario (created, new version N or unchanged), then the totals."""
    stdout = io.StringIO()
    call_command("import_scenarios", str(PACKS / "outsider.json"), stdout=stdout)
    assert stdout.getvalue().splitlines() == [
        "instagram-phone-seller (en): created",
        "real-shop (en): created",
        "Red-flag types: 3 created, 0 updated. Modules: 1 created, 0 updated.",
    ]
    stdout = io.StringIO()
    call_command("import_scenarios", str(PACKS / "outsider.json"), stdout=stdout)
    assert stdout.getvalue().splitlines()[:2] == [
        "instagram-phone-seller (en): unchanged",
        "real-shop (en): unchanged",
    ]


@pytest.mark.django_db
def test_the_import_command_writes_nothing_when_a_later_file_is_bad(tmp_path):
    """Two files, the second bad: nothing from the first is written either."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "saq-pack", "version": 1, "scenarios": [{}]}', encoding="utf-8")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="7 problems; nothing was imported"):
        call_command("import_scenarios", str(PACKS / "outsider.json"), str(bad), stderr=stderr)
    lines = stderr.getvalue().splitlines()
    assert len(lines) == 7
    assert lines[0] == f'{bad}: scenarios[0]: missing required field "slug"'
    assert nothing_stored()


@pytest.mark.django_db
def test_the_import_command_reports_a_missing_file(tmp_path):
    """A file that cannot be read is a problem like any other: named, and nothing imported."""
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_scenarios", str(tmp_path / "nope.json"), stderr=stderr)
    assert (
        stderr.getvalue()
        == f"{tmp_path / 'nope.json'}: cannot be read (No such file or directory)\n"
    )


@pytest.mark.django_db
def test_the_export_command_writes_readable_json_filtered_by_slug_and_language():
    """UTF-8 as is, indented; --slug leaves modules out, --language filters both."""
    pack = load("outsider.json")
    russian = dict(pack["scenarios"][1], language="ru", title="Заказ из настоящего магазина")
    pack["scenarios"].append(russian)
    pack_import(packs=[("outsider.json", pack)])

    def export(*args) -> tuple[str, dict]:
        stdout = io.StringIO()
        call_command("export_scenarios", *args, stdout=stdout)
        return stdout.getvalue(), json.loads(stdout.getvalue())

    text, everything = export()
    assert '"title": "Заказ из настоящего магазина"' in text
    assert text.startswith('{\n  "format": "saq-pack",\n  "version": 2,\n')
    names = [(s["slug"], s["language"]) for s in everything["scenarios"]]
    assert names == [("instagram-phone-seller", "en"), ("real-shop", "en"), ("real-shop", "ru")]
    assert [m["slug"] for m in everything["modules"]] == ["basics"]

    _text, one = export("--slug", "real-shop")
    assert [(s["slug"], s["language"]) for s in one["scenarios"]] == [
        ("real-shop", "en"),
        ("real-shop", "ru"),
    ]
    assert "modules" not in one
    assert "red_flag_types" not in one  # the legitimate scenario uses none

    _text, russian_only = export("--language", "ru")
    assert [s["title"] for s in russian_only["scenarios"]] == ["Заказ из настоящего магазина"]
    assert "modules" not in russian_only
