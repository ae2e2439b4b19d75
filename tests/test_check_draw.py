"""How a run's checks are drawn: two parallel forms, one before and one after, never sharing
an item; each check half scams and half genuine; the forms swapped between halves of a
group by join order (and between runs played alone); a replay drawing what the player has
not seen where the pool allows; the booster's items never drawn for a check."""

import random

import pytest
from django.test import Client
from django.urls import reverse

from scenarios.check_pool import CheckPlan, PoolEntry, check_plan, pool_shortfall_of, split_forms
from scenarios.models import CheckItem
from tests.factories import build_module
from tests.session_factories import join, module_session
from tests.test_modules import start_run
from trainer.models import ModuleRun
from trainer.runs.draw import checks_draw
from trainer.runs.services import module_run_start


def pool_of(scams: int, genuine: int, *, booster: int = 0, forms: bool = False):
    """Scams have ids below 100, genuine items 100 and up, booster items 900 and up. With
    `forms`, items alternate between "a" and "b" explicitly; otherwise they are unassigned."""
    pool = [PoolEntry(i, False, ("a", "b")[i % 2] if forms else "") for i in range(scams)] + [
        PoolEntry(100 + i, True, ("a", "b")[i % 2] if forms else "") for i in range(genuine)
    ]
    pool += [PoolEntry(900 + i, i % 2 == 0, "booster") for i in range(booster)]
    return pool


def scams_in(ids):
    return sum(item_id < 100 for item_id in ids)


@pytest.mark.parametrize("forms", [False, True])
def test_a_pool_of_forty_gives_two_disjoint_checks_of_ten_scams_and_ten_genuine(forms):
    pool = pool_of(20, 20, booster=6, forms=forms)
    a_ids = {e.id for e in split_forms(pool)["a"][False] + split_forms(pool)["a"][True]}
    for seed in range(20):
        before, after = checks_draw(pool, check_size=20, before_form="a", rng=random.Random(seed))
        assert len(before) == len(after) == 20
        assert scams_in(before) == scams_in(after) == 10
        assert not set(before) & set(after), "an item would be seen twice"
        assert set(before) == a_ids, "the check before is the whole of form A"
        assert not {i for i in before + after if i >= 900}, "booster items are kept out"


def test_the_other_form_comes_first_when_asked_and_the_order_is_random():
    pool = pool_of(20, 20)
    first_a = checks_draw(pool, check_size=20, before_form="a", rng=random.Random(1))
    first_b = checks_draw(pool, check_size=20, before_form="b", rng=random.Random(1))
    assert set(first_a[0]) == set(first_b[1]) and set(first_a[1]) == set(first_b[0])
    orders = {
        tuple(checks_draw(pool, check_size=20, before_form="a", rng=random.Random(s))[0])
        for s in range(10)
    }
    assert len(orders) == 10


@pytest.mark.parametrize(
    ("scams", "genuine", "check_size", "plan"),
    [
        (2, 2, 20, (1, 1)),  # a tiny pool: one of each in each form
        (4, 4, 4, (2, 2)),
        (3, 3, 20, (1, 1)),  # an odd pool: form A has one more of each, left out
        (6, 2, 20, (3, 1)),  # few genuine items: one in each check
        (1, 6, 20, (0, 3)),  # one scam: form B has none, so neither check asks one
        (0, 5, 20, (0, 2)),
        (1, 0, 20, (0, 0)),  # nothing in form B: no check
        (24, 24, 20, (10, 10)),  # a larger pool: each check draws 20 of its form's 24
    ],
)
def test_a_smaller_pool_gives_checks_as_large_as_both_forms_allow(scams, genuine, check_size, plan):
    pool = pool_of(scams, genuine)
    assert check_plan(pool, check_size) == CheckPlan(*plan)
    before, after = checks_draw(pool, check_size=check_size, before_form="a", rng=random.Random(3))
    assert len(before) == len(after) == sum(plan)
    assert scams_in(before) == scams_in(after) == plan[0]
    assert not set(before) & set(after)


def test_unassigned_items_fill_the_form_that_has_fewer():
    pool = [PoolEntry(1, False, "a"), PoolEntry(2, False, "a"), PoolEntry(3, False, "")]
    pool += [PoolEntry(4, False, ""), PoolEntry(5, False, "")]
    forms = split_forms(pool)
    assert [e.id for e in forms["a"][False]] == [1, 2, 5]
    assert [e.id for e in forms["b"][False]] == [3, 4]


def test_a_replay_draws_the_items_not_seen_first():
    pool = [
        PoolEntry(i, i >= 100, "ab"[(i % 100) % 2], seen=(i % 100) < 20)
        for i in [*range(30), *range(100, 130)]
    ]
    # Each form has 15 scams and 15 genuine, 10 of each seen: the 5 unseen come first.
    for seed in range(10):
        before, after = checks_draw(pool, check_size=20, before_form="a", rng=random.Random(seed))
        for drawn in (before, after):
            unseen = [i for i in drawn if (i % 100) >= 20]
            assert len(unseen) == 10, "every unseen item of the form is asked"


def test_the_shortfall_says_what_each_form_holds_and_what_the_check_would_be():
    assert pool_shortfall_of(pool_of(20, 20), 20) == ""
    said = pool_shortfall_of(pool_of(12, 9), 20)
    assert "10 scams and 10 genuine" in said
    assert "6 and 5 in form A, 6 and 4 in form B" in said
    assert said.endswith("each check would hold only 10")  # 6 scams, 4 genuine


# Runs in the database


@pytest.mark.django_db
def test_players_of_a_session_get_the_forms_in_turn_by_join_order():
    session = module_session(scams=20, genuine=20)
    legitimate = dict(CheckItem.objects.values_list("id", "legitimate"))
    for i in range(6):
        join(Client(), session, f"Player {i}")
    runs = list(ModuleRun.objects.filter(session=session).order_by("started_at", "id"))
    assert [run.before_form for run in runs] == ["a", "b", "a", "b", "a", "b"]
    form_a = set(runs[0].items_drawn("before"))
    form_b = set(runs[0].items_drawn("after"))
    assert len(form_a) == len(form_b) == 20 and not form_a & form_b
    for run in runs:
        before, after = run.items_drawn("before"), run.items_drawn("after")
        assert (set(before), set(after)) == (
            (form_a, form_b) if run.before_form == "a" else (form_b, form_a)
        )
        assert sum(not legitimate[i] for i in before) == 10
        assert run.is_first_run


@pytest.mark.django_db
def test_runs_played_alone_alternate_too():
    module = build_module(scams=4, genuine=4)
    forms = [module_run_start(player_key=f"solo{i}", module_id=module.id) for i in range(4)]
    assert [ModuleRun.objects.get(pk=run_id).before_form for run_id in forms] == [
        "a",
        "b",
        "a",
        "b",
    ]


@pytest.mark.django_db
def test_a_replay_is_marked_and_draws_items_the_first_run_did_not_where_the_pool_allows():
    # Checks of 8 from forms of 8 scams and 8 genuine: a replay can avoid every item seen.
    module = build_module(scams=16, genuine=16, check_size=8)
    first = ModuleRun.objects.get(pk=module_run_start(player_key="p", module_id=module.id))
    second = ModuleRun.objects.get(pk=module_run_start(player_key="p", module_id=module.id))
    assert first.is_first_run and not first.replay
    assert second.replay and not second.is_first_run
    seen = set(first.items_drawn("before")) | set(first.items_drawn("after"))
    again = set(second.items_drawn("before")) | set(second.items_drawn("after"))
    assert len(again) == 16 and not seen & again
    # Someone else's first run is not a replay.
    other = ModuleRun.objects.get(pk=module_run_start(player_key="q", module_id=module.id))
    assert other.is_first_run


@pytest.mark.django_db
def test_a_run_in_another_language_of_the_same_module_is_a_replay():
    en = build_module(slug="both", language="en", scams=4, genuine=4)
    ru = build_module(slug="both", language="ru", scams=4, genuine=4)
    # build_module makes fresh scenarios per call; the pool keys are the same in both.
    module_run_start(player_key="p", module_id=en.id)
    run = ModuleRun.objects.get(pk=module_run_start(player_key="p", module_id=ru.id))
    assert run.replay


@pytest.mark.django_db
def test_the_module_page_names_the_check_size_the_pool_gives():
    module = build_module(scams=6, genuine=6)  # forms of 3 and 3: checks of 6
    client = Client()
    html = client.get(reverse("module_start", args=[module.slug, "en"])).content.decode()
    assert "you read 6 short messages" in html
    run = start_run(client, module)
    assert len(run.items_drawn("before")) == 6
