"""A facilitator logs in, makes a session, shows its code, closes it and deletes it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import build_scenario
from tests.session_factories import (
    PASSWORD,
    build_module,
    facilitator,
    join,
    new_session,
    organisation,
    personas,
    play,
    start_scenario,
)
from trainer.models import (
    Attempt,
    StepAnswer,
    TrainingSession,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_hashing(settings):
    """These tests are about logins, not about how slowly a password is hashed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice_client():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


def create(client, **form):
    return client.post(reverse("facilitator:session_new"), form)


def test_login_is_at_accounts_login_and_leads_to_the_facilitators_sessions(quick_hashing):
    facilitator("alice", password=PASSWORD)
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("facilitator:home")
    assert "Your sessions" in client.get(response.url).content.decode()


def test_wrong_passwords_lock_the_account_out_from_that_address(quick_hashing):
    """django-axes: the fifth wrong password locks alice out from this address for 15
    minutes, even with the right password; she can still log in from elsewhere."""
    facilitator("alice", password=PASSWORD)
    client = Client()
    for _ in range(4):
        wrong = client.post(reverse("login"), {"username": "alice", "password": "nope"})
        assert wrong.status_code == 200
        assert "Please enter a correct username and password" in wrong.content.decode()
    locked = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    right = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    elsewhere = Client(REMOTE_ADDR="10.1.1.1")
    ok = elsewhere.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert ok.status_code == 302


def test_a_session_from_hand_picked_scenarios_gets_a_code_link_and_qr(alice_client):
    phone = build_scenario(slug="phone-seller", title="A bargain phone")
    shop = build_scenario(slug="real-shop", title="A real shop", legitimate=True)
    build_scenario(slug="phone-seller", language="ru", title="Дешёвый телефон")
    form = alice_client.get(reverse("facilitator:session_new") + "?language=en").content.decode()
    assert "A bargain phone" in form and "A real shop" in form
    assert "Дешёвый телефон" not in form  # another language's scenarios are not offered
    response = create(
        alice_client,
        organisation=organisation().pk,
        title="Class 9B",
        language="en",
        scenarios=[shop.pk, phone.pk],
    )
    assert response.status_code == 303
    session = TrainingSession.objects.get()
    assert (session.title, session.language, session.organisation) == (
        "Class 9B",
        "en",
        organisation(),
    )
    assert list(session.entries.values_list("scenario__slug", flat=True)) == [
        "phone-seller",
        "real-shop",
    ]
    html = alice_client.get(response.url).content.decode()
    assert f'<p class="join-code" aria-label="Join code">{session.code}</p>' in html
    assert f"http://testserver/join/{session.code}/" in html
    assert "http://testserver/join/" in html
    qr = alice_client.get(reverse("facilitator:qr", args=[session.id]))
    assert qr["Content-Type"] == "image/svg+xml"
    svg = qr.content.decode()
    assert svg.startswith("<?xml") and "<svg" in svg and "<path" in svg
    assert "style" not in svg and "<script" not in svg


def test_a_session_from_a_module_takes_its_scenarios_in_order(alice_client):
    first = build_scenario(slug="phone-seller")
    second = build_scenario(slug="real-shop", legitimate=True)
    module = build_module([second, first])
    create(
        alice_client,
        organisation=organisation().pk,
        title="Staff training",
        language="en",
        module=module.pk,
    )
    session = TrainingSession.objects.get()
    assert session.module == module
    assert list(session.entries.values_list("scenario", flat=True)) == [second.pk, first.pk]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Choose a module, or at least one scenario."),
        ({"outside": True}, "Not in the module “The basics”: “A real shop”."),
        ({"short_alone": True}, "A short form is a module&#x27;s: choose the module."),
        ({"title": ""}, "This field is required."),
        ({"other_language": True}, "Select a valid choice."),
    ],
)
def test_a_bad_session_form_says_what_is_wrong_and_makes_nothing(alice_client, form, message):
    phone = build_scenario(slug="phone-seller")
    module = build_module([phone])
    russian = build_scenario(slug="phone-seller", language="ru")
    data = {
        "organisation": organisation().pk,
        "title": form.get("title", "Class"),
        "language": "en",
    }
    if form.get("outside"):
        shop = build_scenario(slug="real-shop", title="A real shop", legitimate=True)
        data.update(module=module.pk, scenarios=[phone.pk, shop.pk])
    if form.get("short_alone"):
        data.update(scenarios=[phone.pk], short_form="on")
    if form.get("other_language"):
        data.update(scenarios=[russian.pk])
    response = create(alice_client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_facilitator_cannot_make_a_session_for_another_organisation():
    people = personas()
    phone = build_scenario()
    client = Client()
    client.force_login(people["bob"])
    response = create(
        client, organisation=people["school"].pk, title="x", language="en", scenarios=[phone.pk]
    )
    assert "Select a valid choice" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_closing_keeps_everything_and_shows_the_report(alice_client):
    session = new_session()
    player = Client()
    join(player, session, "Aruzhan")
    play(player, start_scenario(player, session))
    response = alice_client.post(reverse("facilitator:close", args=[session.id]), follow=True)
    assert (
        "The session is closed: it takes no more players or answers." in response.content.decode()
    )
    session.refresh_from_db()
    assert session.is_closed
    assert StepAnswer.objects.count() == 3 and Attempt.objects.get().is_finished
    first_close = session.closed_at
    alice_client.post(reverse("facilitator:close", args=[session.id]))  # a second click
    session.refresh_from_db()
    assert session.closed_at == first_close


def test_the_sessions_list_and_the_projector_page_cost_the_same_small_and_large(alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.test_session_board import crowd

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.get(url).status_code == 200
        return len(captured)

    counts = []
    for size in (1, 20):
        sessions = [new_session(title=f"Class {size}-{i}") for i in range(size)]
        crowd(sessions[-1], 25 * size)
        counts.append(
            (
                cost(reverse("facilitator:home")),
                cost(reverse("facilitator:session", args=[sessions[-1].id])),
            )
        )
    assert counts[0] == counts[1]
    assert max(counts[1]) <= 8


def test_an_administrator_gives_a_staff_account_the_facilitators_role_in_the_admin():
    from tests.session_factories import user

    root = user("root", superuser=True)
    carol = user("carol", staff=True)
    client = Client()
    client.force_login(root)
    response = client.post(
        reverse("admin:trainer_organisation_add"),
        {
            "name": "School 7",
            "slug": "school-7",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": carol.pk,
            "memberships-0-role": "facilitator",
            "record_store-TOTAL_FORMS": "0",
            "record_store-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    carol_client = Client()
    carol_client.force_login(carol)
    assert carol_client.get(reverse("facilitator:home")).status_code == 200
