"""Importing and exporting packs: what is stored, new versions, merging, round trips."""

import copy
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from scenarios.models import (
    CheckItem,
    Choice,
    Message,
    Module,
    RedFlagType,
    Scenario,
    ScenarioVersion,
    Step,
)
from scenarios.packs.exporter import normalise_scenario, pack_export
from scenarios.packs.importer import PackRejected, estimated_minutes, pack_import

PACKS = Path(__file__).parent / "packs"
ALL_MODELS = list(apps.get_app_config("scenarios").get_models())


def load(name: str) -> dict:
    return json.loads((PACKS / name).read_text(encoding="utf-8"))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def current(slug: str, language: str = "en") -> ScenarioVersion:
    return Scenario.objects.get(slug=slug, language=language).current_version


def rows(version: ScenarioVersion) -> list[tuple]:
    """Everything stored for a version, to compare before and after."""
    steps = Step.objects.filter(version=version)
    return [
        *ScenarioVersion.objects.filter(pk=version.pk).values_list(),
        *steps.values_list(),
        *Message.objects.filter(step__in=steps).values_list(),
        *Choice.objects.filter(step__in=steps).values_list(),
    ]


@pytest.mark.django_db
def test_the_documented_example_is_stored_as_written():
    """The doc's example, verbatim, once its undeclared flag "too-good-price" is in the database."""
    price = RedFlagType.objects.create(code="too-good-price", name={"en": "Too cheap"})
    report = pack_import(packs=[("doc-example.json", load("doc-example.json"))])

    assert [(o.slug, o.language, o.describe()) for o in report.scenarios] == [
        ("instagram-phone-seller", "en", "created")
    ]
    version = current("instagram-phone-seller")
    assert (version.number, version.title, version.channel, version.legitimate) == (
        1,
        "A bargain phone on Instagram",
        "social_dm",
        False,
    )
    assert version.summary == "A seller offers a new phone far below the shop price."
    assert version.based_on == "Nur-Sultan, 2021: 15 victims, about 3 million tenge."
    assert (version.difficulty, version.minutes, version.is_published) == (1, 2, True)
    assert (version.basis, version.sources) == ("case", ["eurasia-2021-internet-fraud"])
    steps = list(version.steps.all())
    assert [(s.key, s.order, s.is_start, s.ending) for s in steps] == [
        ("offer", 0, True, ""),
        ("paid", 1, False, "scammed"),
        ("refused", 2, False, "safe"),
    ]
    offer, paid, refused = steps
    assert (offer.title, offer.sender_name, offer.sender_verified) == (
        "The offer",
        "phone_shop_astana",
        False,
    )
    prepayment = RedFlagType.objects.get(code="prepayment")
    assert prepayment.name == {"any": "Demand to pay in advance"}
    assert [(m.key, m.order, m.flag, m.explanation) for m in offer.messages.all()] == [
        ("m1", 0, price, "The same phone costs about 450 000 ₸ in shops."),
        ("m2", 1, None, ""),
        ("m3", 2, prepayment, "Money sent in advance to a private card is gone."),
    ]
    assert [(c.order, c.verdict, c.next_step) for c in offer.choices.all()] == [
        (0, "harmful", paid),
        (1, "safe", refused),
    ]
    assert (paid.title, paid.text, paid.loss_kzt) == (
        "The account is gone",
        "The seller blocked you.",
        75000,
    )
    assert refused.loss_kzt is None


@pytest.mark.django_db
def test_an_outsider_pack_stores_flag_types_modules_and_check_items():
    """Languages of a flag type, a module's scenario order and its check pool are all kept."""
    pack_import(packs=[("outsider.json", load("outsider.json"))])

    price = RedFlagType.objects.get(code="too-good-price")
    assert price.name == {"en": "A price too good to be true", "ru": "Слишком низкая цена"}
    real = current("real-shop")
    assert (real.legitimate, real.difficulty) == (True, 2)
    notice = real.steps.get(key="notice")
    assert notice.messages.get().text == (
        "Your order 48213 is ready.\nPick it up at the shop on Abay Avenue."
    )
    assert real.steps.get(key="missed").loss_kzt == 0
    module = Module.objects.get(slug="basics", language="en")
    assert module.title == "Online fraud: the basics"
    entries = [(entry.order, entry.scenario.slug) for entry in module.entries.all()]
    assert entries == [(0, "instagram-phone-seller"), (1, "real-shop")]
    items = [
        (i.key, i.channel, i.sender, i.legitimate, i.flag_id) for i in module.check_items.all()
    ]
    assert items == [
        ("q1", "sms", "Bank", True, None),
        (
            "q2",
            "social_dm",
            "investor_pro",
            False,
            RedFlagType.objects.get(code="multiplied-money").pk,
        ),
    ]


def test_play_time_counts_words_and_scenes():
    """Minutes = words the player reads / 150 + half a minute per scene, at least one."""
    words = " ".join(["word"] * 149)
    scenario = {
        "steps": [
            {"key": "a", "messages": [{"text": words}], "choices": [{"text": "one"}]},
            {"key": "b", "messages": [{"text": words}], "choices": [{"text": "two"}]},
            {"key": "c", "ending": "safe", "text": words + " end"},
        ]
    }
    assert estimated_minutes(scenario) == 4  # 450 words: 3 minutes, 2 scenes: 1 minute
    assert estimated_minutes({"steps": [scenario["steps"][2]]}) == 1


@pytest.mark.django_db
def test_export_then_import_on_an_empty_database_gives_the_same_pack():
    """A pack exported and imported into a fresh database exports again unchanged."""
    outsider = load("outsider.json")
    with transaction.atomic():
        pack_import(packs=[("outsider.json", outsider)])
        exported = pack_export()
        transaction.set_rollback(True)
    assert counts() == dict.fromkeys(counts(), 0)

    pack_import(packs=[("exported.json", exported)])

    again = pack_export()
    assert json.dumps(again, ensure_ascii=False) == json.dumps(exported, ensure_ascii=False)
    assert exported["scenarios"] == [normalise_scenario(s) for s in outsider["scenarios"]]
    assert exported["modules"] == outsider["modules"]
    assert {flag["code"]: flag["name"] for flag in exported["red_flag_types"]} == {
        "multiplied-money": "Money that multiplies",
        "prepayment": "Demand to pay in advance",
        "too-good-price": {"ru": "Слишком низкая цена", "en": "A price too good to be true"},
    }


@pytest.mark.django_db
def test_a_changed_scenario_gets_a_new_version_and_the_old_one_stays_as_it_was():
    """Attempts in progress keep their version: version 1 and its steps are never touched."""
    pack = load("outsider.json")
    pack_import(packs=[("outsider.json", pack)])
    first = current("instagram-phone-seller")
    before = rows(first)

    pack["scenarios"][0]["steps"][0]["messages"][1]["text"] = "Hi! The phone is still here."
    report = pack_import(packs=[("outsider.json", pack)])

    assert [o.describe() for o in report.scenarios] == ["new version 2", "unchanged"]
    second = current("instagram-phone-seller")
    assert (second.number, first.number) == (2, 1)
    assert (
        second.steps.get(key="offer").messages.get(key="m2").text == "Hi! The phone is still here."
    )
    assert rows(first) == before
    assert Scenario.objects.get(slug="instagram-phone-seller").versions.count() == 2
    assert current("real-shop").number == 1


@pytest.mark.django_db
def test_importing_the_same_pack_again_makes_no_new_version():
    """Defaults written out or left out make no difference; nothing is written."""
    pack = load("outsider.json")
    pack_import(packs=[("outsider.json", pack)])
    before, versions = counts(), list(ScenarioVersion.objects.values_list("pk", flat=True))

    same = copy.deepcopy(pack)
    del same["scenarios"][0]["difficulty"]  # 1 is the default
    same["scenarios"][0]["steps"][0]["sender"] = {"name": "phone_shop_astana"}
    report = pack_import(packs=[("same.json", same)])

    assert [o.describe() for o in report.scenarios] == ["unchanged", "unchanged"]
    assert (report.red_flag_types_created, report.red_flag_types_updated) == (0, 0)
    assert counts() == before
    assert list(ScenarioVersion.objects.values_list("pk", flat=True)) == versions


@pytest.mark.django_db
def test_a_pack_adds_languages_to_a_red_flag_type_without_losing_the_others():
    """An object adds or replaces the languages it names; a plain string is the "any" text."""
    RedFlagType.objects.create(
        code="prepayment", name={"ru": "Предоплата", "en": "Prepayment"}, advice={"en": "Don't."}
    )
    kazakh = {"code": "prepayment", "name": {"kk": "Алдын ала төлем"}, "advice": "Pay on delivery."}
    pack = {"format": "saq-pack", "version": 1, "red_flag_types": [kazakh], "scenarios": []}

    report = pack_import(packs=[("kk.json", pack)])

    flag = RedFlagType.objects.get(code="prepayment")
    assert flag.name == {"ru": "Предоплата", "en": "Prepayment", "kk": "Алдын ала төлем"}
    assert flag.advice == {"en": "Don't.", "any": "Pay on delivery."}
    assert (report.red_flag_types_created, report.red_flag_types_updated) == (0, 1)


@pytest.mark.django_db
def test_a_module_imported_again_replaces_its_order_and_check_items():
    """Check items are matched by key: kept ones change in place, missing ones are retired
    (kept for the runs that drew them, never drawn again), and come back when listed again."""
    pack = load("outsider.json")
    pack_import(packs=[("outsider.json", pack)])
    q2 = CheckItem.objects.get(key="q2")
    module = pack["modules"][0]
    module["scenarios"].reverse()
    module["check_items"] = [
        {"key": "q3", "channel": "email", "text": "Your parcel is held.", "legitimate": False},
        dict(module["check_items"][1], text="Send 10 000 ₸, get 50 000 ₸."),
    ]

    report = pack_import(packs=[("outsider.json", pack)])

    assert (report.modules_created, report.modules_updated) == (0, 1)
    basics = Module.objects.get(slug="basics")
    assert [e.scenario.slug for e in basics.entries.all()] == [
        "real-shop",
        "instagram-phone-seller",
    ]
    assert [(i.key, i.order) for i in basics.check_items.in_pool()] == [("q3", 0), ("q2", 1)]
    assert CheckItem.objects.get(pk=q2.pk).text == "Send 10 000 ₸, get 50 000 ₸."
    q1 = basics.check_items.get(key="q1")
    assert q1.retired_at is not None
    assert [item["key"] for item in pack_export()["modules"][0]["check_items"]] == ["q3", "q2"]

    back = {"key": "q1", "channel": "sms", "text": "Back.", "legitimate": True}
    module["check_items"].append(back)
    pack_import(packs=[("outsider.json", pack)])
    q1.refresh_from_db()
    assert (q1.retired_at, q1.order, q1.text) == (None, 2, "Back.")


def many_scenarios(count: int) -> dict:
    """A pack of `count` copies of the outsider's legitimate scenario under different slugs."""
    pack = load("outsider.json")
    pack.pop("modules")
    pack["scenarios"] = [
        dict(pack["scenarios"][1], slug=f"real-shop-{number}") for number in range(count)
    ]
    return pack


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_number_of_scenarios():
    """Rows are written in batches: one scenario or three, the import takes as many queries."""
    with transaction.atomic(), CaptureQueriesContext(connection) as one:
        pack_import(packs=[("one.json", many_scenarios(1))])
        transaction.set_rollback(True)
    with CaptureQueriesContext(connection) as three:
        pack_import(packs=[("three.json", many_scenarios(3))])
    assert len(three) == len(one)
    with CaptureQueriesContext(connection) as again:
        pack_import(packs=[("three.json", many_scenarios(3))])
    assert len(again) < len(one)


@pytest.mark.django_db
def test_a_rejected_import_writes_nothing_and_lists_every_problem():
    """pack_import checks every pack before writing; each problem starts with its pack's name."""
    bad = load("outsider.json")
    bad["scenarios"][1]["channel"] = "fax"
    bad["modules"][0]["language"] = "de"
    with pytest.raises(PackRejected) as rejected:
        pack_import(packs=[("good.json", many_scenarios(2)), ("bad.json", bad)])
    assert rejected.value.problems == [
        'bad.json: scenarios[1].channel: "fax" is not one of '
        "social_dm, messenger, sms, phone_call, email, web_page, classified_ad",
        'bad.json: modules[0].language: "de" is not one of kk, ru, en',
        # The rules still read what the schema refused, so the consequences are listed too.
        'bad.json: modules[0].scenarios[0]: no scenario "instagram-phone-seller" in "de" '
        "in this pack or in the database",
        'bad.json: modules[0].scenarios[1]: no scenario "real-shop" in "de" '
        "in this pack or in the database",
    ]
    assert counts() == dict.fromkeys(counts(), 0)
