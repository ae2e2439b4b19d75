"""A module pack imported again without check items that runs drew and players answered:
the items are retired, never deleted. The runs finish on them, the reports read them, and
no new run draws them."""

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from scenarios.models import CheckItem, Module
from scenarios.packs.importer import pack_import
from tests.session_factories import (
    facilitator,
    join,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from trainer.sessions.check import session_check

pytestmark = pytest.mark.django_db

PACK = Path(__file__).parent / "packs" / "outsider.json"


def pack_with_items(keys: list[str]) -> dict:
    """The outsider pack, its module's pool made of these items: scams and genuine in turn."""
    pack = json.loads(PACK.read_text())
    pack["modules"][0]["check_items"] = [
        {
            "key": key,
            "channel": "sms",
            "text": f"Check message {key}",
            "legitimate": number % 2 == 1,
        }
        for number, key in enumerate(keys)
    ]
    return pack


def test_an_answered_item_left_out_of_a_pack_is_retired_and_its_run_still_finishes():
    old_keys, new_keys = ["q1", "q2", "q3", "q4"], ["q5", "q6", "q7", "q8"]
    pack_import(packs=[("outsider.json", pack_with_items(old_keys))])
    module = Module.objects.get(slug="basics", language="en")
    scenarios = [entry.scenario for entry in module.entries.order_by("order")]
    session = new_session(scenarios=scenarios, module=module)
    player = Client()
    join(player, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    drawn_after = run.items_drawn("after")
    take_check(player, run, "before")

    report = pack_import(packs=[("outsider.json", pack_with_items(new_keys))])

    assert report.modules_updated == 1
    old = CheckItem.objects.filter(module=module, key__in=old_keys)
    assert old.count() == 4 and not old.filter(retired_at__isnull=True).exists()
    assert sorted(module.check_items.in_pool().values_list("key", flat=True)) == new_keys
    # The run goes on with the items it drew, and finishes.
    for number in (1, 2):
        play(player, start_scenario(player, session, number))
    check_page = player.get(reverse("module_check", args=[run.id, "after"])).content.decode()
    for item in CheckItem.objects.filter(pk__in=drawn_after):
        assert item.text in check_page
    result = take_check(player, run, "after").url
    assert result == reverse("module_result", args=[run.id])
    assert "Your result" in player.get(result).content.decode()
    run.refresh_from_db()
    assert run.finished_at is not None
    # The report reads the answers given to the retired items.
    check = session_check(session)
    assert (check.players, check.before_answers, check.after_answers) == (1, 2, 2)
    (answers,) = check.by_player.values()  # one player: figures, read for the group only
    before, after = answers.before.discernment(), answers.after.discernment()
    assert (before.hit_rate, after.false_alarm_rate) == (1.0, 0.0)
    facilitator_client = Client()
    facilitator_client.force_login(facilitator("alice", session.organisation))
    html = facilitator_client.get(reverse("facilitator:report", args=[session.id])).content
    assert "From 1 player who took the check before and after." in html.decode()
    # A player joining now draws from the items of the pack alone.
    newcomer = Client()
    join(newcomer, session, "Bolat")
    fresh = run_of(session, "Bolat")
    drawn = fresh.items_drawn("before") + fresh.items_drawn("after")
    assert len(drawn) == 4
    assert set(CheckItem.objects.filter(pk__in=drawn).values_list("key", flat=True)) == set(
        new_keys
    )


def test_a_retired_item_listed_again_comes_back_to_the_pool():
    pack_import(packs=[("outsider.json", pack_with_items(["q1", "q2"]))])
    q1 = CheckItem.objects.get(key="q1")
    pack_import(packs=[("outsider.json", pack_with_items(["q2", "q3"]))])
    q1.refresh_from_db()
    assert q1.retired_at is not None
    pack_import(packs=[("outsider.json", pack_with_items(["q1", "q2", "q3"]))])
    q1.refresh_from_db()
    assert q1.retired_at is None and q1.order == 0
    assert CheckItem.objects.filter(key="q1").count() == 1
