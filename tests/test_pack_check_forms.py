"""A module's check size and its items' forms in packs: optional fields that version-1 packs
omit; an explicit check size the pool cannot fill is refused with its place; a pack that
sets none and whose pool is smaller than the default check imports with a warning."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from scenarios.models import DEFAULT_CHECK_SIZE, CheckItem, Module
from scenarios.packs.exporter import pack_export
from scenarios.packs.importer import PackRejected, pack_import
from tests.test_pack_import_export import load

pytestmark = pytest.mark.django_db


def with_pool(scams: int, genuine: int, forms=None, **module_fields) -> dict:
    """outsider.json with a pool of this many scams and genuine items; `forms` gives the
    form of each item in order (scams first), or none."""
    pack = load("outsider.json")
    module = pack["modules"][0]
    items = [
        {"key": f"s{i}", "channel": "sms", "text": f"Pay in advance ({i})", "legitimate": False}
        for i in range(scams)
    ] + [
        {"key": f"g{i}", "channel": "email", "text": f"Your order ({i})", "legitimate": True}
        for i in range(genuine)
    ]
    for item, form in zip(items, forms or (), strict=False):
        if form:
            item["form"] = form
    module["check_items"] = items
    module.update(module_fields)
    return pack


def test_a_version_1_pack_imports_with_no_forms_and_the_default_size_and_exports_as_it_was():
    outsider = load("outsider.json")
    report = pack_import(packs=[("outsider.json", outsider)])
    module = Module.objects.get(slug="basics")
    assert module.check_size == DEFAULT_CHECK_SIZE == 20
    assert set(CheckItem.objects.values_list("form", flat=True)) == {""}
    exported = pack_export()
    assert exported["modules"] == outsider["modules"]
    # Its pool of two gives checks of one item: imported, with a warning that says so.
    assert report.warnings == [
        "outsider.json: modules[0].check_items: a check of 20 messages needs 10 scams and "
        "10 genuine messages in each of forms A and B; the pool has 1 and 1 in form A, "
        "0 and 0 in form B, so each check would hold only 0"
    ]


def test_forms_and_check_size_are_stored_exported_and_imported_again_unchanged():
    forms = ["a", "b", "a", "booster", "b", "a", "b", "booster"]
    pack = with_pool(4, 4, forms, check_size=2)
    report = pack_import(packs=[("forms.json", pack)])
    assert report.warnings == []
    assert Module.objects.get(slug="basics").check_size == 2
    stored = dict(CheckItem.objects.values_list("key", "form"))
    assert stored == {"s0": "a", "s1": "b", "s2": "a", "s3": "booster"} | {
        "g0": "b",
        "g1": "a",
        "g2": "b",
        "g3": "booster",
    }
    exported = pack_export()
    assert exported["modules"][0]["check_size"] == 2
    assert [item.get("form") for item in exported["modules"][0]["check_items"]] == forms
    # The documented key order: the check size follows the scenarios; the form ends an item.
    assert list(exported["modules"][0])[-3:] == ["scenarios", "check_size", "check_items"]
    assert list(exported["modules"][0]["check_items"][0])[-1] == "form"
    again = json.loads(json.dumps(exported))
    pack_import(packs=[("exported.json", again)])
    assert dict(CheckItem.objects.values_list("key", "form")) == stored
    assert pack_export() == exported
    # Left out again, the forms are unset and the size is the default.
    pack_import(packs=[("plain.json", with_pool(4, 4))])
    assert set(CheckItem.objects.values_list("form", flat=True)) == {""}
    assert Module.objects.get(slug="basics").check_size == 20


def test_a_check_size_the_pool_cannot_fill_is_refused_with_its_place_and_nothing_changes():
    pack = with_pool(9, 10, check_size=10)
    with pytest.raises(PackRejected) as rejected:
        pack_import(packs=[("small.json", pack)])
    assert rejected.value.problems == [
        "small.json: modules[0].check_size: a check of 10 messages needs 5 scams and 5 genuine "
        "messages in each of forms A and B; the pool has 5 and 5 in form A, 4 and 5 in form "
        "B, so each check would hold only 9"
    ]
    assert not Module.objects.exists() and not CheckItem.objects.exists()
    # Booster items do not count for the checks.
    pack = with_pool(10, 10, ["booster"], check_size=10)
    with pytest.raises(PackRejected):
        pack_import(packs=[("booster.json", pack)])
    pack_import(packs=[("enough.json", with_pool(10, 10, check_size=10))])


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("check_size", 1, "modules[0].check_size: must be at least 2"),
        ("check_size", 101, "modules[0].check_size: must be at most 100"),
        (
            "check_size",
            "20",
            "modules[0].check_size: wrong type: expected a whole number, got text",
        ),
    ],
)
def test_a_check_size_out_of_range_is_refused(field, value, problem):
    pack = with_pool(2, 2, **{field: value})
    with pytest.raises(PackRejected) as rejected:
        pack_import(packs=[("bad.json", pack)])
    assert rejected.value.problems == [f"bad.json: {problem}"]


def test_an_unknown_form_is_refused_with_its_place():
    pack = with_pool(2, 2, ["c"])
    with pytest.raises(PackRejected) as rejected:
        pack_import(packs=[("bad.json", pack)])
    assert rejected.value.problems == [
        'bad.json: modules[0].check_items[0].form: "c" is not one of a, b, booster'
    ]


def test_the_import_command_prints_the_warning(tmp_path):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(with_pool(3, 3)), encoding="utf-8")
    err = StringIO()
    call_command("import_scenarios", str(path), stdout=StringIO(), stderr=err)
    assert "Warning: " in err.getvalue()
    assert "modules[0].check_items: a check of 20 messages" in err.getvalue()
