"""Players join a session with its code (or its link) and a nickname, and nothing else."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.session_factories import join, new_session
from trainer.models import ActedOnce, SessionPlayer, TrainingSession, WrongCode
from trainer.sessions import codes
from trainer.sessions.services import JoinRefused, session_close, session_join

pytestmark = pytest.mark.django_db


def type_code(client: Client, code: str, nickname: str = "Aigul", **extra):
    return client.post(reverse("join"), {"code": code, "nickname": nickname}, **extra)


def test_codes_are_six_characters_without_look_alikes():
    made = {codes.new_code() for _ in range(300)}
    assert all(len(code) == 6 and codes.is_well_formed(code) for code in made)
    assert not set("".join(made)) & set("0O1IL2Z5S8BUV")
    assert len(made) > 290  # drawn at random, not counted up


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("7kq 4mx", "7KQ4MX"),
        ("7KQ-4MX", "7KQ4MX"),
        ("ХКМ РТЕ", "XKMPTE"),
        ("7kq4mx ", "7KQ4MX"),
        ("з7кq4м", "37KQ4M"),
    ],
)
def test_a_code_is_read_whatever_the_case_spaces_dashes_or_cyrillic_look_alikes(typed, read):
    assert codes.normalise(typed) == read


def test_a_player_joins_by_typing_the_code_and_a_nickname_and_gets_the_sessions_page(client):
    session = new_session(title="Class 9B")
    client.get(reverse("join"))  # the form gives the browser its player key
    response = type_code(client, session.code.lower(), "  Айгүл   Н. ")
    assert response.status_code == 303
    assert response.url == reverse("join_session", args=[session.code])
    player = SessionPlayer.objects.get()
    assert (player.session, player.nickname) == (session, "Айгүл Н.")
    assert player.player_key == client.cookies["saq_player"].value.split(":")[0]
    html = client.get(response.url).content.decode()
    assert "You play as <strong>Айгүл Н.</strong>" in html
    assert "A bargain phone" in html  # the session's scenario, ready to play
    assert "Class 9B" in html


def test_the_link_and_qr_code_ask_only_for_a_nickname(client):
    session = new_session()
    html = client.get(reverse("join_session", args=[session.code])).content.decode()
    assert 'name="nickname"' in html and 'name="code"' not in html
    assert "e-mail" not in html.lower().replace("no account, no e-mail", "")
    join(client, session, "Sam")
    assert SessionPlayer.objects.get().nickname == "Sam"
    # A link typed in small letters leads to the same place.
    assert client.get(f"/join/{session.code.lower()}/").url == f"/join/{session.code}/"


def test_nicknames_are_unique_in_a_session_whatever_their_case(client):
    session = new_session()
    join(client, session, "Dana")
    other = Client()
    response = join(other, session, "DANA")
    assert response.status_code == 200
    assert "Someone in this session is already called “DANA”" in response.content.decode()
    assert SessionPlayer.objects.count() == 1
    # The same nickname in another session is fine.
    join(other, new_session(title="Another class"), "Dana")
    assert SessionPlayer.objects.count() == 2


@pytest.mark.parametrize(
    ("nickname", "message"),
    [
        ("aigul@mail.kz", "not an e-mail address or a phone number"),
        ("+7 701 234 56 78", "not an e-mail address or a phone number"),
        ("   ", "This field is required."),
        ("x" * 25, "at most 24 characters"),
    ],
)
def test_a_nickname_that_is_personal_data_or_unfit_is_refused(client, nickname, message):
    session = new_session()
    response = join(client, session, nickname)
    assert message in response.content.decode()
    assert not SessionPlayer.objects.exists()


def test_a_double_clicked_join_makes_one_player(client):
    session = new_session()
    join(client, session, "Timur")
    again = client.post(reverse("join_session", args=[session.code]), {"nickname": "Timur"})
    assert again.status_code == 303
    assert SessionPlayer.objects.count() == 1


def test_a_closed_session_refuses_new_players_with_a_clear_message(client):
    session = new_session()
    session_close(session=session)
    html = client.get(reverse("join_session", args=[session.code])).content.decode()
    assert "This session has been closed by its facilitator: it takes no new players." in html
    assert 'name="nickname"' not in html
    response = type_code(Client(), session.code, "Late")
    assert "it takes no new players" in response.content.decode()
    assert not SessionPlayer.objects.exists()
    assert not WrongCode.objects.exists()  # a real code is not a guess


def test_a_session_closed_after_it_was_read_takes_no_new_player():
    """The page read the session open; the facilitator closed it before Join was sent. The
    join reads the session's row again, locked, in the transaction that would add the
    player, so the close wins and nothing is kept."""
    read_before = new_session()
    session_close(session=TrainingSession.objects.get(pk=read_before.pk))
    assert not read_before.is_closed  # the instance the join is given is stale
    with pytest.raises(JoinRefused, match="it takes no new players"):
        session_join(session=read_before, player_key="late", nickname="Late")
    assert not SessionPlayer.objects.exists()
    assert not ActedOnce.objects.exists()  # a refusal claims no key: nothing was done


def test_a_wrong_code_says_so_and_a_typing_slip_is_not_counted_as_a_guess(client):
    new_session()
    response = type_code(client, "7KQ4MX")
    assert response.status_code == 404
    assert "No session has this code." in response.content.decode()
    assert WrongCode.objects.count() == 1
    slip = type_code(client, "7KQ4")
    assert "A join code has 6 characters" in slip.content.decode()
    letters = type_code(client, "Z0Z0QQ")
    assert "A join code never holds Z, 0. Check it on the screen." in letters.content.decode()
    assert WrongCode.objects.count() == 1
    assert not SessionPlayer.objects.exists()


def test_ten_wrong_codes_a_minute_from_one_browser_get_a_slow_down_page(client):
    session = new_session()
    client.get(reverse("join"))  # the browser is given its key with the form
    wrong = [c for c in ("7KQ4MX", "AAAAAA", "CCCCCC") if c != session.code][0]
    for _ in range(10):
        assert type_code(client, wrong).status_code == 404
    # The eleventh, even the right code:
    attempt = type_code(client, session.code)
    assert attempt.status_code == 429
    assert "Slow down" in attempt.content.decode()
    assert "Wait a minute" in attempt.content.decode()
    link = client.get(reverse("join_session", args=["DDDDDD"]))
    assert link.status_code == 429  # guessing through the link is the same guessing
    assert not SessionPlayer.objects.exists()
    # A classmate's browser at the same address is not slowed down, nor another address.
    assert type_code(Client(), session.code, "Dana").status_code == 303
    assert type_code(Client(), session.code, "Erlan", REMOTE_ADDR="10.0.0.9").status_code == 303
    # A minute later the browser may try again.
    WrongCode.objects.update(at=WrongCode.objects.first().at - timedelta(seconds=61))
    assert type_code(client, session.code, "Bota").status_code == 303


def test_an_address_is_slowed_down_at_its_own_higher_limit(client, settings):
    """A guesser who drops the cookie meets the address's limit: 30 a minute by default."""
    session = new_session()
    for _ in range(settings.JOIN_WRONG_CODES_PER_MINUTE_PER_ADDRESS):
        assert type_code(Client(), "AAAAAA").status_code == 404
    assert type_code(Client(), session.code).status_code == 429
    assert type_code(Client(), session.code, REMOTE_ADDR="10.0.0.9").status_code == 303


def test_a_player_who_joined_keeps_their_page_even_when_their_address_is_slowed_down(client):
    session = new_session()
    join(client, session, "Erlan")
    for _ in range(10):
        type_code(Client(), "AAAAAA")
    page = client.get(reverse("join_session", args=[session.code]))
    assert page.status_code == 200 and "You play as <strong>Erlan</strong>" in page.content.decode()


def test_behind_a_load_balancer_the_address_it_appended_is_counted(client, settings):
    settings.BEHIND_PROXY = True
    settings.JOIN_WRONG_CODES_PER_MINUTE_PER_ADDRESS = 10
    session = new_session()
    for _ in range(10):
        type_code(client, "AAAAAA", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert set(WrongCode.objects.values_list("address", flat=True)) == {"5.6.7.8"}
    blocked = type_code(Client(), session.code, HTTP_X_FORWARDED_FOR="9.9.9.9, 5.6.7.8")
    assert blocked.status_code == 429
    spoofed = type_code(Client(), session.code, HTTP_X_FORWARDED_FOR="5.6.7.8, 4.4.4.4")
    assert spoofed.status_code == 303


def test_a_link_with_a_malformed_code_says_so_without_counting_a_guess(client):
    for path in ("/join/-/", "/join/7KQ/", "/join/0O0O0O/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "No session has this code." in response.content.decode()
    assert not WrongCode.objects.exists()


def test_a_nickname_refused_after_typing_the_code_is_asked_again_on_the_sessions_page(client):
    session = new_session()
    join(Client(), session, "Dana")
    response = type_code(client, session.code, "dana")
    html = response.content.decode()
    assert "already called “dana”" in html
    assert f'action="/join/{session.code}/"' in html  # the nickname goes to the session's page
    again = client.post(reverse("join_session", args=[session.code]), {"nickname": "Dana K"})
    assert again.status_code == 303
    assert SessionPlayer.objects.filter(nickname="Dana K").exists()
