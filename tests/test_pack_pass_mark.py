"""A module's pass mark in packs: an optional field that packs written before it omit."""

import json

import pytest

from scenarios.models import DEFAULT_PASS_MARK, Module
from scenarios.packs.exporter import pack_export
from scenarios.packs.importer import PackRejected, pack_import
from tests.test_pack_import_export import load

pytestmark = pytest.mark.django_db


def test_a_pack_without_pass_mark_imports_at_70_and_exports_without_it():
    outsider = load("outsider.json")
    assert "pass_mark" not in outsider["modules"][0]
    pack_import(packs=[("outsider.json", outsider)])
    assert Module.objects.get(slug="basics").pass_mark == DEFAULT_PASS_MARK == 70
    exported = pack_export()
    assert "pass_mark" not in exported["modules"][0]
    assert exported["modules"] == outsider["modules"]


def test_a_pass_mark_is_stored_exported_and_reset_when_a_later_pack_leaves_it_out():
    pack = load("outsider.json")
    pack["modules"][0]["pass_mark"] = 85
    pack_import(packs=[("strict.json", pack)])
    assert Module.objects.get(slug="basics").pass_mark == 85
    exported = pack_export()
    assert exported["modules"][0]["pass_mark"] == 85
    # The documented key order: the pass mark follows the summary.
    assert list(exported["modules"][0]) == [
        "slug",
        "language",
        "title",
        "summary",
        "pass_mark",
        "scenarios",
        "check_items",
    ]
    pack_import(packs=[("exported.json", json.loads(json.dumps(exported)))])
    assert Module.objects.get(slug="basics").pass_mark == 85
    # The pack is the module's whole description: left out, the mark is the default again.
    pack_import(packs=[("outsider.json", load("outsider.json"))])
    assert Module.objects.get(slug="basics").pass_mark == 70


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (101, "modules[0].pass_mark: must be at most 100"),
        (-1, "modules[0].pass_mark: must be at least 0"),
        ("70", "modules[0].pass_mark: wrong type: expected a whole number, got text"),
        (70.5, "modules[0].pass_mark: wrong type: expected a whole number, got a number"),
    ],
)
def test_a_pass_mark_out_of_range_or_not_a_whole_number_is_refused_with_its_place(value, problem):
    pack = load("outsider.json")
    pack["modules"][0]["pass_mark"] = value
    with pytest.raises(PackRejected) as rejected:
        pack_import(packs=[("bad.json", pack)])
    assert rejected.value.problems == [f"bad.json: {problem}"]
    assert not Module.objects.exists()
