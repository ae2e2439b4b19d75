"""Preview: an author plays a draft from the admin through the player's own pages, and the
draft shows in no catalogue, no statistic and no cache that players are served from."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from scenarios.content import version_content
from scenarios.models import Choice, Step
from tests.authoring import step_form
from tests.factories import build_scenario
from tests.forms import page_token
from trainer.authors.stats import version_stats
from trainer.models import Attempt
from trainer.play.page_cache import _pages

pytestmark = pytest.mark.django_db


def preview(client, version, once: str = ""):
    """Press "Preview as a player" on the draft's page (as loaded when `once` was read)."""
    return client.post(reverse("authoring_preview", args=[version.pk]), {"once": once})


def preview_token(client, version) -> str:
    return page_token(client, reverse("admin:scenarios_scenarioversion_change", args=[version.pk]))


def play_first_choices(client, attempt_url: str) -> str:
    """Take the first choice on every step; return the result page."""
    while True:
        attempt = Attempt.objects.get(pk=attempt_url.split("/")[2])
        if attempt.is_finished:
            return client.get(reverse("result", args=[attempt.id])).content.decode()
        step = attempt.current_step
        client.post(
            attempt_url,
            {"position": attempt.position, "choice": step.choices.order_by("order")[0].pk},
        )


def test_an_author_plays_a_draft_through_the_players_pages_with_a_banner(author_client, client):
    scenario = build_scenario(published=False, scenes=2, title="Draft to try")
    version = scenario.versions.get()
    response = preview(author_client, version)
    attempt = Attempt.objects.get()
    assert response.status_code == 303 and response.url == reverse("play", args=[attempt.id])
    assert attempt.preview and attempt.version == version
    page = author_client.get(response.url).content.decode()
    assert "Preview of a draft" in page and "this attempt is counted nowhere" in page
    assert "Send 50% to my card now (0)" in page and "Ask to meet first (0)" in page
    result = play_first_choices(author_client, response.url)
    assert "You kept your money" in result and "Back to the draft" in result
    assert "Play again" not in result
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.answers.count() == 2

    catalogue = client.get(reverse("catalogue")).content.decode()
    assert "Draft to try" not in catalogue
    assert client.get(reverse("scenario_start", args=[scenario.slug, "en"])).status_code == 404


def test_a_draft_is_never_cached_so_every_edit_shows_at_once(author_client):
    version = build_scenario(published=False, scenes=1).versions.get()
    url = preview(author_client, version).url
    assert "Send 50% to my card now (0)" in author_client.get(url).content.decode()
    assert not version_content(version.pk).published
    assert len(_pages._items) == 0  # the page cache holds published pages only
    Step.objects.filter(version=version, key="scene-0").update(title="Renamed scene")
    assert "Renamed scene" in author_client.get(url).content.decode()


def test_previews_are_left_out_of_the_statistics(author_client, client):
    scenario = build_scenario(scenes=1)
    version = scenario.current_version
    response = preview(author_client, version)  # a published version is not previewed
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only a draft is previewed; a published version is played."
    ]
    assert not Attempt.objects.exists()
    # A draft previewed, then published: its previews stay out of the figures.
    draft = build_scenario(published=False, scenes=1, slug="later").versions.get()
    play_first_choices(author_client, preview(author_client, draft).url)
    from scenarios.authoring.drafts import draft_publish

    draft_publish(version=draft, user=None)
    stats = version_stats(version_content(draft.pk))
    assert stats.attempts == 0 and stats.steps[0].answered == 0
    assert Attempt.objects.filter(preview=True).count() == 1


def test_a_draft_with_errors_previews_up_to_the_broken_choice(author_client):
    """Only publishing waits for the graph check: the preview plays what there is, and a
    choice that leads nowhere stops it there with a message, the attempt where it was."""
    version = build_scenario(published=False, scenes=3).versions.get()
    Choice.objects.filter(step__key="scene-1", order=0).update(next_step=None)
    edit = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    assert "Put the errors right to publish. A preview plays the draft" in (
        author_client.get(edit).content.decode()
    )
    response = preview(author_client, version)
    attempt = Attempt.objects.get()
    assert response.url == reverse("play", args=[attempt.id])
    scene_0, scene_1 = Step.objects.filter(version=version, key__in=["scene-0", "scene-1"])
    author_client.post(response.url, {"position": 0, "choice": scene_0.choices.get(order=0).pk})
    stopped = author_client.post(
        response.url, {"position": 1, "choice": scene_1.choices.get(order=0).pk}, follow=True
    )
    assert "The preview stops here: this choice leads nowhere yet." in stopped.content.decode()
    attempt.refresh_from_db()
    assert (attempt.current_step, attempt.position, attempt.is_finished) == (scene_1, 1, False)


def test_test_from_this_step_begins_the_preview_on_that_scene(author_client):
    version = build_scenario(published=False, scenes=3).versions.get()
    Step.objects.filter(version=version).update(is_start=False)  # an error: no start
    scene_2 = Step.objects.get(version=version, key="scene-2")
    page = author_client.get(reverse("admin:scenarios_step_change", args=[scene_2.pk]))
    assert "Test from this step" in page.content.decode()
    response = author_client.post(
        reverse("authoring_preview", args=[version.pk]), {"step": scene_2.pk}
    )
    attempt = Attempt.objects.get()
    assert attempt.current_step == scene_2 and attempt.preview
    assert "Scene 2" in author_client.get(response.url).content.decode()


def test_a_preview_needs_a_scene_to_begin_on(author_client):
    version = build_scenario(published=False, scenes=1).versions.get()
    Step.objects.filter(version=version).update(is_start=False)
    response = preview(author_client, version)
    assert response.url == reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    assert "mark one scene as the start" in str(list(get_messages(response.wsgi_request))[0])
    ending = Step.objects.get(version=version, key="safe")
    refused = author_client.post(
        reverse("authoring_preview", args=[version.pk]), {"step": ending.pk}
    )
    assert [str(m) for m in get_messages(refused.wsgi_request)][-1] == (
        "Choose a scene of this draft to test from, not an ending."
    )
    assert not Attempt.objects.exists()


def test_editing_a_draft_throws_its_previews_away_so_steps_can_be_deleted(author_client):
    version = build_scenario(published=False, scenes=2).versions.get()
    play_first_choices(author_client, preview(author_client, version).url)
    assert Attempt.objects.filter(preview=True).exists()
    scene = version.steps.get(key="scene-1")
    rows = [
        {
            "id": str(c.pk),
            "order": str(c.order),
            "text": c.text,
            "verdict": c.verdict,
            "feedback": c.feedback,
            "next_step": str(c.next_step_id),
        }
        for c in scene.choices.order_by("order")
    ]
    rows[0]["DELETE"] = "on"  # the choice the preview took: its answer holds on to it
    messages = [
        {
            "id": str(m.pk),
            "order": str(m.order),
            "key": m.key,
            "text": m.text,
            "flag": str(m.flag_id or ""),
            "explanation": m.explanation,
        }
        for m in scene.messages.order_by("order")
    ]
    response = author_client.post(
        reverse("admin:scenarios_step_change", args=[scene.pk]),
        step_form(scene, messages, rows),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(scene.choices.values_list("text", flat=True)) == ["Transfer 75 000 tenge (1)"]
    assert not Attempt.objects.exists()


def test_only_staff_with_content_permissions_preview(client):
    from tests.authoring import staff_without_group

    version = build_scenario(published=False, scenes=1).versions.get()
    client.force_login(staff_without_group())
    assert preview(client, version).status_code == 403
    assert client.get(reverse("authoring_preview", args=[version.pk])).status_code == 405
    assert not Attempt.objects.exists()


def test_a_double_clicked_preview_button_begins_one_preview(author_client):
    version = build_scenario(published=False, scenes=1).versions.get()
    once = preview_token(author_client, version)
    first, second = preview(author_client, version, once), preview(author_client, version, once)
    assert first.url == second.url
    assert Attempt.objects.count() == 1
    # The page loaded again is a new intent: a second preview.
    assert preview(author_client, version, preview_token(author_client, version)).url != first.url


def test_a_step_without_choices_says_the_preview_stops_there(author_client):
    version = build_scenario(published=False, scenes=2).versions.get()
    scene_1 = Step.objects.get(version=version, key="scene-1")
    scene_1.choices.all().delete()
    response = author_client.post(
        reverse("authoring_preview", args=[version.pk]), {"step": scene_1.pk}
    )
    page = author_client.get(response.url).content.decode()
    assert "The preview stops here: this step has no choices yet." in page
