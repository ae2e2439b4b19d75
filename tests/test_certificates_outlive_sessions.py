"""A certificate keeps what it certifies (the name typed, the module, the date, the score
and pass mark, the organisation that ran the session) and still verifies after its session
is deleted or pruned; the session's report says who earned one."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.session_factories import (
    facilitator,
    join,
    module_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from trainer.certificates.services import code_grouped
from trainer.models import Certificate, TrainingSession
from trainer.sessions.services import session_delete

pytestmark = pytest.mark.django_db


def passed_with_certificate(session, nickname="Aruzhan", name="Aruzhan Bekova") -> Certificate:
    player = Client()
    join(player, session, nickname)
    run = run_of(session, nickname)
    take_check(player, run, "before")
    for number in range(1, session.entries.count() + 1):
        play(player, start_scenario(player, session, number))
    take_check(player, run, "after")
    player.get(reverse("module_result", args=[run.id]))  # the result ends the run
    response = player.post(reverse("certificate", args=[run.id]), {"name": name})
    assert response.status_code == 303, response
    return Certificate.objects.get(run=run)


def verify(code: str) -> str:
    response = Client().get(reverse("verify_code", args=[code_grouped(code)]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_certificate_names_the_organisation_and_the_pass_mark_it_met():
    session = module_session(scams=4, genuine=4)
    certificate = passed_with_certificate(session)
    assert (certificate.organisation_name, certificate.pass_mark) == ("School 1", 70)
    page = verify(certificate.code)
    assert '<dd class="certified-organisation">School 1</dd>' in page
    assert f"{certificate.score} out of 100: passed" in page


@pytest.mark.parametrize("how", ["deleted", "pruned"])
def test_a_certificate_still_verifies_after_its_session_is_gone(how):
    session = module_session(scams=4, genuine=4)
    certificate = passed_with_certificate(session)
    if how == "deleted":
        session_delete(session=session)
    else:
        TrainingSession.objects.filter(pk=session.pk).update(
            created_at=timezone.now() - timedelta(days=400)
        )
        call_command("prune_sessions", "--older-than", "365", stdout=io.StringIO())
    assert not TrainingSession.objects.exists()
    kept = Certificate.objects.get()
    assert kept.code == certificate.code
    assert kept.run_id is None  # nothing of the session's data is left to point at
    assert (kept.name, kept.module_title, kept.organisation_name) == (
        "Aruzhan Bekova",
        "Online fraud: the basics",
        "School 1",
    )
    page = verify(kept.code)
    assert f"Certificate {code_grouped(kept.code)} is genuine" in page
    assert '<dd class="certified-name">Aruzhan Bekova</dd>' in page
    assert "School 1" in page


def test_the_report_says_who_earned_a_certificate():
    session = module_session(scams=4, genuine=4)
    passed_with_certificate(session, "Aruzhan")
    join(Client(), session, "Timur")
    alice = Client()
    alice.force_login(facilitator("alice"))
    page = alice.get(reverse("facilitator:report", args=[session.id])).content.decode()
    rows = page.split('<th scope="row" class="nickname">')[1:]
    aruzhan = next(row for row in rows if row.startswith("Aruzhan"))
    timur = next(row for row in rows if row.startswith("Timur"))
    assert '<td class="certificate-earned">Certificate</td>' in aruzhan.split("</tr>")[0]
    assert "certificate-earned" not in timur.split("</tr>")[0]
    assert "1 player earned a certificate." in page


def test_the_certificate_page_and_pdf_name_the_organisation():
    session = module_session(scams=4, genuine=4)
    player = Client()
    join(player, session, "Aruzhan")
    run = run_of(session, "Aruzhan")
    take_check(player, run, "before")
    for number in range(1, session.entries.count() + 1):
        play(player, start_scenario(player, session, number))
    take_check(player, run, "after")
    player.get(reverse("module_result", args=[run.id]))
    player.post(reverse("certificate", args=[run.id]), {"name": "Aruzhan Bekova"})
    page = player.get(reverse("certificate", args=[run.id])).content.decode()
    assert '<p class="certificate-organisation">in a session run by School 1</p>' in page
    pdf = player.get(reverse("certificate_pdf", args=[run.id])).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "in a session run by School 1" in " ".join(text.split())
