"""Joining a follow-up with the return code shown at the end of the earlier session: it
links the two players; a wrong code says so and changes nothing, joining without one
still works, and wrong codes are throttled apart from join codes."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.follow_up_factories import join_follow_up, session_page, shown_return_code
from tests.session_factories import join, new_session, play, start_scenario
from trainer.models import SessionPlayer, WrongCode
from trainer.sessions import join_throttle
from trainer.sessions.return_codes import code_words, parse
from trainer.sessions.services import session_close

pytestmark = pytest.mark.django_db

NO_MATCH = "No player of the earlier session was given this return code."
LINKED = "Your return code linked you to the earlier session"


@pytest.fixture
def earlier():
    """A closed session that Айгүл finished (her code is returned) and Dana did too."""
    session = new_session(title="Class 9B")
    codes = {}
    for nickname in ("Айгүл", "Dana"):
        client = Client()
        join(client, session, nickname)
        play(client, start_scenario(client, session, 1))
        codes[nickname] = " ".join(shown_return_code(client, session))
    session_close(session=session)
    return session, codes


@pytest.fixture
def follow_up(earlier):
    session, _ = earlier
    later = new_session(title="Class 9B, a month on")
    later.follow_up_of = session
    later.save(update_fields=["follow_up_of"])
    return later


def aigul(session):
    return SessionPlayer.objects.get(session=session, nickname="Айгүл")


def test_the_follow_ups_page_offers_the_return_code_and_a_plain_session_does_not(
    earlier, follow_up
):
    html = Client().get(reverse("join_session", args=[follow_up.code])).content.decode()
    assert "This session follows up “Class 9B”." in html and 'name="return_code"' in html
    plain = new_session(title="Another class")
    html = Client().get(reverse("join_session", args=[plain.code])).content.decode()
    assert 'name="return_code"' not in html


def test_a_returning_player_is_linked_by_her_code_in_any_case_or_spacing(earlier, follow_up):
    session, codes = earlier
    client = Client()
    typed = "  " + codes["Айгүл"].upper().replace(" ", " -  ")
    response = join_follow_up(client, follow_up, "Aigul", typed)
    assert response.status_code == 303
    player = SessionPlayer.objects.get(session=follow_up)
    assert (player.nickname, player.returning_from) == ("Aigul", aigul(session))
    assert LINKED in session_page(client, follow_up)


def test_the_code_can_be_typed_on_the_join_page_with_the_join_code(earlier, follow_up):
    session, codes = earlier
    client = Client()
    client.get(reverse("join"))
    english = code_words(parse(codes["Айгүл"]), "en")
    data = {"code": follow_up.code, "nickname": "Aigul", "return_code": english}
    assert client.post(reverse("join"), data).status_code == 303
    assert SessionPlayer.objects.get(session=follow_up).returning_from == aigul(session)


def test_the_join_page_folds_the_return_code_away_until_it_is_needed(earlier, follow_up):
    html = Client().get(reverse("join")).content.decode()
    assert '<details class="form-more">' in html
    data = {"code": follow_up.code, "nickname": "Aigul", "return_code": "horse dog cat"}
    html = Client().post(reverse("join"), data).content.decode()
    assert '<details class="form-more" open>' in html
    assert "A return code is 4 words; you typed 3." in html


def test_a_wrong_code_says_so_changes_nothing_and_joining_without_it_works(earlier, follow_up):
    client = Client()
    response = join_follow_up(client, follow_up, "Aigul", "horse dog cat bird")
    html = response.content.decode()
    assert response.status_code == 200 and NO_MATCH in html
    assert 'value="Aigul"' in html  # what was typed is kept for the next try
    assert not SessionPlayer.objects.filter(session=follow_up).exists()
    assert list(WrongCode.objects.values_list("kind", flat=True)) == ["return"]
    assert join_follow_up(client, follow_up, "Aigul").status_code == 303
    player = SessionPlayer.objects.get(session=follow_up)
    assert player.returning_from is None
    assert LINKED not in session_page(client, follow_up)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("horse dog", "A return code is 4 words; you typed 2."),
        ("hores dog cat bird", "“hores” is not a word of return codes: did you mean “horse”?"),
    ],
)
def test_a_typing_slip_is_answered_without_a_look_up(earlier, follow_up, typed, message):
    html = join_follow_up(Client(), follow_up, "Aigul", typed).content.decode()
    assert message in html
    assert not SessionPlayer.objects.filter(session=follow_up).exists()
    assert not WrongCode.objects.exists()


def test_a_code_from_another_session_matches_nobody(earlier, follow_up):
    other = new_session(title="Another class")
    client = Client()
    join(client, other, "Timur")
    play(client, start_scenario(client, other, 1))
    code = " ".join(shown_return_code(client, other))
    html = join_follow_up(Client(), follow_up, "Timur", code).content.decode()
    assert NO_MATCH in html


def test_a_code_links_one_player_and_a_double_click_joins_once(earlier, follow_up):
    _, codes = earlier
    client = Client()
    assert join_follow_up(client, follow_up, "Aigul", codes["Айгүл"]).status_code == 303
    again = client.post(
        reverse("join_session", args=[follow_up.code]),
        {"nickname": "Aigul", "return_code": codes["Айгүл"]},
    )
    assert again.status_code == 303  # the same browser: its player, already linked
    someone = join_follow_up(Client(), follow_up, "Imposter", codes["Айгүл"])
    assert "Someone has already joined this session with this return code" in (
        someone.content.decode()
    )
    assert list(SessionPlayer.objects.filter(session=follow_up).values_list("nickname")) == [
        ("Aigul",)
    ]


def test_a_session_that_follows_nothing_takes_no_return_code(earlier):
    _, codes = earlier
    plain = new_session(title="Another class")
    data = {"code": plain.code, "nickname": "Aigul", "return_code": codes["Айгүл"]}
    html = Client().post(reverse("join"), data).content.decode()
    assert "This session is not a follow-up, so it takes no return code." in html
    assert not SessionPlayer.objects.filter(session=plain).exists()


def test_wrong_return_codes_are_throttled_apart_from_join_codes(earlier, follow_up, settings):
    _, codes = earlier
    settings.JOIN_WRONG_CODES_PER_MINUTE = 3
    guesser = Client()
    for guess in ("horse dog cat bird", "fish sheep cow camel", "goat rabbit wolf fox"):
        assert NO_MATCH in join_follow_up(guesser, follow_up, "G", guess).content.decode()
    html = join_follow_up(guesser, follow_up, "G", codes["Айгүл"]).content.decode()
    assert "Too many return codes that match nobody were typed from this network" in html
    assert not SessionPlayer.objects.filter(session=follow_up).exists()
    assert WrongCode.objects.filter(kind="return").count() == 3  # the right one not counted
    # Joining is not stopped: the same address joins without a code, a classmate too.
    assert join_follow_up(guesser, follow_up, "G").status_code == 303
    assert join_follow_up(Client(), follow_up, "Dana").status_code == 303
    assert not WrongCode.objects.filter(kind="join").exists()


def test_each_kind_of_wrong_code_counts_against_its_own_limit(settings):
    settings.JOIN_WRONG_CODES_PER_MINUTE_PER_ADDRESS = 2
    for _ in range(2):
        assert join_throttle.guess_begin("10.0.0.1", "") is not None
    assert join_throttle.guess_begin("10.0.0.1", "") is None
    assert join_throttle.guess_begin("10.0.0.1", "", WrongCode.Kind.RETURN) is not None
    for _ in range(2):
        assert join_throttle.guess_begin("10.0.0.2", "", WrongCode.Kind.RETURN) is not None
    assert join_throttle.guess_begin("10.0.0.2", "", WrongCode.Kind.RETURN) is None
    assert join_throttle.guess_begin("10.0.0.2", "") is not None
