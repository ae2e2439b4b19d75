"""The built-in curriculum in content/: what it covers, and that every ending of every
scenario can be played to in every language."""

import html
import json
from collections import deque
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from scenarios.models import Module, Scenario, Step
from trainer.models import Attempt

CONTENT = Path(settings.BASE_DIR) / "content"
LANGUAGES = ["kk", "ru", "en"]
REAL_CASES = ["instagram-phone-seller", "multiply-money", "found-documents-loan"]


def _packs() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(CONTENT.glob("*.json"))]


def _scenarios() -> list[dict]:
    return [scenario for pack in _packs() for scenario in pack.get("scenarios", [])]


def _by_slug() -> dict[str, dict[str, dict]]:
    found: dict[str, dict[str, dict]] = {}
    for scenario in _scenarios():
        found.setdefault(scenario["slug"], {})[scenario["language"]] = scenario
    return found


def _shape(scenario: dict) -> dict:
    """Everything but the words: what must be the same in every translation."""

    def step_shape(step: dict) -> tuple:
        messages = tuple((m["key"], m.get("flag")) for m in step.get("messages", []))
        choices = tuple((c["verdict"], c["next"]) for c in step.get("choices", []))
        return (step["key"], step.get("ending"), step.get("loss_kzt"), messages, choices)

    return {
        "start": scenario["start"],
        "channel": scenario["channel"],
        "legitimate": scenario["legitimate"],
        "difficulty": scenario.get("difficulty"),
        "steps": [step_shape(step) for step in scenario["steps"]],
    }


def test_every_scenario_is_in_kazakh_russian_and_english_with_one_structure():
    for slug, translations in _by_slug().items():
        assert sorted(translations) == sorted(LANGUAGES), f"{slug}: {sorted(translations)}"
        shapes = {language: _shape(scenario) for language, scenario in translations.items()}
        assert shapes["kk"] == shapes["en"], f"{slug}: kk differs from en"
        assert shapes["ru"] == shapes["en"], f"{slug}: ru differs from en"


def test_the_curriculum_covers_the_real_cases_more_scams_and_look_alikes():
    english = {slug: by_language["en"] for slug, by_language in _by_slug().items()}
    assert set(REAL_CASES) <= set(english)
    scams = [s for slug, s in english.items() if not s["legitimate"] and slug not in REAL_CASES]
    look_alikes = [s for s in english.values() if s["legitimate"]]
    assert len(scams) >= 3 and len(look_alikes) >= 3
    assert len({s["channel"] for s in english.values()}) >= 4


def _steps(scenario: dict) -> dict[str, dict]:
    return {step["key"]: step for step in scenario["steps"]}


@pytest.mark.parametrize("slug", REAL_CASES)
def test_each_real_case_lets_a_safe_choice_follow_a_risky_one(slug):
    scenario = _by_slug()[slug]["en"]
    steps = _steps(scenario)
    after_risk = {
        choice["next"]
        for step in steps.values()
        for choice in step.get("choices", [])
        if choice["verdict"] != "safe"
    }
    later_safe = [
        key
        for key in after_risk
        if any(c["verdict"] == "safe" for c in steps[key].get("choices", []))
    ]
    assert later_safe, f"{slug}: no safe choice is left after a risky or harmful one"
    endings = {step.get("ending") for step in steps.values()}
    assert {"scammed", "safe"} <= endings


def test_the_basics_module_orders_every_scenario_in_each_language():
    modules = [module for pack in _packs() for module in pack.get("modules", [])]
    basics = {m["language"]: m for m in modules if m["slug"] == "basics"}
    assert sorted(basics) == sorted(LANGUAGES)
    for language, module in basics.items():
        assert set(module["scenarios"]) == set(_by_slug()), language
        items = module["check_items"]
        scams = [item for item in items if not item["legitimate"]]
        assert len(scams) >= 4 and len(items) - len(scams) >= 4, language


def _paths_to_endings(scenario: Scenario) -> dict[int, list[int]]:
    """For every ending step of the published version, a shortest list of choice ids
    that leads there from the start."""
    version = scenario.current_version
    steps = {step.id: step for step in Step.objects.filter(version=version)}
    choices_from: dict[int, list] = {}
    for step in steps.values():
        choices_from[step.id] = list(step.choices.order_by("order"))
    start = next(step for step in steps.values() if step.is_start)
    paths = {start.id: []}
    queue = deque([start.id])
    while queue:
        here = queue.popleft()
        for choice in choices_from[here]:
            if choice.next_step_id not in paths:
                paths[choice.next_step_id] = [*paths[here], choice.id]
                queue.append(choice.next_step_id)
    return {key: path for key, path in paths.items() if steps[key].ending}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_built_in_scenario_plays_to_each_of_its_endings(language):
    call_command("import_scenarios", *sorted(str(p) for p in CONTENT.glob("*.json")), verbosity=0)
    scenarios = Scenario.objects.published().filter(language=language)
    assert scenarios.count() == len(_by_slug())
    assert Module.objects.filter(slug="basics", language=language).exists()
    for scenario in scenarios:
        endings = _paths_to_endings(scenario)
        assert len(endings) >= 2, scenario.slug
        for ending_id, path in endings.items():
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            response = client.post(reverse("scenario_start", args=[scenario.slug, language]))
            attempt = Attempt.objects.get(pk=response.url.split("/")[2])
            for position, choice_id in enumerate(path):
                client.post(
                    reverse("play", args=[attempt.id]),
                    {"position": position, "choice": choice_id},
                )
            attempt.refresh_from_db()
            assert attempt.current_step_id == ending_id and attempt.is_finished
            page = client.get(reverse("result", args=[attempt.id]), follow=True)
            ending = Step.objects.get(pk=ending_id)
            assert html.escape(ending.title) in page.content.decode(), (scenario.slug, ending.key)
