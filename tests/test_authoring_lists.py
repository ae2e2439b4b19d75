"""The admin's list pages: search, the filters authors need, and no query per row."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios.authoring.drafts import draft_start
from scenarios.models import Module, ModuleScenario, RedFlagType
from tests.factories import build_scenario
from trainer.models import StepAnswer

pytestmark = pytest.mark.django_db

LIST = reverse("admin:scenarios_scenario_changelist")


def listed(client, query: str = "") -> list[str]:
    html = client.get(LIST + query).content.decode()
    return re.findall(r'<th class="field-title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def library():
    build_scenario(slug="phone", title="A bargain phone", channel="social_dm")
    build_scenario(slug="shop", title="A real shop", legitimate=True, channel="web_page")
    build_scenario(slug="loan", language="ru", title="Кредит на чужое имя", channel="sms")
    build_scenario(slug="unfinished", title="Unfinished", published=False)
    draft_start(scenario=build_scenario(slug="sms-code", title="A code by SMS", channel="sms"))


def test_search_finds_scenarios_by_slug_and_by_title(author_client, library):
    assert listed(author_client, "?q=bargain") == ["A bargain phone"]
    assert listed(author_client, "?q=loan") == ["Кредит на чужое имя"]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("?language__exact=ru", ["Кредит на чужое имя"]),
        ("?channel=sms", ["Кредит на чужое имя", "A code by SMS"]),
        ("?status=draft", ["Unfinished"]),
        ("?status=published", ["Кредит на чужое имя", "A bargain phone", "A real shop"]),
        ("?status=changed", ["A code by SMS"]),
        ("?kind=legitimate", ["A real shop"]),
        ("?kind=scam&channel=social_dm", ["A bargain phone", "Unfinished"]),
    ],
)
def test_filters_by_language_channel_status_and_kind(author_client, library, query, titles):
    assert listed(author_client, query) == titles


def test_the_list_says_each_scenarios_status_and_kind(author_client, library):
    html = author_client.get(LIST).content.decode()
    assert "published; changes in a draft" in html and "draft, never published" in html
    assert "legitimate" in html and "scam" in html


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_pages_cost_the_same_for_one_row_and_many(author_client):
    urls = [
        LIST,
        LIST + "?q=phone&status=published",
        reverse("admin:scenarios_redflagtype_changelist"),
        reverse("admin:scenarios_module_changelist"),
    ]
    scenario = build_scenario(slug="phone-0")
    module = Module.objects.create(slug="m0", language="en", title="Module 0")
    ModuleScenario.objects.create(module=module, scenario=scenario)
    few = [queries(author_client, url) for url in urls]
    for i in range(1, 8):
        scenario = build_scenario(slug=f"phone-{i}")
        draft_start(scenario=scenario)
        RedFlagType.objects.create(code=f"type-{i}", name={"en": f"Type {i}"})
        module = Module.objects.create(slug=f"m{i}", language="en", title=f"Module {i}")
        ModuleScenario.objects.create(module=module, scenario=scenario)
    many = [queries(author_client, url) for url in urls]
    assert few == many


def test_players_attempts_list_costs_the_same_for_one_and_many(client):
    from tests.authoring import superuser
    from tests.test_play import answer, start

    scenario = build_scenario(slug="played")
    answer(client, start(client, scenario), "Ask to meet first (0)")
    client.force_login(superuser())
    urls = [
        reverse("admin:trainer_attempt_changelist"),
        reverse("admin:trainer_stepanswer_changelist"),
    ]
    few = [queries(client, url) for url in urls]
    for _i in range(6):
        client.cookies.clear()
        answer(client, start(client, scenario), "Ask to meet first (0)")
    client.force_login(superuser("root2"))
    many = [queries(client, url) for url in urls]
    assert few == many
    assert StepAnswer.objects.count() == 7
