"""The picture of the story in the debrief: the player's path numbered and drawn bold, the
paths not taken faint, the endings not reached named; checked against the story itself."""

import re

import pytest
from django.utils import translation

from scenarios.content import version_content
from tests.factories import build_scenario
from trainer.play.answers import AnswerRow
from trainer.play.story_map import WIDTH, story_map_build, story_map_html

pytestmark = pytest.mark.django_db


def test_the_path_taken_is_numbered_and_bold_and_the_other_endings_are_named():
    scenario = build_scenario(scenes=3)
    content = version_content(scenario.current_version_id)
    steps = content.steps
    # Safe on the first two scenes, then the harmful choice on the third: scammed.
    path = [steps["scene-0"], steps["scene-1"], steps["scene-2"]]
    choices = [path[0].choices[0], path[1].choices[0], path[2].choices[1]]
    answers = [
        AnswerRow(step.id, choice.id, [], []) for step, choice in zip(path, choices, strict=True)
    ]
    picture = story_map_build(content, answers, steps["scammed"].id)

    numbered = {dot.title: dot.number for dot in picture.dots if dot.number}
    assert numbered == {"Scene 0": "1", "Scene 1": "2", "Scene 2": "3", "The money is gone": "4"}
    here = [dot for dot in picture.dots if "here" in dot.classes.split()]
    assert [dot.title for dot in here] == ["The money is gone"]
    assert "map-ending-scammed" in here[0].classes

    # One bold line per choice taken, every other choice of the story faint.
    every_choice = sum(len(step.choices) for step in steps.values())
    taken = [line for line in picture.lines if line.classes.endswith(" taken")]
    assert len(taken) == len(answers)
    assert len(picture.lines) - len(taken) == every_choice - len(answers)
    assert [line.classes.split()[1] for line in taken] == ["map-safe", "map-safe", "map-harmful"]
    assert picture.lines[-len(taken) :] == tuple(taken)  # drawn over the faint ones

    assert [(step.title, step.verdict) for step in picture.path] == [
        ("Scene 0", "safe"),
        ("Scene 1", "safe"),
        ("Scene 2", "harmful"),
    ]
    assert [step.title for step in picture.endings_not_reached] == ["You kept your money"]
    assert picture.scenes == 3

    # Everything fits the picture's width, and its path data is numbers only.
    assert all(dot.r <= dot.x <= WIDTH - dot.r for dot in picture.dots)
    assert all(re.fullmatch(r"[MCL0-9, .-]+", line.path) for line in picture.lines)


def test_the_result_page_draws_the_map_and_says_the_path_in_words(client):
    scenario = build_scenario(scenes=1)
    response = client.post(f"/s/{scenario.slug}/en/")
    attempt_url = response.url
    page = client.get(attempt_url).content.decode()
    choice = re.search(r'name="choice" value="(\d+)"[^>]*>Transfer', page).group(1)
    result = client.post(attempt_url, {"position": 0, "choice": choice}, follow=True)
    html = result.content.decode()
    assert 'role="img" aria-labelledby="map-title map-desc"' in html
    assert html.count('class="map-dot') == 3  # a scene and two endings
    assert "1 scene and 2 endings, from the start at the top." in html
    assert "you chose <q" in html and "Transfer 75 000 tenge (0)" in html
    assert "Endings you did not reach" in html and "You kept your money" in html


def test_the_rendered_picture_is_kept_per_path_and_language_and_never_mixed():
    scenario = build_scenario(scenes=2)
    content = version_content(scenario.current_version_id)
    steps = content.steps
    first, second = steps["scene-0"], steps["scene-1"]
    scammed_early = [AnswerRow(first.id, first.choices[1].id, [], [])]
    scammed_late = [
        AnswerRow(first.id, first.choices[0].id, [], []),
        AnswerRow(second.id, second.choices[1].id, [], []),
    ]
    ending = steps["scammed"].id
    early = story_map_html(content, scammed_early, ending)
    late = story_map_html(content, scammed_late, ending)
    assert early.count('class="map-number"') == 2 and late.count('class="map-number"') == 3
    assert story_map_html(content, scammed_early, ending) is early  # kept, not drawn again
    with translation.override("ru"):
        russian = story_map_html(content, scammed_early, ending)
    assert "Ваш путь по истории" in russian and "Your path through the story" in early
