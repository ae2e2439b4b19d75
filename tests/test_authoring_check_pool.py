"""A module's check pool in the admin: counts by form and side for each module (one row per
language), the check it gives, and a clear warning when it is too small for the module's
check size, on the list, on the module's page and when the module is saved."""

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scenarios.models import CheckItem
from tests.authoring import formset
from tests.factories import build_module

pytestmark = pytest.mark.django_db

LIST = reverse("admin:scenarios_module_changelist")


def pool_cell(html: str, module) -> str:
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    link = reverse("admin:scenarios_module_change", args=[module.pk])
    row = next(r for r in rows if f'href="{link}"' in r)
    return html_lib.unescape(re.search(r'<td class="field-pool_summary">(.*?)</td>', row)[1])


def test_the_list_shows_each_modules_pool_by_form_and_side(author_client):
    full = build_module(slug="full", scams=20, genuine=20)
    CheckItem.objects.filter(module=full, key__in=["scam-0", "genuine-0"]).update(form="booster")
    russian = build_module(slug="full", language="ru", scams=6, genuine=4)
    html = author_client.get(LIST).content.decode()
    # Unassigned items are shared out: 19 scams and 19 genuine between A and B.
    assert pool_cell(html, full) == (
        "form A: 10 scams, 10 genuine · form B: 9 scams, 9 genuine · booster: 2 · "
        "each check: 18 of 20 · too small"
    )
    assert pool_cell(html, russian) == (
        "form A: 3 scams, 2 genuine · form B: 3 scams, 2 genuine · booster: 0 · "
        "each check: 5 of 20 · too small"
    )


def test_the_list_costs_the_same_queries_for_one_module_or_many(author_client):
    build_module(slug="m0")
    with CaptureQueriesContext(connection) as one:
        author_client.get(LIST)
    for i in range(1, 6):
        build_module(slug=f"m{i}", scams=5, genuine=7)
    with CaptureQueriesContext(connection) as many:
        author_client.get(LIST)
    assert len(one) == len(many)


def test_a_full_pool_reads_without_warning_on_the_modules_page(author_client):
    module = build_module(scams=20, genuine=20)
    html = author_client.get(reverse("admin:scenarios_module_change", args=[module.pk]))
    text = html_lib.unescape(html.content.decode())
    assert "form A: 10 scams, 10 genuine · form B: 10 scams, 10 genuine" in text
    assert "each check: 20 of 20" in text
    assert "too small" not in text


def module_post(module, items: list[CheckItem], check_size: int) -> dict:
    data = {
        "slug": module.slug,
        "language": module.language,
        "title": module.title,
        "summary": module.summary,
        "pass_mark": module.pass_mark,
        "audience": module.audience,
        "check_size": check_size,
        "guide": "",
    }
    entries = list(module.entries.order_by("order"))
    data |= formset(
        "entries",
        [
            {"id": e.pk, "module": module.pk, "order": e.order, "scenario": e.scenario_id}
            for e in entries
        ],
        initial=len(entries),
    )
    data |= formset(
        "check_items",
        [
            {
                "id": item.pk,
                "module": module.pk,
                "order": item.order,
                "key": item.key,
                "channel": item.channel,
                "sender": item.sender,
                "text": item.text,
                "legitimate": "on" if item.legitimate else "",
                "flag": item.flag_id or "",
                "form": item.form,
            }
            for item in items
        ],
        initial=len(items),
    )
    return data


def test_saving_a_module_whose_pool_is_too_small_says_so(author_client):
    module = build_module(scams=4, genuine=4)
    items = list(module.check_items.order_by("order"))
    url = reverse("admin:scenarios_module_change", args=[module.pk])
    response = author_client.post(url, module_post(module, items, 20), follow=True)
    text = html_lib.unescape(response.content.decode())
    assert "The check pool is too small: a check of 20 messages needs 10 scams" in text
    module.refresh_from_db()
    assert module.check_size == 20  # saved all the same: the check is as large as it can be

    response = author_client.post(url, module_post(module, items, 4), follow=True)
    text = html_lib.unescape(response.content.decode())
    assert "The check pool is too small" not in text
    module.refresh_from_db()
    assert module.check_size == 4
