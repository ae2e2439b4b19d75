"""The picture of the story: drawn on the server as SVG, boxes laid out in layers by
Graphviz's dot, no arrow through a box, titles whole, arrows coloured by verdict, endings by
outcome, broken links standing out, the graph as a text list beside it, and author text
always inert."""

import re

import pytest
from django.urls import reverse

from scenarios.authoring import layout
from scenarios.authoring.picture import LINE_CHARACTERS, picture_build
from scenarios.authoring.story import story_load
from scenarios.models import Choice, Message, Step
from tests.factories import build_scenario

pytestmark = pytest.mark.django_db


def draft(**options):
    return build_scenario(published=False, **options).versions.get()


def test_steps_are_laid_out_in_layers_from_the_start_on_the_left():
    picture = picture_build(story_load(draft(scenes=3)))
    assert picture.laid_out_by_dot
    boxes = {box.full_title: box for box in picture.boxes}
    x = {title: box.x for title, box in boxes.items()}
    assert x["Scene 0"] < x["Scene 1"] < x["Scene 2"] < x["You kept your money"]
    assert x["Scene 0"] < x["The money is gone"]
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


def test_an_unreachable_step_is_marked_as_a_problem():
    version = draft(scenes=1)
    Step.objects.create(version=version, key="lost", order=9, title="Lost", ending="safe", text="x")
    boxes = {box.full_title: box for box in picture_build(story_load(version)).boxes}
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


def _cubic_points(path: str) -> list[tuple[float, float]]:
    """Points along an SVG path of M, C and L commands (the only ones the layout writes)."""
    tokens = re.findall(r"[MCL]|-?\d+(?:\.\d+)?", path)
    points, current, i = [], None, 0
    while i < len(tokens):
        command = tokens[i]
        if command in "ML":
            current = (float(tokens[i + 1]), float(tokens[i + 2]))
            points.append(current)
            i += 3
        else:  # C: three points after the current one
            p = [current] + [
                (float(tokens[i + 1 + 2 * n]), float(tokens[i + 2 + 2 * n])) for n in range(3)
            ]
            for step in range(1, 21):
                t = step / 20
                points.append(
                    tuple(
                        (1 - t) ** 3 * p[0][d]
                        + 3 * (1 - t) ** 2 * t * p[1][d]
                        + 3 * (1 - t) * t**2 * p[2][d]
                        + t**3 * p[3][d]
                        for d in (0, 1)
                    )
                )
            current = p[3]
            i += 7
    return points


def _inside(point, box, inset: int = 3) -> bool:
    x, y = point
    return (
        box.x + inset < x < box.x + box.width - inset
        and box.y + inset < y < box.y + box.height - inset
    )


def test_no_arrow_passes_through_a_box_nor_do_boxes_overlap():
    """Checked on the geometry itself: points sampled along every arrow's curve fall inside
    no box, and no two boxes share any area (a story with loops, a back edge and a broken
    link, where a hand layout drew an arrow through a box)."""
    version = draft(scenes=4)
    steps = {step.key: step for step in Step.objects.filter(version=version)}
    Choice.objects.create(
        step=steps["scene-3"], order=2, text="Back", verdict="risky", next_step=steps["scene-0"]
    )
    Choice.objects.create(
        step=steps["scene-0"], order=2, text="Skip", verdict="risky", next_step=steps["scene-3"]
    )
    Choice.objects.filter(step=steps["scene-2"], order=1).update(next_step=None)
    picture = picture_build(story_load(version))
    boxes = picture.boxes
    for a in boxes:
        for b in boxes:
            if a is not b:
                apart = (
                    a.x + a.width <= b.x
                    or b.x + b.width <= a.x
                    or a.y + a.height <= b.y
                    or b.y + b.height <= a.y
                )
                assert apart, (a.full_title, b.full_title)
    for arrow in picture.arrows:
        for point in _cubic_points(arrow.path):
            assert not [box.full_title for box in boxes if _inside(point, box)], arrow.label
    for box in boxes:
        assert box.x >= 0 and box.x + box.width <= picture.width
        assert box.y >= 0 and box.y + box.height <= picture.height


def test_a_long_title_is_wrapped_whole_onto_more_lines_not_cut():
    version = draft(scenes=1)
    title = "The seller sends a photo of a passport and asks for half the price up front"
    Step.objects.filter(version=version, key="scene-0").update(title=title)
    box = next(b for b in picture_build(story_load(version)).boxes if b.full_title == title)
    lines = [line.text for line in box.title_lines]
    assert " ".join(lines) == title and len(lines) > 1
    assert all(len(line) <= LINE_CHARACTERS for line in lines)
    assert box.subtitle_lines[-1].y < box.y + box.height  # the text stays in its box


def test_the_story_is_listed_as_text_beside_the_picture(author_client):
    version = draft(scenes=1)
    Choice.objects.filter(step__version=version, order=1).update(next_step=None)
    html = author_client.get(
        reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    ).content.decode()
    outline = html[html.index('id="story-outline-title"') :]
    assert "Scene 0 (scene-0)</a> — Start" in outline
    assert "“Transfer 75 000 tenge (0)” (Harmful) → <strong" in outline
    assert "leads nowhere" in outline
    assert "You kept your money (safe)</a>" in outline


def test_without_graphviz_the_boxes_stand_on_a_grid_and_the_page_says_so(
    author_client, monkeypatch
):
    monkeypatch.setattr(layout, "dot_path", lambda: None)
    version = draft(scenes=2)
    picture = picture_build(story_load(version))
    assert not picture.laid_out_by_dot and len(picture.boxes) == 4
    html = author_client.get(
        reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    ).content.decode()
    assert "Graphviz (dot) is not installed on this server" in html
