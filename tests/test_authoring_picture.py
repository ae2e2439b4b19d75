"""The picture of the story: drawn on the server as SVG, boxes in layers from the start,
arrows coloured by verdict, endings by outcome, broken links standing out, and author text
always inert."""

import re

import pytest
from django.urls import reverse

from scenarios.authoring.picture import BOX_WIDTH, COLUMN_GAP, MARGIN, picture_build
from scenarios.authoring.story import story_load
from scenarios.models import Choice, Message, Step
from tests.factories import build_scenario

pytestmark = pytest.mark.django_db


def draft(**options):
    return build_scenario(published=False, **options).versions.get()


def column(x: int) -> int:
    return (x - MARGIN) // (BOX_WIDTH + COLUMN_GAP)


def test_steps_are_laid_out_in_layers_by_distance_from_the_start():
    picture = picture_build(story_load(draft(scenes=3)))
    boxes = {box.full_title: box for box in picture.boxes}
    assert column(boxes["Scene 0"].x) == 0
    assert column(boxes["Scene 1"].x) == 1 and column(boxes["The money is gone"].x) == 1
    assert column(boxes["Scene 2"].x) == 2
    assert column(boxes["You kept your money"].x) == 3
    assert "box-start" in boxes["Scene 0"].classes
    assert "box-ending box-scammed" in boxes["The money is gone"].classes
    assert "box-ending box-safe" in boxes["You kept your money"].classes


def test_arrows_are_coloured_by_verdict_and_broken_links_stand_out():
    version = draft(scenes=2)
    Choice.objects.filter(step__key="scene-1", order=1).update(next_step=None)
    Step.objects.create(version=version, key="lost", order=9, title="Lost", ending="safe", text="x")
    picture = picture_build(story_load(version))
    classes = sorted(arrow.classes for arrow in picture.arrows)
    assert classes == [
        "edge edge-broken",
        "edge edge-harmful",
        "edge edge-safe",
        "edge edge-safe",
    ]
    broken = next(arrow for arrow in picture.arrows if "broken" in arrow.classes)
    assert broken.marker == "arrow-broken"
    assert broken.label == "Transfer 75 000 tenge (1) (Harmful) → leads nowhere"
    problems = [box.full_title for box in picture.boxes if "box-problem" in box.classes]
    assert problems == ["Scene 1", "Lost"]  # a broken choice; nothing leads to "Lost"


def test_an_unreachable_step_is_drawn_in_a_last_column_marked_as_a_problem():
    version = draft(scenes=1)
    Step.objects.create(version=version, key="lost", order=9, title="Lost", ending="safe", text="x")
    boxes = {box.full_title: box for box in picture_build(story_load(version)).boxes}
    assert column(boxes["Lost"].x) == 2
    assert "box-problem" in boxes["Lost"].classes


def test_the_svg_on_the_page_uses_classes_not_styles(author_client):
    version = draft(scenes=2)
    url = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    html = author_client.get(url).content.decode()
    svg = html[html.index("<svg xmlns") : html.index("</svg>", html.index("<svg xmlns"))]
    assert 'class="edge edge-safe"' in svg and 'class="edge edge-harmful"' in svg
    assert 'marker-end="url(#arrow-safe)"' in svg
    assert "style=" not in svg and "<script" not in svg
    assert len(re.findall(r"<rect ", svg)) == 4
    first = version.steps.get(key="scene-0")
    assert f'href="{reverse("admin:scenarios_step_change", args=[first.pk])}"' in svg


def test_author_text_with_markup_comes_out_inert(author_client):
    version = draft(scenes=1)
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    Step.objects.filter(version=version, key="scene-0").update(title=attack)
    Choice.objects.filter(step__version=version, order=0).update(text=attack)
    Message.objects.filter(step__version=version, key="m0-flag").update(explanation="")
    for url in [
        reverse("admin:scenarios_scenarioversion_change", args=[version.pk]),
        reverse("admin:scenarios_scenario_change", args=[version.scenario_id]),
    ]:
        html = author_client.get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html  # the tooltips
        assert '<script>alert("x")' not in html and "<img src=x" not in html


def test_the_admin_pages_send_the_strict_content_security_policy(author_client):
    version = draft(scenes=1)
    response = author_client.get(
        reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    )
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
