"""A red-flag type's code is its identity; its name, advice and what it asks for are data.

An edit reaches the next debrief wherever it is served (nothing of a type is kept in one
process's memory), the code cannot be changed, and what to do now follows what the type
asks for, whatever its code."""

import re

import pytest
from django.urls import reverse

from scenarios.models import AsksFor, RedFlagType, Scenario
from scenarios.packs.exporter import pack_export
from scenarios.packs.importer import PackRejected, pack_import
from tests.factories import build_scenario
from tests.test_aftercare import action_keys, aftercare_section
from tests.test_play import answer, start

pytestmark = pytest.mark.django_db

SCAMMED = "Transfer 75 000 tenge (0)"
ADVICE = "A bank never asks for the code on the back of your card."


def card_scenario(code: str = "card-data", asks_for: str = AsksFor.CARD_DATA) -> Scenario:
    scenario = build_scenario(channel="sms", flag=code)
    RedFlagType.objects.filter(code=code).update(
        name={"en": "Asks for the card code"},
        advice={"en": ADVICE},
        asks_for=asks_for,
    )
    return scenario


def result_page(client, attempt) -> str:
    return client.get(reverse("result", args=[attempt.id])).content.decode()


def remembered(html: str) -> list[tuple[str, str]]:
    """The debrief's "What to remember": each red-flag type's name and advice."""
    section = re.search(r'<section class="advice".*?</section>', html, re.S).group(0)
    return re.findall(r"<strong[^>]*>(.*?)</strong>.*?<p[^>]*>(.*?)</p>", section, re.S)


def test_an_edited_name_shows_at_once_with_its_advice_and_what_to_do_now(author_client):
    client = author_client  # a staff member who plays, then edits
    scenario = card_scenario()
    attempt = start(client, scenario)
    answer(client, attempt, SCAMMED)
    before = result_page(client, attempt)  # read once, as a worker would before the edit
    assert remembered(before) == [("Asks for the card code", ADVICE)]
    assert action_keys(aftercare_section(before)) == ["block-card", "police"]

    flag = RedFlagType.objects.get(code="card-data")
    response = author_client.post(
        reverse("admin:scenarios_redflagtype_change", args=[flag.pk]),
        {
            "name_en": "Asks for a code from an SMS",
            "advice_en": ADVICE,
            "asks_for": AsksFor.CARD_DATA,
        },
    )
    assert response.status_code == 302
    after = result_page(client, attempt)
    assert remembered(after) == [("Asks for a code from an SMS", ADVICE)]
    assert "Asks for the card code" not in after
    assert action_keys(aftercare_section(after)) == ["block-card", "police"]

    # An edit made elsewhere (another worker, another app server: no hook runs in this
    # process) shows just the same on the next page.
    RedFlagType.objects.filter(pk=flag.pk).update(name={"en": "Wants the card secrets"})
    assert remembered(result_page(client, attempt)) == [("Wants the card secrets", ADVICE)]


def test_the_code_of_a_saved_type_cannot_be_changed_in_the_admin(author_client):
    flag = RedFlagType.objects.create(code="card-data", name={"en": "Card data"})
    url = reverse("admin:scenarios_redflagtype_change", args=[flag.pk])
    page = author_client.get(url).content.decode()
    assert 'name="code"' not in page
    assert re.search(r'<div class="readonly">card-data</div>', page)
    response = author_client.post(
        url, {"code": "renamed", "name_en": "Card data", "asks_for": AsksFor.CARD_DATA}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.code == "card-data" and flag.asks_for == AsksFor.CARD_DATA
    assert not RedFlagType.objects.filter(code="renamed").exists()
    # A new code is a new type, typed when the type is added.
    assert (
        'name="code"'
        in author_client.get(reverse("admin:scenarios_redflagtype_add")).content.decode()
    )


def test_what_to_do_now_follows_what_the_type_asks_for_not_its_code(client):
    """A code the aftercare rules never heard of, asking for card data, brings the card's
    blocking; the built-in code "card-data" asking for nothing brings none."""
    stranger = card_scenario(code="sms-code-theft", asks_for=AsksFor.CARD_DATA)
    attempt = start(client, stranger)
    answer(client, attempt, SCAMMED)
    assert action_keys(aftercare_section(result_page(client, attempt))) == [
        "block-card",
        "police",
    ]

    plain = build_scenario(slug="plain", channel="sms", flag="card-data")
    RedFlagType.objects.filter(code="card-data").update(asks_for=AsksFor.NOTHING)
    attempt = start(client, plain)
    answer(client, attempt, SCAMMED)
    assert action_keys(aftercare_section(result_page(client, attempt))) == ["police"]


def test_personal_data_asked_for_by_any_code_brings_the_stop_credit_steps(client):
    scenario = card_scenario(code="wants-your-iin", asks_for=AsksFor.PERSONAL_DATA)
    attempt = start(client, scenario)
    answer(client, attempt, SCAMMED)
    assert action_keys(aftercare_section(result_page(client, attempt))) == [
        "police",
        "stop-credit",
        "credit-history",
        "loan-in-your-name",
    ]


def pack_of_types(*types: dict) -> dict:
    return {"format": "saq-pack", "version": 1, "red_flag_types": list(types), "scenarios": []}


def test_a_pack_sets_what_a_type_asks_for_and_a_pack_that_leaves_it_out_keeps_it():
    pack_import(
        packs=[
            (
                "types.json",
                pack_of_types({"code": "iin", "name": "IIN", "asks_for": "personal_data"}),
            )
        ]
    )
    assert RedFlagType.objects.get(code="iin").asks_for == AsksFor.PERSONAL_DATA
    pack_import(packs=[("kk.json", pack_of_types({"code": "iin", "name": {"kk": "ЖСН"}}))])
    stored = RedFlagType.objects.get(code="iin")
    assert stored.asks_for == AsksFor.PERSONAL_DATA and stored.name == {"any": "IIN", "kk": "ЖСН"}
    pack_import(
        packs=[("off.json", pack_of_types({"code": "iin", "name": "IIN", "asks_for": "nothing"}))]
    )
    assert RedFlagType.objects.get(code="iin").asks_for == AsksFor.NOTHING


def test_an_exported_type_carries_what_it_asks_for_and_imports_back_the_same():
    card_scenario()
    exported = pack_export()
    assert exported["red_flag_types"] == [
        {
            "code": "card-data",
            "name": {"en": "Asks for the card code"},
            "advice": {"en": ADVICE},
            "asks_for": "card_data",
        }
    ]
    RedFlagType.objects.filter(code="card-data").update(asks_for=AsksFor.NOTHING)
    assert "asks_for" not in pack_export()["red_flag_types"][0]  # left out at "nothing"
    report = pack_import(packs=[("back.json", exported)])
    assert report.red_flag_types_updated == 1
    assert RedFlagType.objects.get(code="card-data").asks_for == AsksFor.CARD_DATA


def test_an_unknown_value_of_asks_for_is_refused_with_its_place():
    with pytest.raises(PackRejected) as refused:
        pack_import(
            packs=[("bad.json", pack_of_types({"code": "x", "name": "X", "asks_for": "money"}))]
        )
    assert refused.value.problems == [
        'bad.json: red_flag_types[0].asks_for: "money" is not one of nothing, card_data, '
        "personal_data, account_access, app_install"
    ]
    assert not RedFlagType.objects.exists()


def test_the_red_flag_list_names_a_type_as_it_is_now_though_its_items_are_kept(client):
    """The red-flag list's items are drawn once per spot, outcome, type name and language
    (trainer/play/debrief.py): a new name is a new item, and another player's outcome on
    the same spot is their own."""
    scenario = card_scenario()
    attempt = start(client, scenario)
    answer(client, attempt, SCAMMED)

    def flag_names(html: str) -> list[str]:
        flags = re.search(r'<section class="flags".*?</section>', html, re.S).group(0)
        return re.findall(r'<span class="flag-name"[^>]*>(.*?)</span>', flags)

    def outcomes(html: str) -> list[str]:
        return re.findall(r'<li class="flag-item outcome-(\w+)">', html)

    assert flag_names(result_page(client, attempt)) == ["Asks for the card code"]
    RedFlagType.objects.filter(code="card-data").update(name={"en": "Wants the card secrets"})
    first = result_page(client, attempt)
    assert flag_names(first) == ["Wants the card secrets"] and outcomes(first) == ["missed"]

    other = type(client)()
    theirs = start(other, scenario)
    step = Scenario.objects.get(pk=scenario.pk).current_version.steps.get(is_start=True)
    flagged = step.messages.filter(flag__isnull=False).values_list("text", flat=True)
    answer(other, theirs, SCAMMED, marked_texts=list(flagged))
    assert outcomes(result_page(other, theirs)) == ["hit"]
    assert outcomes(result_page(client, attempt)) == ["missed"]
