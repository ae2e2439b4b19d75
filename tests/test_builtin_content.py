"""The built-in curriculum in content/: what it covers, what it stands on, and that every
ending of every scenario can be played to in every language.

Every scenario, in every language: a `basis` and `sources` defined in content/SOURCES.md; a
careful path (safe choices only, from the start through at least three scenes to a safe
ending) and no path of safe choices that ends scammed; amounts grouped with no-break spaces
(U+00A0), never a plain space or a narrow one; the same `minutes` in every language; every
ending played to."""

import html
import json
import re
from collections import deque
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from scenarios.models import Module, Scenario, Step
from scenarios.packs.importer import estimated_minutes
from trainer.models import Attempt

CONTENT = Path(settings.BASE_DIR) / "content"
LANGUAGES = ["kk", "ru", "en"]
REAL_CASES = ["instagram-phone-seller", "multiply-money", "found-documents-loan"]
SOURCES = CONTENT / "SOURCES.md"
CAREFUL_SCENES = 3


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
        messages = tuple(
            (m["key"], m.get("flag"), m.get("image")) for m in step.get("messages", [])
        )
        choices = tuple((c["verdict"], c["next"]) for c in step.get("choices", []))
        return (step["key"], step.get("ending"), step.get("loss_kzt"), messages, choices)

    return {
        "start": scenario["start"],
        "channel": scenario["channel"],
        "legitimate": scenario["legitimate"],
        "difficulty": scenario.get("difficulty"),
        "basis": scenario.get("basis"),
        "sources": scenario.get("sources"),
        "minutes": scenario.get("minutes"),
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


BASICS = [
    "instagram-phone-seller",
    "real-phone-shop",
    "multiply-money",
    "bank-security-call",
    "genuine-bank-sms",
    "found-documents-loan",
    "genuine-found-document",
    "hijacked-friend-page",
    "fast-delivery-shop",
]


def _modules(slug: str) -> dict[str, dict]:
    modules = [module for pack in _packs() for module in pack.get("modules", [])]
    return {m["language"]: m for m in modules if m["slug"] == slug}


@pytest.mark.parametrize(
    ("slug", "audience"),
    [
        ("basics", "everyone"),
        ("pupils", "pupils"),
        ("at-work", "work"),
        ("older-people", "families"),
    ],
)
def test_each_audience_module_is_in_every_language_with_a_pool_of_both_kinds(slug, audience):
    modules = _modules(slug)
    assert sorted(modules) == sorted(LANGUAGES)
    for language, module in modules.items():
        assert module.get("audience", "everyone") == audience, language
        items = module["check_items"]
        scams = [item for item in items if not item["legitimate"]]
        assert len(scams) >= 4 and len(items) - len(scams) >= 4, language


def test_the_basics_module_holds_the_nine_first_scenarios_in_order():
    for language, module in _modules("basics").items():
        assert module["scenarios"] == BASICS, language


def test_every_scenario_is_in_a_module_in_each_language():
    modules = [module for pack in _packs() for module in pack.get("modules", [])]
    for language in LANGUAGES:
        placed = {slug for m in modules if m["language"] == language for slug in m["scenarios"]}
        assert placed == set(_by_slug()), language


def test_the_pupils_module_has_the_schemes_written_for_them_and_a_look_alike():
    pupils = _modules("pupils")["en"]
    english = {slug: by_language["en"] for slug, by_language in _by_slug().items()}
    chosen = [english[slug] for slug in pupils["scenarios"]]
    assert len(chosen) >= 5
    assert any(s["legitimate"] for s in chosen) and sum(not s["legitimate"] for s in chosen) >= 4
    assert all(s["basis"] == "composite" for s in chosen)


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
    assert set(Module.objects.filter(language=language).values_list("slug", flat=True)) >= {
        "basics",
        "pupils",
    }
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


# What each scenario stands on ---------------------------------------------------------------


def _defined_sources() -> dict[str, str]:
    """Each `### id` heading of content/SOURCES.md and the text under it."""
    text = SOURCES.read_text(encoding="utf-8")
    parts = re.split(r"^### (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _every_scenario() -> list[tuple[str, dict]]:
    return [(f"{s['slug']} ({s['language']})", s) for s in _scenarios()]


def test_every_source_says_what_who_where_and_when():
    sources = _defined_sources()
    assert sources
    for source_id, entry in sources.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", source_id), source_id
        for field in ("**Says:**", "**Published by:**", "**Where:**", "**When:**"):
            assert field in entry, f"{source_id}: no {field}"
        where = entry.split("**Where:**", 1)[1].split("**When:**", 1)[0]
        assert "https://" in where or "seed/" in where, f"{source_id}: no address"
    headings = re.findall(r"^## (.+)$", SOURCES.read_text(encoding="utf-8"), flags=re.M)
    assert headings == [
        "Built-in cases and shared",
        "For pupils and students",
        "At work",
        "For older people and families",
    ]


def test_every_scenario_names_its_basis_and_sources_defined_in_SOURCES_md():
    defined = _defined_sources()
    used = set()
    for name, scenario in _every_scenario():
        assert scenario.get("basis") in ("case", "composite"), f"{name}: basis"
        assert scenario.get("based_on"), f"{name}: based_on"
        sources = scenario.get("sources") or []
        assert sources, f"{name}: no sources"
        unknown = [source for source in sources if source not in defined]
        assert not unknown, f"{name}: not in content/SOURCES.md: {unknown}"
        used |= set(sources)
    assert not set(defined) - used - _SOURCES_FOR_CODE, set(defined) - used


# Sources the site's own words use (trainer/play/aftercare.py), not a scenario.
_SOURCES_FOR_CODE = {"ardfm-2025-loan-in-your-name"}


def test_only_the_documented_cases_say_they_are_one():
    cases = {scenario["slug"] for scenario in _scenarios() if scenario["basis"] == "case"}
    assert cases == set(REAL_CASES)


def _careful_paths(scenario: dict) -> tuple[int, list[list[str]]]:
    """The most scenes a path of safe choices passes on its way to a safe ending, and every
    path of safe choices that ends scammed."""
    steps = _steps(scenario)
    most, scammed = 0, []

    def walk(key: str, path: list[str]) -> None:
        nonlocal most
        step = steps[key]
        if "ending" in step:
            if step["ending"] == "safe":
                most = max(most, len(path) - 1)
            elif step["ending"] == "scammed":
                scammed.append(path)
            return
        for choice in step["choices"]:
            if choice["verdict"] == "safe" and choice["next"] not in path:
                walk(choice["next"], [*path, choice["next"]])

    walk(scenario["start"], [scenario["start"]])
    return most, scammed


def test_every_scenario_has_a_careful_path_of_three_scenes_and_no_safe_path_ends_scammed():
    for name, scenario in _every_scenario():
        most, scammed = _careful_paths(scenario)
        assert most >= CAREFUL_SCENES, f"{name}: the longest careful path passes {most} scenes"
        assert not scammed, f"{name}: safe choices only, and yet scammed: {scammed[0]}"


# A digit, then a plain or a narrow space, then a group of three digits; or a plain or a narrow
# space before the tenge sign or word. Amounts are written "150 000 ₸" with U+00A0 only.
_BAD_GROUPING = re.compile(r"\d[ \u202f]\d{3}(?!\d)")
_BAD_BEFORE_TENGE = re.compile(r"\d[ \u202f](?:₸|тенге|теңге|tenge)")


def _texts(value: object, place: str = ""):
    if isinstance(value, str):
        yield place, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{place}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{place}[{index}]")


def test_amounts_are_grouped_with_no_break_spaces_everywhere():
    wrong = []
    for path in sorted(CONTENT.glob("*.json")):
        for place, text in _texts(json.loads(path.read_text(encoding="utf-8"))):
            for pattern in (_BAD_GROUPING, _BAD_BEFORE_TENGE):
                wrong += [f"{path.name}{place}: {m.group()!r}" for m in pattern.finditer(text)]
    assert not wrong, "\n".join(wrong[:20])


def test_the_amount_check_catches_plain_and_narrow_spaces_and_passes_no_break_ones():
    assert _BAD_GROUPING.search("150 000 ₸") and _BAD_GROUPING.search("150\u202f000")
    assert _BAD_BEFORE_TENGE.search("150\u00a0000 ₸") and _BAD_BEFORE_TENGE.search("5 тенге")
    good = "150\u00a0000\u00a0₸, 3\u00a0000\u00a0000\u00a0теңге, card 4402 7731 0958 2216, 9:00"
    assert not _BAD_GROUPING.search(good) and not _BAD_BEFORE_TENGE.search(good)


def test_every_scenario_takes_the_same_minutes_in_each_language_near_the_estimate():
    for slug, translations in _by_slug().items():
        minutes = {language: s.get("minutes") for language, s in translations.items()}
        assert None not in minutes.values(), f"{slug}: minutes missing in {minutes}"
        assert len(set(minutes.values())) == 1, f"{slug}: {minutes}"
        estimates = [estimated_minutes(s) for s in translations.values()]
        given = minutes["en"]
        assert min(estimates) - 1 <= given <= max(estimates) + 1, (slug, given, estimates)


def test_every_module_is_the_same_in_each_language_but_for_its_words():
    modules = [module for pack in _packs() for module in pack.get("modules", [])]
    by_slug: dict[str, dict[str, dict]] = {}
    for module in modules:
        by_slug.setdefault(module["slug"], {})[module["language"]] = module
    for slug, translations in by_slug.items():
        assert sorted(translations) == sorted(LANGUAGES), slug
        shapes = {
            (
                m.get("pass_mark", 70),
                m.get("audience", "everyone"),
                tuple(m["scenarios"]),
                tuple((i["key"], i["legitimate"], i.get("flag")) for i in m["check_items"]),
            )
            for m in translations.values()
        }
        assert len(shapes) == 1, slug


# The facilitator's guides --------------------------------------------------------------------


def test_every_scenario_has_at_least_three_discussion_questions_in_each_language():
    for slug, translations in _by_slug().items():
        counts = {language: len(s.get("discussion", [])) for language, s in translations.items()}
        assert min(counts.values()) >= 3, (slug, counts)
        assert len(set(counts.values())) == 1, (slug, counts)


def test_every_module_has_a_guide_with_a_45_minute_lesson_and_a_30_minute_session():
    """The same plan in every language (only words differ): 45 minutes at school, 30 at work."""
    modules = [module for pack in _packs() for module in pack.get("modules", [])]
    plans: dict[str, set] = {}
    for module in modules:
        guide = module.get("guide")
        name = f"{module['slug']} ({module['language']})"
        assert guide and guide["before"] and guide["after"], name
        school = [part["minutes"] for part in guide["school_lesson"]]
        work = [part["minutes"] for part in guide["workplace_session"]]
        assert (sum(school), sum(work)) == (45, 30), name
        plans.setdefault(module["slug"], set()).add((tuple(school), tuple(work)))
    assert all(len(shapes) == 1 for shapes in plans.values()), plans
