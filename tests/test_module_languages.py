"""A module's scenarios are in its language: the admin refuses another (issue 12, item 6)."""

import pytest
from django.urls import reverse

from scenarios.models import Module, ModuleScenario
from tests.authoring import formset
from tests.factories import build_scenario

pytestmark = pytest.mark.django_db


def module_form(scenario_ids: list[int], language: str = "en", **fields) -> dict:
    data = {
        "slug": "basics",
        "language": language,
        "title": "The basics",
        "summary": "",
        "pass_mark": "70",
        "audience": "everyone",
        "check_size": "20",
        "guide": "{}",
        **fields,
    }
    rows = [{"order": str(i), "scenario": str(pk)} for i, pk in enumerate(scenario_ids)]
    return data | formset("entries", rows) | formset("check_items", [])


def test_a_scenario_of_another_language_is_refused_in_a_new_module(author_client):
    english = build_scenario(slug="phone-seller", language="en")
    russian = build_scenario(slug="card-code", language="ru", title="Код из SMS")
    response = author_client.post(
        reverse("admin:scenarios_module_add"), module_form([english.pk, russian.pk])
    )
    assert response.status_code == 200
    assert (
        "card-code is in Russian and this module is in English: choose the scenario in English"
        in response.content.decode()
    )
    assert not Module.objects.exists()


def test_changing_a_module_to_another_language_refuses_its_scenarios_of_the_first(
    author_client,
):
    english = build_scenario(slug="phone-seller", language="en")
    saved = author_client.post(reverse("admin:scenarios_module_add"), module_form([english.pk]))
    assert saved.status_code == 302
    module = Module.objects.get()
    entry = ModuleScenario.objects.get(module=module)
    data = module_form([english.pk], language="kk") | {
        "entries-INITIAL_FORMS": "1",
        "entries-0-id": str(entry.pk),
        "entries-0-module": str(module.pk),
    }
    response = author_client.post(reverse("admin:scenarios_module_change", args=[module.pk]), data)
    assert response.status_code == 200
    assert "phone-seller is in English and this module is in Kazakh" in response.content.decode()
    module.refresh_from_db()
    assert module.language == "en"
