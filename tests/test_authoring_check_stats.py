"""How a module's check items were answered, for authors: right before and after per item
and per form, counts worked out here from the answers written, "too easy" from 20 answers
at 95 % right, the same queries for few answers or many, and refused to staff outside
the authors' group."""

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios.models import CheckItem
from tests.authoring import staff_without_group
from tests.factories import build_module
from trainer.authors.check_stats import module_check_stats, percent_half_up
from trainer.models import CheckAnswer, ModuleRun

pytestmark = pytest.mark.django_db


def answer(module, item: CheckItem, phase: str, said_scam: list[bool]) -> None:
    """One run per answer, each saying scam or not to `item` in `phase`."""
    for flag in said_scam:
        run = ModuleRun.objects.create(player_key="p", module=module)
        CheckAnswer.objects.create(run=run, phase=phase, item=item, said_scam=flag)


def page(client, module) -> str:
    response = client.get(reverse("authoring_check_stats", args=[module.pk]))
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def row_of(html: str, key: str) -> str:
    return next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S) if f"<td>{key}</td>" in r)


def test_percentages_round_half_up():
    assert [percent_half_up(p, 8) for p in (1, 3, 5)] == [13, 38, 63]  # 12.5, 37.5, 62.5
    assert percent_half_up(1, 3) == 33 and percent_half_up(2, 3) == 67
    assert percent_half_up(0, 0) == 0


def test_each_item_shows_the_players_right_before_and_after(author_client):
    module = build_module(scams=2, genuine=2)
    scam = module.check_items.get(key="scam-0")  # form A: the first of its side
    genuine = module.check_items.get(key="genuine-1")  # form B
    # Before: 19 of 20 called the scam a scam; after: 3 of 4.
    answer(module, scam, "before", [True] * 19 + [False])
    answer(module, scam, "after", [True, True, True, False])
    # The genuine item: 5 of 8 called it genuine before (said scam 3 times), 7 of 8 after.
    answer(module, genuine, "before", [True] * 3 + [False] * 5)
    answer(module, genuine, "after", [True] + [False] * 7)
    html = page(author_client, module)
    scam_row = row_of(html, "scam-0")
    assert "form A" in scam_row and "19 of 20 (95%)" in scam_row and "3 of 4 (75%)" in scam_row
    assert "too easy" in scam_row, "20 answers at 95 % right"
    genuine_row = row_of(html, "genuine-1")
    assert "form B" in genuine_row and "5 of 8 (63%)" in genuine_row
    assert "7 of 8 (88%)" in genuine_row and "too easy" not in genuine_row
    assert "0 of 0 (0%)" in row_of(html, "scam-1")
    # The forms add their items up: A holds scam-0 and genuine-0, B scam-1 and genuine-1.
    assert re.search(r"form A</td>\s*<td>19 of 20 \(95%\)</td>\s*<td>3 of 4 \(75%\)", html)
    assert re.search(r"form B</td>\s*<td>5 of 8 \(63%\)</td>\s*<td>7 of 8 \(88%\)", html)


def test_nineteen_answers_are_too_few_to_call_an_item_too_easy():
    module = build_module(scams=2, genuine=2)
    scam = module.check_items.get(key="scam-0")
    answer(module, scam, "before", [True] * 19)
    [stat] = [s for s in module_check_stats(module).items if s.item.key == "scam-0"]
    assert stat.before.percent == 100 and not stat.too_easy


def test_the_page_costs_the_same_queries_for_few_answers_or_many(author_client):
    small = build_module(slug="small", scams=2, genuine=2)
    large = build_module(slug="large", scams=20, genuine=20)
    for item in large.check_items.all()[:10]:
        answer(large, item, "before", [True, False, True])
    counts = []
    for module in (small, large):
        with CaptureQueriesContext(connection) as captured:
            page(author_client, module)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_modules_admin_page_links_to_it(author_client):
    module = build_module()
    html = author_client.get(reverse("admin:scenarios_module_change", args=[module.pk]))
    assert reverse("authoring_check_stats", args=[module.pk]) in html.content.decode()


def test_staff_outside_the_authors_group_are_refused(client):
    module = build_module()
    client.force_login(staff_without_group())
    assert client.get(reverse("authoring_check_stats", args=[module.pk])).status_code == 403
    client.logout()
    response = client.get(reverse("authoring_check_stats", args=[module.pk]))
    assert response.status_code == 302 and "/login/" in response.url
