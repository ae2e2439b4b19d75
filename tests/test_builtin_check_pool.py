"""The check pools of the built-in modules, in every language:
two full forms of 10 scams and 10 genuine messages, at least 6 more kept for the booster,
every red-flag type and every channel, the same items in every language, and the
checks of 20 a run draws from it. The other modules' pools are smaller: their packs set a
check size their pools can fill, and the pack rules hold them to it."""

import json
from collections import Counter
from pathlib import Path

import pytest

from scenarios.check_pool import PoolEntry, check_plan, pool_shortfall_of, split_forms
from scenarios.models import Channel

CONTENT = Path(__file__).resolve().parent.parent / "content"
FLAG_CODES = {
    t["code"] for t in json.loads((CONTENT / "red-flag-types.json").read_text())["red_flag_types"]
}
MODULE_PACKS = sorted(CONTENT.glob("module-*.json"))


def modules(pack: Path) -> list[dict]:
    return json.loads(pack.read_text(encoding="utf-8"))["modules"]


FULL = sorted(path.name for path in MODULE_PACKS)
POOLS = {(name, m["language"]): m for name in FULL for m in modules(CONTENT / name)}


def pool(module: dict) -> list[PoolEntry]:
    return [
        PoolEntry(k, item["legitimate"], item.get("form", ""))
        for k, item in enumerate(module["check_items"])
    ]


@pytest.mark.parametrize(("name", "language"), list(POOLS))
def test_two_full_forms_and_six_for_the_booster(name, language):
    module = POOLS[(name, language)]
    assert module["check_size"] == 20
    items = module["check_items"]
    by_form = Counter((item["form"], item["legitimate"]) for item in items)
    assert by_form[("a", False)] == by_form[("a", True)] == 10
    assert by_form[("b", False)] == by_form[("b", True)] == 10
    assert by_form[("booster", False)] >= 3 and by_form[("booster", True)] >= 3
    assert len(items) >= 46
    assert check_plan(pool(module), 20).size == 20


@pytest.mark.parametrize(("name", "language"), list(POOLS))
def test_every_red_flag_type_and_every_channel(name, language):
    items = POOLS[(name, language)]["check_items"]
    scams = [item for item in items if not item["legitimate"]]
    assert all(item.get("flag") for item in scams), "every scam names its red-flag type"
    assert not any(item.get("flag") for item in items if item["legitimate"])
    assert {item["flag"] for item in scams} == FLAG_CODES
    assert {item["channel"] for item in scams} == set(Channel.values)
    assert {item["channel"] for item in items if item["legitimate"]} == set(Channel.values)
    # Each form asks scams of many types and from many channels, not a few of each.
    for form in ("a", "b"):
        in_form = [item for item in scams if item["form"] == form]
        assert len({item["flag"] for item in in_form}) >= 9
        assert len({item["channel"] for item in in_form}) >= 5


@pytest.mark.parametrize("name", FULL)
def test_the_same_items_in_every_language(name):
    in_pack = {language: POOLS[(name, language)] for language in ("kk", "ru", "en")}
    shapes = {
        language: [
            (i["key"], i["channel"], i["legitimate"], i.get("flag"), i["form"])
            for i in module["check_items"]
        ]
        for language, module in in_pack.items()
    }
    assert shapes["kk"] == shapes["ru"] == shapes["en"]
    keys = [key for key, *_rest in shapes["en"]]
    assert len(keys) == len(set(keys))
    texts = {language: [i["text"] for i in m["check_items"]] for language, m in in_pack.items()}
    assert len(set(texts["kk"])) == len(set(texts["ru"])) == len(set(texts["en"])) == len(keys)


@pytest.mark.parametrize("pack", MODULE_PACKS, ids=lambda path: path.name)
def test_every_modules_pool_fills_the_check_size_it_sets(pack):
    for module in modules(pack):
        assert "check_size" in module, "a module says what check its pool can fill"
        assert pool_shortfall_of(pool(module), module["check_size"]) == ""
        drawable = {e.id for f in split_forms(pool(module)).values() for s in f.values() for e in s}
        booster = {e.id for e in pool(module) if e.form == "booster"}
        assert not drawable & booster, "no check asks an item kept for the booster"
