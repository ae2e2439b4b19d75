"""Translating safely: the copy is made from the published version and says which; each step
of the copy shows its source text beside the fields; publishing asks first while a text
still reads word for word as the source's."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from scenarios.authoring.drafts import draft_start
from scenarios.authoring.translation import identical_to_source
from scenarios.models import Choice, Message, Scenario, ScenarioVersion, Step
from tests.factories import build_scenario

pytestmark = pytest.mark.django_db


def translate(client, scenario, language="kk"):
    return client.post(
        reverse("admin:scenarios_scenario_translate", args=[scenario.pk]), {"language": language}
    )


def notices(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_nothing_published_is_not_copied(author_client):
    scenario = build_scenario(published=False)
    response = translate(author_client, scenario)
    assert notices(response) == [
        "Nothing of this scenario is published yet: publish it first, so that the translation "
        "is copied from a version that no longer changes."
    ]
    assert not Scenario.objects.filter(language="kk").exists()


def test_the_copy_is_of_the_published_version_says_so_and_warns_of_the_draft(author_client):
    scenario = build_scenario(scenes=1)
    overview = author_client.get(reverse("admin:scenarios_scenario_change", args=[scenario.pk]))
    assert "The copy is made from published version 1" in overview.content.decode()
    draft = draft_start(scenario=scenario)
    Step.objects.filter(version=draft, key="scene-0").update(title="Edited, not published")
    response = translate(author_client, scenario)
    assert notices(response) == [
        "A copy of published version 1 to translate is ready as a draft: replace each text "
        "with its translation. Each step's page shows the text it was copied from.",
        "Draft version 2 of the original is not published: its edits are not in the copy. Add "
        "them to the translation when the draft is published.",
    ]
    copy = ScenarioVersion.objects.get(scenario__language="kk")
    assert copy.translated_from == scenario.current_version
    assert copy.steps.get(key="scene-0").title == "Scene 0"
    page = author_client.get(reverse("admin:scenarios_scenarioversion_change", args=[copy.pk]))
    assert "Translated from" in page.content.decode()
    assert "phone-seller (en) v1" in page.content.decode()


def test_a_translated_step_shows_its_source_beside_each_field(author_client):
    scenario = build_scenario(scenes=1)
    translate(author_client, scenario)
    copy = ScenarioVersion.objects.get(scenario__language="kk")
    step = copy.steps.get(key="scene-0")
    step.title = "Бірінші көрініс"
    step.save()
    Message.objects.filter(step=step, key="m0-flag").update(text="Аударылған хабар")
    Choice.objects.filter(step=step, order=0).update(text="Алдымен кездесуді сұрау")
    page = author_client.get(reverse("admin:scenarios_step_change", args=[step.pk]))
    html = page.content.decode()
    assert "Translated from English, version 1" in html
    original = scenario.current_version.steps.get(key="scene-0")
    flagged = original.messages.get(key="m0-flag")
    assert f'<span class="source-label">title:</span> {original.title}</p>' in html
    assert f'<span class="source-label">text:</span> {flagged.text}</p>' in html
    assert f'<span class="source-label">explanation:</span> {flagged.explanation}</p>' in html
    assert "Ask to meet first (0)" in html  # the first choice's source text
    assert "Аударылған хабар" in html  # beside the translation being written
    untranslated = build_scenario(slug="own", scenes=1).current_version.steps.first()
    plain = author_client.get(reverse("admin:scenarios_step_change", args=[untranslated.pk]))
    assert "source text" not in plain.content.decode().lower()


def publish(client, version, **data):
    return client.post(reverse("admin:scenarios_scenarioversion_publish", args=[version.pk]), data)


def test_publishing_text_identical_to_the_source_asks_first(author_client):
    scenario = build_scenario(scenes=1)
    translate(author_client, scenario)
    copy = ScenarioVersion.objects.get(scenario__language="kk")
    ScenarioVersion.objects.filter(pk=copy.pk).update(title="Арзан телефон", summary="Қысқаша")
    Step.objects.filter(version=copy).update(title="Аударылған", text="Аударылған мәтін")
    Step.objects.filter(version=copy, ending="").update(text="")
    Message.objects.filter(step__version=copy).update(text="Хабар", explanation="Түсіндірме")
    choices = Choice.objects.filter(step__version=copy)
    choices.update(feedback="")
    choices.exclude(order=0).update(text="Аударылған таңдау")  # the first stays in English
    copy.refresh_from_db()
    assert identical_to_source(copy) == ['step "scene-0", choice 1: “Ask to meet first (0)”']

    asked = publish(author_client, copy)
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "1 text of this translation is word for word as in version 1" in html
    assert "step &quot;scene-0&quot;, choice 1: “Ask to meet first (0)”" in html
    copy.refresh_from_db()
    assert copy.published_at is None

    done = publish(author_client, copy, identical_confirmed="yes")
    assert done.status_code == 302
    copy.refresh_from_db()
    assert copy.published_at is not None and copy.scenario.current_version == copy


def test_a_fully_translated_copy_publishes_without_asking(author_client):
    scenario = build_scenario(scenes=1)
    translate(author_client, scenario)
    copy = ScenarioVersion.objects.get(scenario__language="kk")
    ScenarioVersion.objects.filter(pk=copy.pk).update(title="Арзан телефон", summary="Қысқаша")
    Step.objects.filter(version=copy).update(title="Аударылған", text="")
    Step.objects.filter(version=copy).exclude(ending="").update(text="Мәтін")
    Message.objects.filter(step__version=copy).update(text="Хабар", explanation="Түсіндірме")
    Choice.objects.filter(step__version=copy).update(text="Таңдау", feedback="")
    response = publish(author_client, copy)
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.published_at is not None
