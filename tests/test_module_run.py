"""A module run, step by step: its scenarios open in order and belong to the run, the run
page says where the player is, a module without check items skips the checks, a run is its
browser's own; and the catalogue lists the modules of the page's language."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from scenarios.models import Module, Scenario
from tests.factories import build_module, build_scenario
from tests.test_modules import answer_check, play_every_scenario, play_scenario, start_run
from trainer.models import Attempt, CheckAnswer

pytestmark = pytest.mark.django_db


# The scenarios of a run


def test_the_scenarios_wait_for_the_first_check_and_open_in_order(client):
    run = start_run(client, build_module())
    refused = client.post(reverse("module_play", args=[run.id, "basics-0"]), follow=True)
    assert "Answer the first check before you play the scenarios." in refused.content.decode()
    answer_check(client, run, "before")
    refused = client.post(reverse("module_play", args=[run.id, "basics-1"]), follow=True)
    html = refused.content.decode()
    assert "Play the scenarios in order: finish the one before this first." in html
    assert not Attempt.objects.exists()
    other = build_scenario(slug="not-in-it")
    refused = client.post(reverse("module_play", args=[run.id, other.slug]), follow=True)
    assert "This scenario is not part of the module." in refused.content.decode()
    assert client.get(reverse("module_play", args=[run.id, "basics-0"])).status_code == 405


def test_a_scenario_started_from_the_run_belongs_to_it_and_its_result_leads_back(client):
    module = build_module(scenes=2)
    run = start_run(client, module)
    answer_check(client, run, "before")
    url = reverse("module_play", args=[run.id, "basics-0"])
    first, second = client.post(url), client.post(url)  # a double click
    assert first.url == second.url and Attempt.objects.count() == 1
    attempt = Attempt.objects.get()
    assert attempt.module_run == run and attempt.scenario.slug == "basics-0"
    # A scenario begun on its own is another attempt, and its start page does not offer
    # to resume the run's attempt.
    standalone = client.post(reverse("scenario_start", args=["basics-0", "en"]))
    assert standalone.url != first.url
    assert Attempt.objects.get(pk=standalone.url.split("/")[2]).module_run is None
    finished = play_scenario(client, run, "basics-0")
    assert finished == attempt and Attempt.objects.filter(module_run=run).count() == 1
    html = client.get(reverse("result", args=[attempt.id])).content.decode()
    back = reverse("module_run", args=[run.id])
    assert f'<a class="button button-primary" href="{back}">Continue the module</a>' in html
    lone = client.get(reverse("result", args=[play_scenario_alone(client)])).content.decode()
    assert "Continue the module" not in lone


def play_scenario_alone(client) -> str:
    scenario = build_scenario(slug="alone", scenes=1)
    response = client.post(reverse("scenario_start", args=[scenario.slug, "en"]))
    attempt = Attempt.objects.get(pk=response.url.split("/")[2])
    choice = attempt.current_step.choices.get(order=0)
    client.post(reverse("play", args=[attempt.id]), {"position": 0, "choice": choice.id})
    return str(attempt.id)


def steps_of(html: str) -> list[tuple[str, str]]:
    """The run page's steps as (class, text), whitespace folded."""
    found = re.findall(r'<li class="run-step ?([^"]*)">(.*?)</li>', html, re.S)
    return [(css, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for css, text in found]


def test_the_run_page_says_where_the_player_is(client):
    run = start_run(client, build_module(scenes=2))
    url = reverse("module_run", args=[run.id])
    assert steps_of(client.get(url).content.decode()) == [
        ("run-step-next", "Check before the scenarios Take the check"),
        ("run-step-later", "Case 0 Not yet"),
        ("run-step-later", "Case 1 Not yet"),
        ("", "Check after the scenarios Not yet"),
        ("", "Your result Not yet"),
    ]
    answer_check(client, run, "before")
    html = client.get(url).content.decode()
    assert steps_of(html)[:3] == [
        ("run-step-done", "Check before the scenarios Done"),
        ("run-step-next", "Case 0 Start"),
        ("run-step-later", "Case 1 Not yet"),
    ]
    assert f'action="{reverse("module_play", args=[run.id, "basics-0"])}"' in html
    client.post(reverse("module_play", args=[run.id, "basics-0"]))
    attempt = Attempt.objects.get()
    html = client.get(url).content.decode()
    assert steps_of(html)[1] == ("run-step-next", "Case 0 Continue")
    assert reverse("play", args=[attempt.id]) in html
    play_scenario(client, run, "basics-0")
    attempt.refresh_from_db()
    assert steps_of(client.get(url).content.decode())[1:3] == [
        ("run-step-done", f"Case 0 Done: {attempt.score} / 100 · See its debrief"),
        ("run-step-next", "Case 1 Start"),
    ]
    play_scenario(client, run, "basics-1")
    assert steps_of(client.get(url).content.decode())[3:] == [
        ("run-step-next", "Check after the scenarios Take the check"),
        ("", "Your result Not yet"),
    ]
    answer_check(client, run, "after")
    assert steps_of(client.get(url).content.decode())[3:] == [
        ("run-step-done", "Check after the scenarios Done"),
        ("run-step-next", "Your result See your result"),
    ]


def test_a_module_without_check_items_skips_the_checks(client):
    module = build_module(scams=0, genuine=0)
    html = client.get(reverse("module_start", args=["basics", "en"])).content.decode()
    assert "short messages" not in html and "Play the scenarios one after another." in html
    run = start_run(client, module)
    assert run.items_drawn("before") == [] and run.items_drawn("after") == []
    page = client.get(reverse("module_run", args=[run.id])).content.decode()
    assert "Check before" not in page and "Check after" not in page
    assert steps_of(page)[0] == ("run-step-next", "Case 0 Start")
    assert client.get(reverse("module_check", args=[run.id, "before"])).status_code == 302
    attempts = play_every_scenario(client, run)
    result = client.get(reverse("module_result", args=[run.id])).content.decode()
    for attempt in attempts:
        assert f'<strong class="score-value">{attempt.score} / 100</strong>' in result
    assert "Before and after" not in result
    run.refresh_from_db()
    assert run.finished_at is not None


def test_another_browser_gets_404_for_every_page_of_a_run(client):
    run = start_run(client, build_module())
    answer_check(client, run, "before")
    stranger = Client()
    start_run(stranger, run.module)  # a stranger with a run of their own is still a stranger
    for name, args in [
        ("module_run", [run.id]),
        ("module_check", [run.id, "before"]),
        ("module_check", [run.id, "after"]),
        ("module_result", [run.id]),
    ]:
        assert stranger.get(reverse(name, args=args)).status_code == 404, name
    assert answer_check(stranger, run, "after").status_code == 404
    assert stranger.post(reverse("module_play", args=[run.id, "basics-0"])).status_code == 404
    assert not Attempt.objects.exists()
    assert CheckAnswer.objects.filter(phase="after").count() == 0


# The catalogue


def test_the_catalogue_lists_the_published_modules_of_the_page_language(client):
    build_module(title="Online fraud: the basics")
    build_module(slug="negizderi", language="kk", title="Интернеттегі алаяқтық: негіздері")
    build_module(slug="withdrawn", title="Withdrawn module")
    Scenario.objects.filter(slug="withdrawn-0").update(current_version=None)
    html = client.get(reverse("catalogue")).content.decode()
    assert '<h2 id="modules-title">Modules</h2>' in html
    link = reverse("module_start", args=["basics", "en"])
    assert f'<a href="{link}" lang="en">Online fraud: the basics</a>' in html
    assert "2 scenarios" in html
    assert "негіздері" not in html and "Withdrawn module" not in html
    kazakh = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Интернеттегі алаяқтық: негіздері" in kazakh
    assert "Online fraud: the basics" not in kazakh
    Module.objects.all().delete()
    assert "modules-title" not in client.get(reverse("catalogue")).content.decode()
