"""Writing a scenario in the admin: a new scenario is a draft; steps on the draft's page,
messages and choices on each step's page; keys and orders an author may leave empty."""

import re

import pytest
from django.urls import reverse

from scenarios.models import Choice, Message, RedFlagType, Scenario, Step
from tests.authoring import step_form, version_form
from tests.factories import build_scenario, flag_type

pytestmark = pytest.mark.django_db


def version_url(version) -> str:
    return reverse("admin:scenarios_scenarioversion_change", args=[version.pk])


def step_url(step) -> str:
    return reverse("admin:scenarios_step_change", args=[step.pk])


def create(client, **fields):
    data = {
        "slug": "fake-delivery",
        "language": "ru",
        "title": "Быстрая доставка",
        "channel": "sms",
        "difficulty": "2",
        "summary": "",
        "based_on": "",
        **fields,
    }
    return client.post(reverse("admin:scenarios_scenario_add"), data)


def test_a_new_scenario_is_a_first_draft_and_the_author_lands_on_it(author_client, client):
    response = create(author_client)
    scenario = Scenario.objects.get(slug="fake-delivery", language="ru")
    version = scenario.versions.get()
    assert response.status_code == 302 and response.url == version_url(version)
    assert version.number == 1 and not version.is_published and scenario.current_version is None
    assert (version.title, version.channel, version.difficulty) == ("Быстрая доставка", "sms", 2)
    page = author_client.get(response.url).content.decode()
    assert "Draft of version 1: players do not see it until it is published." in page
    assert "The scenario has no steps yet: add the first step." in page
    assert "Быстрая доставка" not in client.get(reverse("catalogue")).content.decode()


def test_a_bad_slug_is_refused_with_a_clear_message_and_nothing_is_made(author_client):
    response = create(author_client, slug="Fake-Delivery")
    assert response.status_code == 200
    assert (
        "Use small Latin letters, digits, &quot;-&quot; and &quot;_&quot;, starting with a letter "
        "or a digit." in response.content.decode()
    )
    assert not Scenario.objects.exists()


def test_steps_written_on_the_draft_get_keys_from_their_titles_and_orders_in_turn(author_client):
    create(author_client)
    version = Scenario.objects.get().versions.get()
    rows = [
        {"title": "The message", "is_start": "on", "key": "", "order": ""},
        {"title": "You pay", "ending": "scammed", "text": "The parcel never comes.", "key": ""},
        {"title": "You check", "ending": "safe", "text": "No parcel was waiting.", "key": "check"},
    ]
    response = author_client.post(version_url(version), version_form(version, rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    steps = list(version.steps.order_by("order").values_list("key", "order", "is_start", "ending"))
    assert steps == [
        ("the-message", 0, True, ""),
        ("you-pay", 1, False, "scammed"),
        ("check", 2, False, "safe"),
    ]


def test_two_steps_with_one_key_are_refused_and_nothing_is_saved(author_client):
    create(author_client)
    version = Scenario.objects.get().versions.get()
    rows = [{"title": "One", "key": "same"}, {"title": "Two", "key": "same"}]
    response = author_client.post(version_url(version), version_form(version, rows))
    assert response.status_code == 200
    assert "Please correct the duplicate data for key" in response.content.decode()
    assert not version.steps.exists()


def test_a_steps_page_offers_only_its_own_versions_steps_and_flag_types_by_name(author_client):
    other = build_scenario(slug="other-scenario")
    version = build_scenario(published=False, scenes=1).versions.get()
    RedFlagType.objects.create(code="pressure", name={"en": "Pressure and urgency"})
    step = version.steps.get(key="scene-0")
    page = author_client.get(step_url(step)).content.decode()
    assert "Scene 0 (scene-0)" in page and "You kept your money (safe, ending)" in page
    assert "Pressure and urgency (pressure)" in page
    foreign = other.current_version.steps.get(key="safe")
    # Only <option>s of the next-step lists can offer a step (ids of other kinds of rows,
    # such as a choice's hidden id, may share the number).
    offered = set(re.findall(r'<option value="(\d+)"', page))
    assert str(foreign.pk) not in offered
    assert {str(pk) for pk in version.steps.values_list("pk", flat=True)} <= offered
    data = step_form(
        step,
        messages=[],
        choices=[{"text": "Go elsewhere", "verdict": "safe", "next_step": str(foreign.pk)}],
    )
    response = author_client.post(step_url(step), data)
    assert "Select a valid choice" in response.content.decode()
    assert not Choice.objects.filter(text="Go elsewhere").exists()


def test_messages_and_choices_are_written_on_the_steps_page(author_client):
    version = build_scenario(published=False, scenes=1).versions.get()
    scene = version.steps.get(key="scene-0")
    scene.messages.all().delete()
    scene.choices.all().delete()
    safe, scammed = version.steps.get(key="safe"), version.steps.get(key="scammed")
    flag = flag_type("pressure")
    data = step_form(
        scene,
        messages=[
            {
                "text": "Your parcel is held. Pay 500 ₸ today.",
                "flag": str(flag.pk),
                "explanation": "Couriers never ask for money by SMS.",
                "key": "",
                "order": "",
            },
            {"text": "Hello!", "flag": "", "explanation": "", "key": "", "order": ""},
        ],
        choices=[
            {
                "text": "Pay",
                "verdict": "harmful",
                "feedback": "Gone.",
                "next_step": str(scammed.pk),
            },
            {
                "text": "Call the courier",
                "verdict": "safe",
                "feedback": "",
                "next_step": str(safe.pk),
            },
        ],
    )
    response = author_client.post(step_url(scene), data)
    assert response.status_code == 302 and response.url == version_url(version)
    messages = list(scene.messages.order_by("order").values_list("key", "order", "flag__code"))
    assert messages == [("scene-0-m", 0, "pressure"), ("scene-0-m-2", 1, None)]
    choices = list(scene.choices.order_by("order").values_list("text", "next_step__key"))
    assert choices == [("Pay", "scammed"), ("Call the courier", "safe")]


def test_a_red_flag_type_is_written_in_all_three_languages(author_client):
    response = author_client.post(
        reverse("admin:scenarios_redflagtype_add"),
        {
            "code": "fake-delivery",
            "name_kk": "Жалған жеткізу",
            "name_ru": "Поддельная доставка",
            "name_en": "Fake delivery",
            "advice_kk": "Сілтемені ашпаңыз.",
            "advice_ru": "Не открывайте ссылку.",
            "advice_en": "Do not open the link.",
            "asks_for": "nothing",
        },
    )
    assert response.status_code == 302
    stored = RedFlagType.objects.get(code="fake-delivery")
    assert stored.name == {
        "kk": "Жалған жеткізу",
        "ru": "Поддельная доставка",
        "en": "Fake delivery",
    }
    assert stored.advice["kk"] == "Сілтемені ашпаңыз."
    listing = author_client.get(reverse("admin:scenarios_redflagtype_changelist")).content.decode()
    assert "Жалған жеткізу" in listing and "Поддельная доставка" in listing


def test_editing_a_red_flag_type_keeps_a_packs_text_for_every_language(author_client):
    stored = RedFlagType.objects.create(code="prepay", name={"any": "Prepayment"}, advice={})
    page = author_client.get(reverse("admin:scenarios_redflagtype_change", args=[stored.pk]))
    assert page.status_code == 200
    author_client.post(
        reverse("admin:scenarios_redflagtype_change", args=[stored.pk]),
        {"name_en": "Prepayment", "name_ru": "Предоплата", "name_kk": "", "asks_for": "nothing"},
    )
    stored.refresh_from_db()
    assert stored.name == {"any": "Prepayment", "en": "Prepayment", "ru": "Предоплата"}


def test_an_ending_has_no_message_or_choice_rows(author_client):
    version = build_scenario(published=False, scenes=1).versions.get()
    page = author_client.get(step_url(version.steps.get(key="safe"))).content.decode()
    assert "messages-TOTAL_FORMS" not in page and "choices-TOTAL_FORMS" not in page
    assert Message.objects.filter(step__version=version).count() == 3
    assert Step.objects.filter(version=version).count() == 3


def test_a_step_key_that_a_pack_could_not_hold_is_refused_on_the_steps_page(author_client):
    version = build_scenario(published=False, scenes=1).versions.get()
    step = version.steps.get(key="safe")
    response = author_client.post(step_url(step), step_form(step, [], [], key="Safe Ending"))
    assert "Use small Latin letters" in response.content.decode()
    assert Step.objects.get(pk=step.pk).key == "safe"
