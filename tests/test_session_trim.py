"""A teacher trims a module: ticks some of its scenarios (or asks for its short form), sees
the time the choice takes, and the group plays only those, between the module's check
before and after. Minutes are the scenarios' own (build_scenario gives a scene a minute),
added up here by hand."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import build_scenario
from tests.session_factories import (
    build_module,
    facilitator,
    join,
    organisation,
    play,
    run_of,
    start_scenario,
    take_check,
)
from trainer.models import ModuleRun, TrainingSession
from trainer.runs.progress import Stage, module_run_progress
from trainer.sessions import trim

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


@pytest.fixture
def module():
    """Five scenarios of 4, 5, 6, 2 and 3 minutes; the fourth genuine. Check pool of 8."""
    scenarios = [
        build_scenario(slug="s1", title="One", scenes=4),
        build_scenario(slug="s2", title="Two", scenes=5),
        build_scenario(slug="s3", title="Three", scenes=6),
        build_scenario(slug="s4", title="Four", scenes=2, legitimate=True),
        build_scenario(slug="s5", title="Five", scenes=3),
    ]
    return build_module(scenarios, checks=8)


def make(client, module, **form):
    data = {"organisation": organisation().pk, "title": "9B", "language": "en"}
    data.update(module=module.pk, **form)
    return client.post(reverse("facilitator:session_new"), data)


def slugs(session):
    return list(session.entries.order_by("number").values_list("scenario__slug", flat=True))


def test_the_module_is_offered_with_its_scenarios_and_minutes(alice, module):
    page = alice.get(reverse("facilitator:session_new") + "?language=en").content.decode()
    assert "The basics: 5 scenarios, about 20 minutes of play" in page  # 4+5+6+2+3
    assert "Three · 6 minutes</label>" in page
    assert "The module&#x27;s short form, for one lesson" in page


def test_ticking_three_of_its_scenarios_plays_those_in_the_module_order(alice, module):
    s5, s1, s3 = (module.entries.get(scenario__slug=s).scenario for s in ("s5", "s1", "s3"))
    response = make(alice, module, scenarios=[s5.pk, s1.pk, s3.pk])
    assert response.status_code == 303
    session = TrainingSession.objects.get()
    assert session.module == module
    assert slugs(session) == ["s1", "s3", "s5"]
    overview = alice.get(response.url).content.decode()
    assert "3 of the module’s 5 scenarios, about 13 minutes of play" in overview  # 4+6+3


def test_a_trimmed_session_takes_both_checks_around_only_its_scenarios(module):
    picked = [module.entries.get(scenario__slug=s).scenario for s in ("s2", "s4")]
    alice = Client()
    alice.force_login(facilitator("alice"))
    make(alice, module, scenarios=[s.pk for s in picked])
    session = TrainingSession.objects.get()
    pupil = Client()
    join(pupil, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    assert take_check(pupil, run, "before").status_code == 303
    for number in (1, 2):
        play(pupil, start_scenario(pupil, session, number))
    progress = module_run_progress(run_id=run.id, player_key=run.player_key)
    assert [s.slug for s in progress.scenarios] == ["s2", "s4"]
    assert progress.stage == Stage.CHECK_AFTER
    assert take_check(pupil, run, "after").status_code == 303
    run = ModuleRun.objects.get(pk=run.pk)
    progress = module_run_progress(run_id=run.id, player_key=run.player_key)
    assert progress.stage == Stage.RESULT
    assert sorted(progress.answered) == ["after", "before"]


def test_the_short_form_keeps_to_its_minutes_with_a_genuine_scenario(alice, module):
    make(alice, module, short_form="on")
    session = TrainingSession.objects.get()
    # First three (4+5+6 = 15, the limit); none genuine, so the third gives way to s4.
    assert slugs(session) == ["s1", "s2", "s4"]


def test_a_short_form_of_a_small_module_is_all_of_it():
    scenarios = [build_scenario(slug=f"x{i}", scenes=9) for i in range(3)]
    assert trim.short_form(scenarios) == scenarios


def test_estimate_the_time_shows_the_choice_and_makes_nothing(alice, module):
    picked = [module.entries.get(scenario__slug=s).scenario.pk for s in ("s1", "s4", "s5")]
    page = make(alice, module, scenarios=picked, estimate="").content.decode()
    assert not TrainingSession.objects.exists()
    # 4 + 2 + 3 minutes; a pool of 8 gives checks of 4.
    assert (
        "Your choice: 3 scenarios, about 9 minutes of play, "
        "with a check of 4 messages before and after." in page
    )
    assert page.count('" checked>') == 3  # the choice is kept


def test_a_scenario_outside_the_module_is_refused(alice, module):
    stranger = build_scenario(slug="stranger", title="A stranger")
    page = make(alice, module, scenarios=[stranger.pk]).content.decode()
    assert "Not in the module “The basics”: “A stranger”." in page
    assert not TrainingSession.objects.exists()


def test_the_estimate_needs_no_title_yet(alice, module):
    page = alice.post(
        reverse("facilitator:session_new"),
        {
            "organisation": organisation().pk,
            "language": "en",
            "module": module.pk,
            "short_form": "on",
            "estimate": "",
        },
    ).content.decode()
    # The short form: s1, s2 and s4 (4 + 5 + 2 minutes).
    assert "Your choice: 3 scenarios, about 11 minutes of play" in page
    assert not TrainingSession.objects.exists()
    nothing = alice.post(
        reverse("facilitator:session_new"), {"language": "en", "estimate": ""}
    ).content.decode()
    assert "Your choice" not in nothing and "Choose a module, or at least one scenario." in nothing


def test_a_follow_up_plays_other_scenarios_of_the_same_module_with_its_check(alice, module):
    s1, s2, s3, s4, s5 = (module.entries.get(scenario__slug=f"s{i}").scenario for i in range(1, 6))
    make(alice, module, scenarios=[s1.pk, s2.pk, s4.pk])
    earlier = TrainingSession.objects.get()
    response = alice.post(
        reverse("facilitator:follow_up_new", args=[earlier.id]),
        {
            "title": "9B, a month on",
            "language": "en",
            "module": module.pk,
            "scenarios": [s3.pk, s5.pk],
        },
    )
    assert response.status_code == 303
    later = TrainingSession.objects.exclude(pk=earlier.pk).get()
    assert (later.follow_up_of, later.module) == (earlier, module)
    assert slugs(later) == ["s3", "s5"]  # none the group played before
