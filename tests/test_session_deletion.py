"""Deleting a session, by the facilitator or by `prune_sessions`, deletes every trace of
its players; other sessions are left as they were."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scenarios.models import Scenario
from tests.factories import build_scenario
from tests.session_factories import (
    build_module,
    facilitator,
    join,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from trainer.certificates.services import code_new
from trainer.models import (
    ActedOnce,
    Attempt,
    Certificate,
    CheckAnswer,
    ModuleRun,
    SessionPlayer,
    SessionScenario,
    StepAnswer,
    TrainingSession,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


def fill_session(title: str, created_days_ago: int = 0) -> TrainingSession:
    """A module's session with two players who took the check before and played."""
    phone = Scenario.objects.filter(slug="phone-seller").first() or build_scenario()
    module = build_module([phone], slug=f"m-{title}")
    session = new_session(scenarios=[phone], module=module, title=title)
    for nickname in ("Aruzhan", "Timur"):
        player = Client()
        join(player, session, nickname)
        take_check(player, run_of(session, nickname), "before")
        play(player, start_scenario(player, session))
    run = run_of(session, "Aruzhan")
    Certificate.objects.create(
        code=code_new(), run=run, module=module, module_title="Basics", name="Aruzhan", score=90
    )
    TrainingSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - timedelta(days=created_days_ago)
    )
    return session


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            ActedOnce,  # each join's key
            TrainingSession,
            SessionScenario,
            SessionPlayer,
            Attempt,
            StepAnswer,
            ModuleRun,
            CheckAnswer,
            Certificate,
        )
    }


def test_deleting_a_session_deletes_every_trace_of_its_players(alice_client):
    kept = fill_session("Kept")
    gone = fill_session("Gone")
    before = counts()
    assert all(count and count % 2 == 0 for count in before.values())  # two alike sessions
    page = alice_client.get(reverse("facilitator:delete", args=[gone.id])).content.decode()
    assert "2 players did will be deleted" in page
    assert "Certificates earned in this session are kept and still verify" in page
    response = alice_client.post(reverse("facilitator:delete", args=[gone.id]), follow=True)
    assert "“Gone” is deleted, with every player&#x27;s answers." in response.content.decode()
    after = counts()
    # Every trace of the players goes; the certificate, which outlives its session, stays.
    halves = {name: count // 2 for name, count in before.items()}
    assert after == {**halves, "Certificate": before["Certificate"]}
    assert TrainingSession.objects.get() == kept
    assert not SessionPlayer.objects.filter(session_id=gone.id).exists()
    assert not Attempt.objects.filter(session_id=gone.id).exists()


def test_prune_sessions_forgets_requests_acted_on_once_after_a_day():
    ActedOnce.objects.create(key="old", answer="1")
    ActedOnce.objects.create(key="recent", answer="2")
    ActedOnce.objects.filter(key="old").update(at=timezone.now() - timedelta(hours=25))
    call_command("prune_sessions", "--older-than", "30", stdout=io.StringIO())
    assert list(ActedOnce.objects.values_list("key", flat=True)) == ["recent"]


def test_prune_sessions_deletes_the_sessions_older_than_the_days_given():
    old = fill_session("Old", created_days_ago=40)
    recent = fill_session("Recent", created_days_ago=10)
    out = io.StringIO()
    call_command("prune_sessions", "--older-than", "30", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 session made more than 30 days ago."
    assert list(TrainingSession.objects.all()) == [recent]
    assert not ActedOnce.objects.filter(key__contains=str(old.id)).exists()
    assert not Attempt.objects.filter(session_id=old.id).exists()
    assert not ModuleRun.objects.filter(session_id=old.id).exists()
    assert SessionPlayer.objects.filter(session=recent).count() == 2
    assert Certificate.objects.count() == 2  # certificates have their own retention
    assert Certificate.objects.filter(run__isnull=True).count() == 1  # the old one, unlinked


def test_prune_certificates_deletes_those_issued_before_the_days_given():
    fill_session("One")
    fill_session("Two")
    old, recent = Certificate.objects.order_by("pk")
    Certificate.objects.filter(pk=old.pk).update(issued_at=timezone.now() - timedelta(days=800))
    out = io.StringIO()
    call_command("prune_certificates", "--older-than", "730", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 certificate issued more than 730 days ago."
    assert list(Certificate.objects.all()) == [recent]
    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("prune_certificates", "--older-than", "0")


@pytest.mark.parametrize(
    ("days", "message"),
    [("soon", "whole number of days, not 'soon'"), ("0", "at least 1 day, not 0")],
)
def test_prune_sessions_refuses_a_bad_number_of_days_and_deletes_nothing(days, message):
    fill_session("Any", created_days_ago=100)
    with pytest.raises(CommandError, match=message):
        call_command("prune_sessions", "--older-than", days)
    assert TrainingSession.objects.count() == 1
