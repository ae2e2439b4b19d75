"""The certificate page, its PDF, /verify/ and the booster cost the same queries with
little data and with a lot (a module of 2 scenarios and a pool of 20 check items, or 8
scenarios and a pool of 60; one certificate and one failed look-up, or thirty of each)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import build_module
from tests.test_booster import answers_for
from tests.test_certificates import finished_run
from tests.test_module_query_counts import MAX_MODULE_QUERIES
from tests.test_modules import truthfully
from trainer.certificates.services import code_grouped, code_new
from trainer.models import Certificate, ModuleRun, VerifyFailure
from trainer.runs.booster import booster_ticket_read

pytestmark = pytest.mark.django_db

MAX_QUERIES = 7  # the certificate form also reads the run's last check
SMALL = {"scenarios": 2, "scams": 10, "genuine": 10, "check_size": 8}
LARGE = {"scenarios": 8, "scams": 30, "genuine": 30, "check_size": 8}


def counted(client: Client, url: str, data=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code in (200, 404), (url, response.status_code)
    is_pdf = response["Content-Type"] == "application/pdf"
    return len(captured), "" if is_pdf else response.content.decode()


def pages_of_a_passed_run(slug: str, size: dict) -> dict[str, int]:
    client = Client()
    module = build_module(slug=slug, **size)
    run = finished_run(client, module, safe=(True,) * size["scenarios"])
    certificate_url = reverse("certificate", args=[run.id])
    counts = {}
    counts["certificate form"], html = counted(client, certificate_url)
    assert "Issue my certificate" in html
    client.post(certificate_url, {"name": "Aigerim"})
    counts["certificate"], html = counted(client, certificate_url)
    assert '<p class="certificate-name">Aigerim</p>' in html
    counts["pdf"], _ = counted(client, reverse("certificate_pdf", args=[run.id]))

    counts["result"], html = counted(client, reverse("module_result", args=[run.id]))
    booster_url = re.search(r'class="booster-link" href="http://testserver([^"]+)"', html)[1]
    ticket = booster_ticket_read(booster_url.split("/")[2])
    counts["booster"], html = counted(Client(), booster_url)
    assert html.count('class="check-legend"') == 3
    answers = {**answers_for(ticket.item_ids, truthfully), "sent": "1"}
    counts["booster result"], html = counted(Client(), booster_url, answers)
    assert '<dd class="now">3 of 3 right</dd>' in html
    return counts


def test_the_certificate_and_booster_pages_cost_the_same_for_a_small_and_a_large_module():
    small = pages_of_a_passed_run("small", SMALL)
    large = pages_of_a_passed_run("large", LARGE)
    assert small == large
    assert small.pop("result") <= MAX_MODULE_QUERIES  # with the booster link and certificate
    assert max(small.values()) <= MAX_QUERIES, small


def verify_counts() -> dict[str, int]:
    code = code_grouped(Certificate.objects.order_by("issued_at").first().code)
    counts = {}
    counts["form"], _ = counted(Client(), reverse("verify"))
    counts["genuine"], html = counted(Client(REMOTE_ADDR="192.0.2.1"), f"/verify/{code}")
    assert "is genuine" in html
    counts["unknown"], html = counted(
        Client(REMOTE_ADDR="192.0.2.1"), "/verify/AAAA-AAAA-AAAA-AAAA"
    )
    assert "No certificate has the code" in html
    VerifyFailure.objects.filter(address="192.0.2.1").delete()
    return counts


def test_verify_costs_the_same_with_one_certificate_and_with_many():
    client = Client()
    run = finished_run(client, build_module())
    client.post(reverse("certificate", args=[run.id]), {"name": "Aigerim"})
    VerifyFailure.objects.create(address="198.51.100.7")
    few = verify_counts()
    module = run.module
    old = timezone.now() - timedelta(minutes=5)
    for number in range(30):
        other = ModuleRun.objects.create(player_key=f"p{number}", module=module)
        Certificate.objects.create(
            code=code_new(),
            run=other,
            module=module,
            module_title=module.title,
            name=f"Player {number}",
            score=90,
        )
        VerifyFailure.objects.create(address=f"198.51.100.{number}", failed_at=old)
    many = verify_counts()
    assert few == many
    assert max(few.values()) <= MAX_QUERIES, few
