"""Every facilitator URL, with every persona: anonymous is sent to log in, an account
without a facilitator's role gets 403, a facilitator of another organisation gets 404 (or,
on a page that names no session, sees none of the other organisation's), the owner gets in.
A URL about a follow-up is asked of School 1's follow-up to its session.

The table below must name every URL of trainer/sessions/facilitator/urls.py: a URL added there
without its personas fails test_every_facilitator_url_is_in_the_table.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import build_module
from tests.session_factories import new_session, personas, user
from trainer.models import SessionPlayer, TrainingSession
from trainer.sessions.facilitator import urls as facilitator_urls

pytestmark = pytest.mark.django_db


PLAYER = "the session's player"  # in `extra`: the id of the session's one player


@dataclass(frozen=True)
class Route:
    methods: tuple[str, ...]
    owner_status: dict  # method -> what alice, the owner, gets
    scoped: bool = True  # names a session (outsiders get 404)
    extra: tuple = ()  # arguments after the session's id
    follow_up: bool = False  # names the follow-up, not the session it follows


ROUTES = {
    "home": Route(("GET",), {"GET": 200}, scoped=False),
    "session_new": Route(("GET", "POST"), {"GET": 200, "POST": 200}, scoped=False),
    "session": Route(("GET",), {"GET": 200}),
    "qr": Route(("GET",), {"GET": 200}),
    "board": Route(("GET",), {"GET": 200}),
    "board_live": Route(("GET",), {"GET": 200}),
    "group": Route(("GET",), {"GET": 200}, extra=(1,)),
    "projector": Route(("GET",), {"GET": 200}),
    "projector_lobby": Route(("GET",), {"GET": 200}),
    "projector_group": Route(("GET",), {"GET": 200}, extra=(1,)),
    "players": Route(("GET",), {"GET": 200}),
    "return_code_reissue": Route(("POST",), {"POST": 303}, extra=(PLAYER, 0)),
    # A POST with no nickname: the form again, saying what is missing.
    "player_rename": Route(("GET", "POST"), {"GET": 200, "POST": 200}, extra=(PLAYER,)),
    "player_remove": Route(("GET", "POST"), {"GET": 200, "POST": 303}, extra=(PLAYER,)),
    "close": Route(("GET", "POST"), {"GET": 200, "POST": 303}),
    "reopen": Route(("POST",), {"POST": 303}),
    "report": Route(("GET",), {"GET": 200}),
    "report_csv": Route(("GET",), {"GET": 200}),
    "delete": Route(("GET", "POST"), {"GET": 200, "POST": 303}),
    # A POST with nothing chosen: the form again, with what is missing.
    "follow_up_new": Route(("GET", "POST"), {"GET": 200, "POST": 200}),
    "follow_up_report": Route(("GET",), {"GET": 200}, follow_up=True),
    "follow_up_report_csv": Route(("GET",), {"GET": 200}, follow_up=True),
    # A guide is the module's, not an organisation's: every facilitator reads every guide.
    "guides": Route(("GET",), {"GET": 200}, scoped=False),
    "guide": Route(("GET",), {"GET": 200}, scoped=False, extra=("basics", "en")),
    "guide_pdf": Route(("GET",), {"GET": 200}, scoped=False, extra=("basics", "en")),
}
CASES = [(name, method) for name, route in ROUTES.items() for method in route.methods]


def url_for(name: str, session: TrainingSession) -> str:
    route = ROUTES[name]
    if route.follow_up:
        session = session.follow_ups.get()
    extra = [session.players.get().pk if arg == PLAYER else arg for arg in route.extra]
    args = [session.id, *extra] if route.scoped else extra
    return reverse(f"facilitator:{name}", args=args)


def send(client: Client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url)


def logged_in(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


@pytest.fixture
def world():
    people = personas()
    session = new_session(org=people["school"], title="School 1 session", by=people["alice"])
    SessionPlayer.objects.create(
        session=session,
        player_key="k" * 32,
        nickname="Aigul",
        nickname_key="aigul",
        return_code_hash="0" * 64,
    )
    follow_up = new_session(org=people["school"], title="School 1 session, later")
    follow_up.follow_up_of = session
    follow_up.save(update_fields=["follow_up_of"])
    build_module()  # whose guide the guide's URLs ask for
    return people, session


def test_every_facilitator_url_is_in_the_table():
    names = {pattern.name for pattern in facilitator_urls.urlpatterns}
    assert names == set(ROUTES), f"URLs without persona tests: {names - set(ROUTES)}"


@pytest.mark.parametrize(("name", "method"), CASES)
def test_anonymous_is_sent_to_log_in(world, name, method):
    _, session = world
    url = url_for(name, session)
    response = send(Client(), method, url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    session.refresh_from_db()
    assert not session.is_closed and TrainingSession.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize(("name", "method"), CASES)
@pytest.mark.parametrize("persona", ["carol", "root"])
def test_an_account_without_the_facilitator_role_gets_403(world, name, method, persona):
    """An author (staff) or even a superuser, without a facilitator's role, is refused."""
    people, session = world
    account = people["carol"] if persona == "carol" else user("root", superuser=True)
    response = send(logged_in(account), method, url_for(name, session))
    assert response.status_code == 403
    assert "Your account has no facilitator's role" in response.content.decode()
    assert TrainingSession.objects.filter(pk=session.pk, closed_at=None).exists()


@pytest.mark.parametrize(("name", "method"), CASES)
def test_a_facilitator_of_another_organisation_gets_404_or_sees_nothing_of_it(world, name, method):
    people, session = world
    response = send(logged_in(people["bob"]), method, url_for(name, session))
    if ROUTES[name].scoped:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        html = response.content.decode(errors="replace")  # a guide's PDF is not text
        assert "School 1 session" not in html and session.code not in html
        assert "School 1" not in html  # not even the organisation's name
    assert TrainingSession.objects.filter(pk=session.pk, closed_at=None).exists()


@pytest.mark.parametrize(("name", "method"), CASES)
def test_the_owner_gets_in(world, name, method):
    people, session = world
    response = send(logged_in(people["alice"]), method, url_for(name, session))
    assert response.status_code == ROUTES[name].owner_status[method]
    if method == "GET" and name not in {
        "qr",
        "report_csv",
        "board_live",
        "guide_pdf",
        "projector_lobby",
        "follow_up_report_csv",
    }:
        assert "Content-Security-Policy" in response
        unscoped = {"home", "session_new", "guides", "guide"}
        assert (name in unscoped) or "School 1 session" in response.content.decode()


@pytest.mark.parametrize("name", [n for n, r in ROUTES.items() if "GET" not in r.methods])
def test_a_post_only_url_answers_405_to_get(world, name):
    people, session = world
    response = logged_in(people["alice"]).get(url_for(name, session))
    assert response.status_code == 405
    session.refresh_from_db()
    assert not session.is_closed
