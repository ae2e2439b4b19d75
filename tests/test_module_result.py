"""The result of a module run: scores per scenario, and the checks before and after side
by side as counts, with no verdict on the one player (scoring rule 7), and the messages of
the last check that were judged wrong.

A pool of 4 scams and 4 genuine messages gives checks of 2 scams and 2 genuine messages.
"""

import glob
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from scenarios.models import CheckItem, Module, RedFlagType
from tests.factories import build_module
from tests.test_modules import answer_check, play_every_scenario, start_run, truthfully
from trainer.models import ModuleRun

pytestmark = pytest.mark.django_db

NO_VERDICT = "A check this short cannot show a change in one person"
VERDICTS = ("You got better", "less good", "more suspicious", "more trusting", "d′", "discerning")


def figures(html: str) -> dict[str, tuple[str, str]]:
    """The rows of the before-and-after table: label -> (before, after) as shown."""
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td class="before">(.*?)</td><td class="after">(.*?)</td>',
        html,
    )
    return {label: (before, after) for label, before, after in rows}


def finish(client, run: ModuleRun, *, before, after) -> str:
    """Take the run through both checks and every scenario; return its result page."""
    answer_check(client, run, "before", said_scam=before)
    attempts = play_every_scenario(client, run)
    response = answer_check(client, run, "after", said_scam=after)
    assert response.status_code == 303 and response.url == reverse("module_result", args=[run.id])
    html = client.get(response.url).content.decode()
    for attempt in attempts:
        assert f'<strong class="score-value">{attempt.score} / 100</strong>' in html
    return html


def everything_is_a_scam(item: CheckItem) -> bool:
    return True


def everything_wrong(item: CheckItem) -> bool:
    return item.legitimate


def test_calling_everything_a_scam_then_judging_right_reads_as_better_discernment(client):
    run = start_run(client, build_module(scams=4, genuine=4))
    html = finish(client, run, before=everything_is_a_scam, after=truthfully)
    # Before: both scams and both genuine messages called scams: 2 right of 4. After: 4.
    assert figures(html) == {
        "Scams you called scams": ("2 of 2", "2 of 2"),
        "False alarms: genuine messages you called scams": ("2 of 2", "0 of 2"),
    }
    assert "Right: 2 of 4 → 4 of 4" in html
    assert NO_VERDICT in html
    assert not [word for word in VERDICTS if word in html]
    assert "None: you judged every message of the last check correctly." in html
    run.refresh_from_db()
    assert run.finished_at is not None


def test_more_suspicion_without_better_discernment_is_read_as_such(client):
    run = start_run(client, build_module(scams=4, genuine=4))
    items = CheckItem.objects.in_bulk(run.items_drawn("before") + run.items_drawn("after"))
    missed = next(i for i in run.items_drawn("before") if not items[i].legitimate)
    false_alarm = next(i for i in run.items_drawn("after") if items[i].legitimate)
    html = finish(
        client,
        run,
        before=lambda item: not item.legitimate and item.id != missed,
        after=lambda item: not item.legitimate or item.id == false_alarm,
    )
    assert figures(html) == {
        "Scams you called scams": ("1 of 2", "2 of 2"),
        "False alarms: genuine messages you called scams": ("0 of 2", "1 of 2"),
    }
    assert "Right: 3 of 4 → 3 of 4" in html and NO_VERDICT in html
    assert not [word for word in VERDICTS if word in html]
    # The one wrong answer of the last check is shown, with what it was.
    assert html.count('class="review-item outcome-') == 1
    assert items[false_alarm].text in html
    assert "You called it a scam, but it was genuine" in html


def test_every_wrong_answer_of_the_last_check_is_shown_with_its_red_flag_advice(client):
    run = start_run(client, build_module(scams=4, genuine=4))
    html = finish(client, run, before=truthfully, after=everything_wrong)
    assert "Right: 4 of 4 → 0 of 4" in html and NO_VERDICT in html
    assert not [word for word in VERDICTS if word in html]
    reviews = re.findall(r'<article class="review-item (outcome-\w+)">(.*?)</article>', html, re.S)
    assert len(reviews) == 4
    after_items = CheckItem.objects.in_bulk(run.items_drawn("after"))
    for (outcome, review), item_id in zip(reviews, run.items_drawn("after"), strict=True):
        item = after_items[item_id]
        assert item.text in review
        if item.legitimate:
            assert outcome == "outcome-false_alarm"
            assert "You called it a scam, but it was genuine" in review
        else:
            assert outcome == "outcome-missed"
            assert "You trusted it, but it was a scam" in review
            assert "· Demand to pay in advance" in review  # the red-flag type's name
            assert "Pay only on delivery." in review  # and its advice
    for before_id in run.items_drawn("before"):
        assert CheckItem.objects.get(pk=before_id).text not in html


def test_the_result_waits_for_the_last_check_and_stays_the_players_own(client):
    run = start_run(client, build_module())
    answer_check(client, run, "before")
    play_every_scenario(client, run)
    early = client.get(reverse("module_result", args=[run.id]))
    assert early.status_code == 302 and early.url == reverse("module_run", args=[run.id])
    assert "Answer the last check to see your result." in client.get(early.url).content.decode()
    run.refresh_from_db()
    assert run.finished_at is None
    answer_check(client, run, "after")
    assert client.get(reverse("module_result", args=[run.id])).status_code == 200
    assert Client().get(reverse("module_result", args=[run.id])).status_code == 404


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_built_in_basics_module_plays_through_to_its_result(language):
    """The basics module of content/, with its real check items and red-flag types, in
    each language: the result page reads the change in the player's language."""
    call_command("import_scenarios", *sorted(glob.glob("content/*.json")), stdout=StringIO())
    module = Module.objects.get(slug="basics", language=language)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    catalogue = client.get(reverse("catalogue")).content.decode()
    assert reverse("module_start", args=["basics", language]) in catalogue
    run = start_run(client, module)
    # Each check takes one form of 20 (10 scams, 10 genuine); 6 more stay for a booster.
    assert len(run.items_drawn("before")) == len(run.items_drawn("after")) == 20
    assert module.check_items.count() == 46
    html = finish(client, run, before=everything_is_a_scam, after=everything_wrong)
    with translation.override(language):
        no_verdict = gettext(
            "A check this short cannot show a change in one person: one or two lucky or "
            "unlucky answers move it either way. So Saq gives no verdict on you; a "
            "facilitator's report reads the change of a whole group."
        )
    assert no_verdict in html
    for item in CheckItem.objects.filter(pk__in=run.items_drawn("after"), legitimate=False):
        advice = RedFlagType.objects.get(pk=item.flag_id).advice_in(language)
        assert advice and escape(advice) in html
        assert escape(item.text) in html
