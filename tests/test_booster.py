"""The booster: a link on the result page of a module played alone, carrying the run's
earlier figures; two or three new messages of the types missed most; the comparison with
the run; nothing stored; a changed link refused."""

import random
import re
from collections import Counter

import pytest
from django.apps import apps
from django.core import signing
from django.test import Client
from django.urls import reverse

from scenarios.models import CheckItem
from tests.factories import build_module
from tests.test_modules import answer_check, play_scenario, start_run, truthfully
from trainer.models import ModuleRun
from trainer.runs.booster import (
    SALT,
    PoolItem,
    booster_items_pick,
    booster_ticket_read,
)

pytestmark = pytest.mark.django_db


def finished_alone(client, *, after=truthfully, safe=True) -> tuple[ModuleRun, str]:
    """A run of a module with a pool of 10 scams and 10 genuine messages and checks of 8,
    played to its result; returns the run and the booster link its result page shows."""
    module = build_module(scams=10, genuine=10, check_size=8)
    run = start_run(client, module)
    answer_check(client, run, "before")
    for entry in module.entries.order_by("order").select_related("scenario"):
        play_scenario(client, run, entry.scenario.slug, safe=safe)
    answer_check(client, run, "after", said_scam=after)
    html = client.get(reverse("module_result", args=[run.id])).content.decode()
    links = re.findall(r'<a class="booster-link" href="(http://testserver/booster/[^"]+)">', html)
    assert len(links) == 1, "the result page shows one booster link"
    run.refresh_from_db()
    return run, links[0].removeprefix("http://testserver")


def rows_everywhere() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in apps.get_models()}


def answers_for(item_ids, said_scam) -> dict[str, str]:
    items = CheckItem.objects.in_bulk(item_ids)
    return {
        f"item-{item_id}": "scam" if said_scam(items[item_id]) else "genuine"
        for item_id in item_ids
    }


def test_the_link_carries_new_items_and_the_runs_figures(client):
    one_wrong = {}

    def one_mistake(item):
        if not one_wrong and item.legitimate:
            one_wrong["id"] = item.id
            return True  # a false alarm
        return truthfully(item)

    run, url = finished_alone(client, after=one_mistake)
    ticket = booster_ticket_read(url.split("/")[2])
    assert ticket.module_id == run.module_id
    seen = set(run.items_drawn("before")) | set(run.items_drawn("after"))
    assert len(ticket.item_ids) == 3 and not set(ticket.item_ids) & seen
    kinds = sorted(CheckItem.objects.get(pk=i).legitimate for i in ticket.item_ids)
    assert kinds == [False, False, True]  # two scams and one genuine message
    assert (ticket.right, ticket.checked) == (7, 8)
    assert ticket.score == 100
    assert ticket.missed == ()  # every red flag was marked, no scam was trusted
    # The link carries the same ticket however often the result is read (its signature
    # holds the second it was signed, so the text itself may differ from one read to the next).
    html = client.get(reverse("module_result", args=[run.id])).content.decode()
    again = re.search(r'<a class="booster-link" href="http://testserver/booster/([^"/]+)/"', html)
    assert booster_ticket_read(again[1]) == ticket


def test_the_types_missed_are_counted_over_scenarios_and_checks(client):
    run, url = finished_alone(client, after=lambda item: False, safe=False)
    ticket = booster_ticket_read(url.split("/")[2])
    # Harmful choices with every flag marked: nothing missed in the scenarios (1 scene
    # each), and the 4 scams of the last check trusted, all of the prepayment type.
    assert ticket.missed == (("prepayment", 4),)
    assert (ticket.right, ticket.checked) == (4, 8)


def test_the_booster_asks_its_items_and_compares_with_the_run_storing_nothing(client):
    run, url = finished_alone(client, after=lambda item: False)  # 4 of 8 right
    ticket = booster_ticket_read(url.split("/")[2])
    stranger = Client()  # weeks later, on another phone: the link is all it needs
    before = rows_everywhere()

    page = stranger.get(url).content.decode()
    assert "<h1>A short booster</h1>" in page
    assert "Here are 3 messages you have not seen yet." in page
    assert "Last time these tricks got past you most:" in page
    assert "<li>Demand to pay in advance</li>" in page
    legends = re.findall(r'<legend class="check-legend">(.*?)</legend>', page)
    assert len(legends) == 3
    for item_id in ticket.item_ids:
        assert CheckItem.objects.get(pk=item_id).text in page

    form = answers_for(ticket.item_ids, truthfully)
    missing_one = dict(list(form.items())[:2], sent="1")
    refused = stranger.get(url, missing_one).content.decode()
    assert "These have no answer:" in refused
    left_out = ticket.item_ids[2]
    assert f'<li><a href="#item-{left_out}">Message 3 of 3' in refused
    first = ticket.item_ids[0]
    assert f'id="item-{first}-{form[f"item-{first}"]}" checked>' in refused  # kept

    result = stranger.get(url, {**form, "sent": "1"}).content.decode()
    assert "<h1>Your booster result</h1>" in result
    assert "Better than last time" not in result and "Saq gives no verdict" in result
    assert '<dd class="now">3 of 3 right</dd>' in result
    assert '<dd class="before">4 of 8 right</dd>' in result
    assert "<dd>100 / 100</dd>" in result
    assert result.count("Right: it was a scam") == 2 and result.count("Right: it was genuine") == 1
    assert result.count("Last time this kind of trick got past you 4 times.") == 2
    assert result.count("This time you caught it.") == 2
    assert rows_everywhere() == before, "the booster stores nothing"


def test_a_worse_booster_reads_as_fading_and_shows_what_was_wrong(client):
    _run, url = finished_alone(client)  # 8 of 8 right
    ticket = booster_ticket_read(url.split("/")[2])
    form = answers_for(ticket.item_ids, lambda item: item.legitimate)  # all wrong
    result = Client().get(url, {**form, "sent": "1"}).content.decode()
    assert "Less good" not in result and "it cannot show whether you got better" in result
    assert '<dd class="now">0 of 3 right</dd>' in result
    assert result.count("You trusted it, but it was a scam") == 2
    assert result.count("You called it a scam, but it was genuine") == 1
    assert "Pay only on delivery." in result  # the red flag's advice


def test_a_changed_or_cut_link_is_refused_with_a_clear_message(client):
    _run, url = finished_alone(client)
    token = url.split("/")[2]
    payload = booster_ticket_read(token)
    forged = signing.dumps({"m": payload.module_id, "i": [1, 2, 3]}, salt="another salt")
    for broken in (
        token[:-3],
        token[:20],
        token.replace(token[-5], "A" if token[-5] != "A" else "B"),
        forged,
        "nothing",
    ):
        response = Client().get(reverse("booster", args=[broken]))
        html = response.content.decode()
        assert response.status_code == 400, broken
        assert "This booster link is damaged: it was changed, or cut short" in html
        assert "check-legend" not in html


def test_a_link_made_with_the_salt_but_the_wrong_shape_is_refused(client):
    token = signing.dumps({"m": "x"}, salt=SALT, compress=True)
    assert Client().get(reverse("booster", args=[token])).status_code == 400


def test_items_taken_out_of_the_module_since_make_the_booster_gone(client):
    _run, url = finished_alone(client)
    ticket = booster_ticket_read(url.split("/")[2])
    CheckItem.objects.filter(pk__in=ticket.item_ids[:2]).delete()
    response = Client().get(url)
    assert response.status_code == 410
    assert "The messages of this booster are no longer part of the module." in (
        response.content.decode()
    )


def test_a_module_whose_pool_the_checks_use_up_offers_no_booster(client):
    module = build_module(scams=4, genuine=4)  # two checks of 4: nothing new is left
    run = start_run(client, module)
    answer_check(client, run, "before")
    for entry in module.entries.order_by("order").select_related("scenario"):
        play_scenario(client, run, entry.scenario.slug)
    answer_check(client, run, "after")
    html = client.get(reverse("module_result", args=[run.id])).content.decode()
    assert "booster" not in html.lower()


def test_the_pick_prefers_scams_of_the_types_missed_most_and_keeps_one_genuine():
    pool = [
        PoolItem(1, False, "pressure"),
        PoolItem(2, False, "prepayment"),
        PoolItem(3, False, "card-data"),
        PoolItem(4, False, "prepayment"),
        PoolItem(5, True, None),
        PoolItem(6, True, None),
    ]
    missed = Counter({"prepayment": 3, "card-data": 1})
    for seed in range(20):
        picked = booster_items_pick(pool, missed, random.Random(seed))
        assert len(picked) == 3 and {2, 4} <= set(picked)  # both prepayment scams
        assert len({5, 6} & set(picked)) == 1  # and one genuine message
    missed = Counter({"card-data": 2})
    picks = {tuple(sorted(booster_items_pick(pool, missed, random.Random(s)))) for s in range(30)}
    assert all(3 in pick for pick in picks)
    assert len({pick[0] for pick in picks if pick[0] != 3}) > 1  # the second scam varies


def test_the_pick_fills_from_the_other_kind_and_gives_nothing_below_two_items():
    scams_only = [PoolItem(i, False, "pressure") for i in range(5)]
    assert len(booster_items_pick(scams_only, Counter(), random.Random(1))) == 3
    genuine_only = [PoolItem(i, True, None) for i in range(2)]
    assert sorted(booster_items_pick(genuine_only, Counter(), random.Random(1))) == [0, 1]
    assert booster_items_pick([PoolItem(1, False, "x")], Counter(), random.Random(1)) == []
