"""A certificate: offered on the result page of a passed run, issued once with the name the
player types, shown to print, and refused below the pass mark or to anyone else."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from scenarios.models import Module
from tests.factories import build_module
from tests.test_modules import answer_check, play_scenario, start_run
from trainer.certificates.services import (
    CertificateRefused,
    certificate_issue,
    code_grouped,
    run_played_alone,
)
from trainer.models import Certificate, ModuleRun

pytestmark = pytest.mark.django_db


def finished_run(client, module: Module, *, safe=(True, True)) -> ModuleRun:
    """A run through both checks and every scenario: safe[i] says whether scenario i is
    played safely (every red flag marked, the safe choice: 100) or not (the harmful
    choice after marking every red flag, which ends scammed: held to 40). Its result page
    has been read once."""
    run = start_run(client, module)
    answer_check(client, run, "before")
    entries = module.entries.order_by("order").select_related("scenario")
    for entry, played_safely in zip(entries, safe, strict=True):
        play_scenario(client, run, entry.scenario.slug, safe=played_safely)
    answer_check(client, run, "after")
    assert client.get(reverse("module_result", args=[run.id])).status_code == 200
    run.refresh_from_db()
    return run


def test_a_passed_run_offers_a_certificate_issued_once_with_the_name_typed(client):
    run = finished_run(client, build_module(), safe=(True, False))  # (100 + 40) / 2 = 70
    result = client.get(reverse("module_result", args=[run.id])).content.decode()
    assert "Module score: <strong>70 / 100</strong>" in result
    assert "a certificate needs 70" in result
    url = reverse("certificate", args=[run.id])
    assert f'<a class="button button-primary" href="{url}">Get your certificate</a>' in result

    form = client.get(url).content.decode()
    assert '<label for="id_name">Name on the certificate <span class="required-mark"' in form
    assert not Certificate.objects.exists()

    response = client.post(url, {"name": "  Aigerim   K.  "})
    assert response.status_code == 303 and response.url == url
    certificate = Certificate.objects.get()
    assert (certificate.run, certificate.name, certificate.score) == (run, "Aigerim K.", 70)
    assert certificate.module_title == "Online fraud: the basics"
    page = client.get(url).content.decode()
    assert '<p class="certificate-name">Aigerim K.</p>' in page
    assert '<p class="certificate-module" lang="en">Online fraud: the basics</p>' in page
    assert "with a score of 70 out of 100" in page
    grouped = code_grouped(certificate.code)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", grouped)
    assert f"Verification code: <strong>{grouped}</strong>" in page
    assert f"Check it at http://testserver/verify/{grouped}" in page
    assert reverse("certificate_pdf", args=[run.id]) in page

    # Sent again (a double click, or another name): still the one certificate, unchanged.
    again = client.post(url, {"name": "Someone else"})
    assert again.status_code == 303
    assert Certificate.objects.get() == certificate
    assert Certificate.objects.get().name == "Aigerim K."
    result = client.get(reverse("module_result", args=[run.id])).content.decode()
    assert "Your certificate is issued." in result


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Type the name to show on the certificate."),
        ("   ", "Type the name to show on the certificate."),
        ("x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("Ai\u202egerim", "The name has a character that cannot be printed."),
    ],
)
def test_a_name_that_cannot_be_printed_is_refused_beside_the_field(client, name, message):
    run = finished_run(client, build_module())
    response = client.post(reverse("certificate", args=[run.id]), {"name": name})
    html = response.content.decode()
    assert response.status_code == 200
    # The error is tied to the field (tests/test_form_markup.py holds the pack to it).
    assert f'<div id="id_name_errors"><p class="field-error">{message}</p></div>' in html
    field = html.split('<input type="text" name="name"')[1].split(">")[0]
    assert 'aria-describedby="id_name_errors"' in field and 'aria-invalid="true"' in field
    assert not Certificate.objects.exists()


def test_below_the_pass_mark_there_is_no_certificate_and_the_page_says_what_it_needs(client):
    module = build_module()
    Module.objects.filter(pk=module.pk).update(pass_mark=80)
    run = finished_run(client, module, safe=(True, False))  # 70
    result = client.get(reverse("module_result", args=[run.id])).content.decode()
    assert "A certificate needs a module score of at least 80 out of 100; yours is 70." in result
    assert reverse("certificate", args=[run.id]) not in result
    for response in (
        client.get(reverse("certificate", args=[run.id])),
        client.post(reverse("certificate", args=[run.id]), {"name": "Aigerim"}),
    ):
        assert response.status_code == 302
        assert response.url == reverse("module_run", args=[run.id])
    refusal = client.get(reverse("module_run", args=[run.id])).content.decode()
    assert "A certificate needs a module score of at least 80 out of 100; yours is 70." in refusal
    assert not Certificate.objects.exists()


def test_an_unfinished_run_gets_no_certificate_and_another_browser_gets_404(client):
    module = build_module()
    run = start_run(client, module)
    response = client.post(reverse("certificate", args=[run.id]), {"name": "Aigerim"})
    assert response.status_code == 302
    assert (
        "Finish the module, then you can get a certificate."
        in client.get(response.url).content.decode()
    )
    assert not Certificate.objects.exists()

    client = Client()  # a first run of its own: the unfinished one above was this one's
    run = finished_run(client, module)
    client.post(reverse("certificate", args=[run.id]), {"name": "Aigerim"})
    stranger = Client()
    start_run(stranger, module)  # a browser with a player key of its own
    for url in (reverse("certificate", args=[run.id]), reverse("certificate_pdf", args=[run.id])):
        assert stranger.get(url).status_code == 404
        assert Client().get(url).status_code == 404
    assert stranger.post(reverse("certificate", args=[run.id]), {"name": "X"}).status_code == 404
    assert Certificate.objects.get().name == "Aigerim"


def test_the_pdf_waits_for_the_certificate(client):
    run = finished_run(client, build_module())
    assert client.get(reverse("certificate_pdf", args=[run.id])).status_code == 404


def test_the_service_refuses_a_run_below_the_pass_mark_and_another_players_run(client):
    module = build_module()
    Module.objects.filter(pk=module.pk).update(pass_mark=100)
    run = finished_run(client, module, safe=(True, False))
    with pytest.raises(CertificateRefused):
        certificate_issue(run_id=run.id, player_key=run.player_key, name="A")
    with pytest.raises(ModuleRun.DoesNotExist):
        certificate_issue(run_id=run.id, player_key="someone-else", name="A")
    assert not Certificate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_for_one_runs_certificate_issue_one(client):
    run = finished_run(client, build_module())
    barrier = threading.Barrier(5)
    issued, failures = [], []

    def issue(copy: int):
        try:
            barrier.wait()
            certificate = certificate_issue(
                run_id=run.id, player_key=run.player_key, name=f"Name {copy}"
            )
            issued.append(certificate.pk)
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(copy,)) for copy in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert Certificate.objects.count() == 1
    assert set(issued) == {Certificate.objects.get().pk}


def test_a_run_is_played_alone_until_it_belongs_to_a_session():
    run = ModuleRun(player_key="p")
    assert run_played_alone(run)
    run.session_id = 7  # what a facilitator's session will set
    assert not run_played_alone(run)


def test_a_high_score_with_a_failed_last_check_earns_no_certificate(client):
    """Scoring rule 10: every scenario played well (100), but the last check answered
    "scam" to everything: 2 of 4 right, 2 false alarms, where 3 right and none are needed."""
    module = build_module(scams=4, genuine=4)
    run = start_run(client, module)
    answer_check(client, run, "before")
    for entry in module.entries.order_by("order").select_related("scenario"):
        play_scenario(client, run, entry.scenario.slug)
    answer_check(client, run, "after", said_scam=lambda item: True)
    result = client.get(reverse("module_result", args=[run.id])).content.decode()
    assert "Module score: <strong>100 / 100</strong>" in result
    assert (
        "A certificate also needs the last check passed: at least 3 of 4 right with no more "
        "than 0 false alarms. You got 2 right with 2 false alarms." in result
    )
    assert "Get your certificate" not in result
    with pytest.raises(CertificateRefused):
        certificate_issue(run_id=run.id, player_key=run.player_key, name="Aigerim")
    assert not Certificate.objects.exists()


def test_a_replay_says_its_score_does_not_count_for_a_certificate(client):
    module = build_module()
    first = finished_run(client, module, safe=(False, False))  # 40 and 40: not passed
    replay = finished_run(client, module)  # 100, every check right: still a replay
    result = client.get(reverse("module_result", args=[replay.id])).content.decode()
    assert "This was a replay of the module: its score does not count for a certificate." in (
        result
    )
    assert "Get your certificate" not in result
    with pytest.raises(CertificateRefused):
        certificate_issue(run_id=replay.id, player_key=replay.player_key, name="Aigerim")
    first_page = client.get(reverse("module_result", args=[first.id])).content.decode()
    assert "yours is 40" in first_page
    assert not Certificate.objects.exists()
