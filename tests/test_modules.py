"""A module: how its check items are drawn, its page, starting a run, and the two checks.

The helpers here walk a run; test_module_run.py and test_module_result.py use them too."""

import re
from collections.abc import Callable

import pytest
from django.urls import reverse

from scenarios.models import CheckItem, Module, Scenario
from tests.factories import build_module
from tests.forms import page_token
from trainer.models import Attempt, CheckAnswer, ModuleRun

pytestmark = pytest.mark.django_db


def start_run(client, module: Module, once: str | None = None) -> ModuleRun:
    """Press Start on the module's page, as loaded now (or as loaded when `once` was read
    from it: the same form sent again)."""
    url = reverse("module_start", args=[module.slug, module.language])
    response = client.post(url, {"once": once or page_token(client, url)})
    assert response.status_code == 303
    assert response.url == reverse("module_run", args=[response.url.split("/")[2]])
    return ModuleRun.objects.get(pk=response.url.split("/")[2])


def truthfully(item: CheckItem) -> bool:
    return not item.legitimate


def check_form(run: ModuleRun, phase: str, said_scam: Callable = truthfully) -> dict[str, str]:
    """The check form of a phase, calling each item a scam or not as said_scam(item) says."""
    ids = run.items_drawn(phase)
    items = CheckItem.objects.in_bulk(ids)
    return {
        f"item-{item_id}": "scam" if said_scam(items[item_id]) else "genuine" for item_id in ids
    }


def answer_check(client, run: ModuleRun, phase: str, said_scam: Callable = truthfully):
    form = check_form(run, phase, said_scam)
    return client.post(reverse("module_check", args=[run.id, phase]), form)


def play_scenario(client, run: ModuleRun, slug: str, safe: bool = True) -> Attempt:
    """Start a scenario from the run and play it to its ending: every red flag marked and
    the safe choice taken on each step (or the harmful one, which ends it at once)."""
    response = client.post(reverse("module_play", args=[run.id, slug]))
    assert response.status_code == 303, response
    attempt = Attempt.objects.get(pk=response.url.split("/")[2])
    while not attempt.is_finished:
        step = attempt.current_step
        client.post(
            reverse("play", args=[attempt.id]),
            {
                "position": attempt.position,
                "choice": step.choices.get(order=0 if safe else 1).id,
                "mark": [m.id for m in step.messages.filter(flag__isnull=False)],
            },
        )
        attempt.refresh_from_db()
    return attempt


def play_every_scenario(client, run: ModuleRun) -> list[Attempt]:
    entries = run.module.entries.order_by("order").select_related("scenario")
    return [play_scenario(client, run, entry.scenario.slug) for entry in entries]


# Drawing the check items: tests/test_check_draw.py


# The module page and starting a run


def test_the_module_page_shows_the_scenarios_in_order_and_how_the_check_works(client):
    module = build_module(scams=4, genuine=5)
    html = client.get(reverse("module_start", args=["basics", "en"])).content.decode()
    assert "<h1>Online fraud: the basics</h1>" in html
    assert "Two cases and how to spot them." in html
    titles = re.findall(r'<span class="module-scenario-title" lang="en">(.*?)</span>', html)
    assert titles == ["Case 0", "Case 1"]
    # A pool of 9 gives two checks of 4.
    assert "Before the first scenario you read 4 short messages" in html
    assert "After the last scenario you judge 4 other messages in the same way." in html
    assert '<button type="submit" class="button button-primary">Start</button>' in html
    assert not ModuleRun.objects.filter(module=module).exists()


def test_a_module_that_cannot_be_played_has_no_page(client):
    build_module()
    Scenario.objects.filter(slug="basics-1").update(current_version=None)  # one is withdrawn
    Module.objects.create(slug="empty", language="en", title="Nothing in it yet")
    assert client.get(reverse("module_start", args=["basics", "en"])).status_code == 404
    assert client.post(reverse("module_start", args=["basics", "en"])).status_code == 404
    assert client.get(reverse("module_start", args=["empty", "en"])).status_code == 404
    assert client.get(reverse("module_start", args=["basics", "ru"])).status_code == 404
    assert not ModuleRun.objects.exists()


def test_start_draws_both_checks_and_a_double_click_makes_one_run(client):
    module = build_module(scams=4, genuine=4)
    once = page_token(client, reverse("module_start", args=["basics", "en"]))
    first = start_run(client, module, once)
    second = start_run(client, module, once)
    assert first == second and ModuleRun.objects.count() == 1
    assert client.cookies["saq_player"]["httponly"]
    pool = dict(module.check_items.values_list("id", "legitimate"))
    for drawn in (first.items_drawn("before"), first.items_drawn("after")):
        assert len(drawn) == 4 and sorted(pool[i] for i in drawn) == [False, False, True, True]
    assert not set(first.items_drawn("before")) & set(first.items_drawn("after"))
    html = client.get(reverse("module_start", args=["basics", "en"])).content.decode()
    assert reverse("module_run", args=[first.id]) in html  # resume where they left off


def test_starting_again_after_answering_makes_a_new_run_and_keeps_the_old(client):
    module = build_module()
    first = start_run(client, module)
    answer_check(client, first, "before")
    second = start_run(client, module)
    assert second != first
    assert CheckAnswer.objects.filter(run=first).count() == 2
    assert not CheckAnswer.objects.filter(run=second).exists()


# The checks


def test_the_check_page_draws_every_item_like_its_channel_with_two_named_options(client):
    module = build_module()
    run = start_run(client, module)
    html = client.get(reverse("module_check", args=[run.id, "before"])).content.decode()
    items = CheckItem.objects.in_bulk(run.items_drawn("before"))
    legends = re.findall(r'<legend class="check-legend">(.*?)</legend>', html)
    assert len(legends) == 2
    for number, item_id in enumerate(run.items_drawn("before"), start=1):
        item = items[item_id]
        channel = "SMS, Bank security" if item.channel == "sms" else "Messenger chat, Courier"
        assert legends[number - 1] == f"Message {number} of 2 ({channel})"
        assert item.text in html
        assert f'type="radio" name="item-{item_id}" value="scam"' in html
        assert f'id="item-{item_id}-scam"> <label for="item-{item_id}-scam">Scam</label>' in html
        assert f'<label for="item-{item_id}-genuine">Not a scam</label>' in html
    assert html.count('class="channel channel-sms check-message"') == 1
    assert html.count('class="channel channel-messenger check-message"') == 1
    for after_id in run.items_drawn("after"):  # the after items are not shown before
        assert f'name="item-{after_id}"' not in html


def test_a_missing_answer_is_refused_naming_the_message_and_nothing_is_stored(client):
    module = build_module()
    run = start_run(client, module)
    first, second = run.items_drawn("before")
    url = reverse("module_check", args=[run.id, "before"])
    response = client.post(url, {f"item-{first}": "scam", f"item-{second}": "maybe"})
    assert not CheckAnswer.objects.exists()
    # The refused form comes back by redirect, so reloading it never sends it again.
    assert response.status_code == 303
    assert response.url == f"{url}?item-{first}=scam&refused=1"
    html = client.get(response.url).content.decode()
    assert "Nothing was saved yet" in html
    item = CheckItem.objects.get(pk=second)
    channel = "SMS, Bank security" if item.channel == "sms" else "Messenger chat, Courier"
    assert f'<li><a href="#item-{second}">Message 2 of 2 ({channel})</a></li>' in html
    assert f'id="item-{second}" aria-describedby="item-{second}_errors"' in html
    assert f'<div id="item-{second}_errors"><p class="field-error">Choose an answer' in html
    assert f'aria-describedby="item-{first}_errors"' not in html
    # The answer given is kept, so it need not be given again.
    assert f'value="scam" id="item-{first}-scam" checked>' in html
    assert "checked" not in html.split(f'id="item-{second}"')[1]
    # The page without `refused` is the plain check, whatever the address carries.
    plain = client.get(f"{url}?item-{first}=genuine").content.decode()
    assert "Nothing was saved yet" not in plain and "aria-describedby" not in plain


def test_an_answer_for_an_item_of_another_check_is_refused(client):
    run = start_run(client, build_module())
    data = {f"item-{i}": "scam" for i in run.items_drawn("before") + run.items_drawn("after")[:1]}
    response = client.post(reverse("module_check", args=[run.id, "before"]), data, follow=True)
    assert "An answer is for a message that is not part of this check." in response.content.decode()
    assert not CheckAnswer.objects.exists()


def test_a_check_sent_twice_counts_once(client):
    run = start_run(client, build_module())
    response = answer_check(client, run, "before")
    assert response.status_code == 303 and response.url == reverse("module_run", args=[run.id])
    first = dict(CheckAnswer.objects.values_list("item_id", "said_scam"))
    # The same page sent again, with other answers (back button, resend): nothing changes.
    again = answer_check(client, run, "before", said_scam=lambda item: True)
    assert again.status_code == 303
    assert dict(CheckAnswer.objects.values_list("item_id", "said_scam")) == first
    assert CheckAnswer.objects.filter(phase="before").count() == 2
    # The check page itself now leads back to the run.
    assert client.get(reverse("module_check", args=[run.id, "before"])).status_code == 302


def test_the_last_check_waits_for_every_scenario(client):
    module = build_module()
    run = start_run(client, module)
    answer_check(client, run, "before")
    page = client.get(reverse("module_check", args=[run.id, "after"]))
    assert page.status_code == 302 and page.url == reverse("module_run", args=[run.id])
    response = answer_check(client, run, "after")
    follow = client.get(response.url).content.decode()
    assert "Play every scenario of the module before the last check." in follow
    assert not CheckAnswer.objects.filter(phase="after").exists()
    assert client.get(reverse("module_check", args=[run.id, "sideways"])).status_code == 404
