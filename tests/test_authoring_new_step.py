"""Fewer round trips: a choice names a step that does not exist yet, and saving makes it and
opens it to be written next."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from scenarios.models import Choice, Step
from tests.authoring import step_form
from tests.factories import build_scenario

pytestmark = pytest.mark.django_db


def step_url(step) -> str:
    return reverse("admin:scenarios_step_change", args=[step.pk])


def empty_scene():
    version = build_scenario(published=False, scenes=1).versions.get()
    scene = version.steps.get(key="scene-0")
    scene.choices.all().delete()
    return version, scene


def choice(text: str, **fields) -> dict:
    return {"text": text, "verdict": "safe", "feedback": "", "order": "", **fields}


def test_a_choice_naming_a_new_step_makes_it_and_opens_it(author_client):
    version, scene = empty_scene()
    data = step_form(
        scene,
        messages=[],
        choices=[
            choice("Ask a friend first", new_step="ask-friend"),
            choice("Ask the bank", new_step="ask-friend"),  # the same new step, made once
            choice("Pay", next_step=str(version.steps.get(key="scammed").pk)),
        ],
    )
    response = author_client.post(step_url(scene), data)
    made = Step.objects.get(version=version, key="ask-friend")
    assert response.status_code == 302 and response.url == step_url(made)
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        'New step "ask-friend" made: write it now.'
    )
    leads = dict(Choice.objects.filter(step=scene).values_list("text", "next_step__key"))
    assert leads == {
        "Ask a friend first": "ask-friend",
        "Ask the bank": "ask-friend",
        "Pay": "scammed",
    }
    assert made.order > max(s.order for s in version.steps.exclude(pk=made.pk))
    assert "Test from this step" in author_client.get(response.url).content.decode()


def test_a_new_step_key_already_taken_or_given_with_a_next_step_is_refused(author_client):
    version, scene = empty_scene()
    safe = version.steps.get(key="safe")
    data = step_form(
        scene,
        messages=[],
        choices=[
            choice("Walk away", new_step="safe"),
            choice("Think", new_step="think", next_step=str(safe.pk)),
        ],
    )
    page = author_client.post(step_url(scene), data).content.decode()
    assert "This draft has a step with this key already: pick it as the next step." in page
    assert "Pick a next step or name a new one, not both." in page
    assert not Choice.objects.filter(step=scene).exists()
    assert not Step.objects.filter(key="think").exists()


def test_a_published_steps_page_shows_no_new_step_column(client):
    from tests.authoring import author

    client.force_login(author())
    step = build_scenario(scenes=1).current_version.steps.get(key="scene-0")
    page = client.get(step_url(step))
    assert page.status_code == 200 and "or a new step" not in page.content.decode()


def test_every_control_of_a_row_is_named_with_its_column_and_row(author_client):
    _version, scene = empty_scene()
    html = author_client.get(step_url(scene)).content.decode()
    assert 'aria-label="Text, row 1"' in html and 'aria-label="Next step, row 2"' in html
    assert 'aria-label="Red flag, row 1"' in html and 'aria-label="Or a new step, row 1"' in html
