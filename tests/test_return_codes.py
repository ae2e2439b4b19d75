"""Return codes: four easy words, made by the POST that finishes everything in a session,
shown once on the page after it (never made or used up by drawing a page, nor by a
prefetch), kept only as a keyed hash, and read back whatever the case, spaces or script."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import build_scenario
from tests.follow_up_factories import (
    check_answers,
    draw,
    player_key_of,
    pool_module,
    return_code_words,
    session_page,
)
from tests.session_factories import join, new_session, play, start_scenario, take_check
from trainer.models import SessionPlayer
from trainer.sessions import return_codes
from trainer.sessions.return_codes import (
    MalformedReturnCode,
    code_hash,
    code_words,
    fold,
    parse,
    return_code_issue,
    return_code_panel,
)
from trainer.sessions.return_words import LANGUAGES, WORDS
from trainer.sessions.services import session_close

SHOWN_BEFORE = "You were shown your return code when you finished this session."
PREFETCH = {"Sec-Purpose": "prefetch"}


def test_the_list_has_256_words_in_each_language_none_read_as_another():
    assert len(WORDS) == 256 and all(len(row) == len(LANGUAGES) == 3 for row in WORDS)
    places: dict[str, set[int]] = {}
    for number, row in enumerate(WORDS):
        for word in row:
            assert word == word.lower() and word.isalpha(), word
            assert len(word) <= 9, word  # short enough to type on a phone
            places.setdefault(fold(word), set()).add(number)
    assert {word: found for word, found in places.items() if len(found) > 1} == {}
    for column in range(3):
        assert len({fold(row[column]) for row in WORDS}) == 256
    assert all(re.fullmatch("[a-z]+", row[0]) for row in WORDS)  # English in Latin letters
    assert all(re.fullmatch("[а-яёәғқңөұүһі]+", row[1] + row[2]) for row in WORDS)


@pytest.mark.parametrize(
    ("typed", "numbers"),
    [
        ("horse dog cat bird", (0, 1, 2, 3)),
        ("  HORSE-dog,  Cat.bird ", (0, 1, 2, 3)),
        ("ат ит мысық құс", (0, 1, 2, 3)),
        ("АТ ит мысык кус", (0, 1, 2, 3)),  # Kazakh typed on a Russian keyboard
        ("лошадь собака кошка птица", (0, 1, 2, 3)),
        ("horse ит кошка bird", (0, 1, 2, 3)),  # words of any language
        ("орел еж орёл ёж", parse("eagle hedgehog eagle hedgehog")),  # ё as е
    ],
)
def test_a_typed_code_is_read_whatever_its_case_separators_or_language(typed, numbers):
    assert parse(typed) == numbers


def test_a_code_is_shown_in_the_language_asked_and_read_back_in_any():
    numbers = (0, 45, 200, 255)
    shown = {language: code_words(numbers, language) for language in LANGUAGES}
    assert shown["en"].split()[0] == "horse" and shown["kk"].split()[0] == "ат"
    assert all(parse(words) == numbers for words in shown.values())


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("horse dog cat", "A return code is 4 words; you typed 3."),
        ("horse dog cat bird fish", "A return code is 4 words; you typed 5."),
        ("horse dgo cat bird", "“dgo” is not a word of return codes."),
        ("7KQ4MX", "“7KQ4MX” is not a word of return codes."),
    ],
)
def test_what_is_no_code_at_all_says_what_is_wrong(typed, message):
    with pytest.raises(MalformedReturnCode, match=re.escape(message)):
        parse(typed)


def finished_player(session, nickname="Айгүл") -> Client:
    """A player who played every scenario of the session through its pages: the last
    answer, a POST, made their code."""
    client = Client()
    join(client, session, nickname)
    for number in range(1, session.entries.count() + 1):
        play(client, start_scenario(client, session, number))
    return client


def finished_without_a_code(session, nickname="Aigul") -> Client:
    """A player who finished everything, but whose code was never made (they finished
    before codes were made by the finishing POST)."""
    client = finished_player(session, nickname)
    SessionPlayer.objects.filter(nickname=nickname).update(return_code_hash="")
    return client


def prefetch(client: Client, session) -> str:
    """The player's page as the browser fetches it ahead of the player."""
    response = client.get(reverse("join_session", args=[session.code]), headers=PREFETCH)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_finishing_post_makes_the_code_and_the_next_page_shows_it_once():
    session = new_session()
    client = Client()
    join(client, session, "Айгүл")
    attempt = start_scenario(client, session, 1)
    assert return_code_words(session_page(client, session)) == []  # not finished yet
    assert SessionPlayer.objects.get().return_code_hash == ""
    play(client, attempt)  # the last answer, a POST, makes the code
    player = SessionPlayer.objects.get()
    assert re.fullmatch("[0-9a-f]{64}", player.return_code_hash)
    assert player.return_code_shown_at is None
    html = session_page(client, session)
    words = return_code_words(html)
    assert len(words) == 4 and "this page shows them only this once" in html
    assert player.return_code_hash == code_hash(session.id, parse(" ".join(words)))
    assert SessionPlayer.objects.get().return_code_shown_at is not None
    stored = " ".join(str(value) for value in SessionPlayer.objects.values().get().values())
    assert not any(word in stored for word in words)  # nothing but the hash is kept
    for _again in range(2):
        html = session_page(client, session)
        assert return_code_words(html) == [] and SHOWN_BEFORE in html
    assert SessionPlayer.objects.get().return_code_hash == player.return_code_hash


@pytest.mark.django_db
def test_a_prefetch_of_the_players_page_makes_nothing_and_uses_nothing_up():
    session = new_session()
    client = finished_player(session)
    made = SessionPlayer.objects.get().return_code_hash
    html = prefetch(client, session)
    assert return_code_words(html) == [] and "Show my return code" in html
    assert SessionPlayer.objects.get().return_code_shown_at is None  # nothing used up
    words = return_code_words(session_page(client, session))  # the player opens the page
    assert code_hash(session.id, parse(" ".join(words))) == made
    assert SHOWN_BEFORE in session_page(client, session)


@pytest.mark.django_db
def test_drawing_a_finished_players_page_never_makes_a_code_a_post_does():
    session = new_session()
    client = finished_without_a_code(session)
    for html in (prefetch(client, session), session_page(client, session)):
        assert return_code_words(html) == [] and "Show my return code" in html
    assert SessionPlayer.objects.get().return_code_hash == ""
    response = client.post(reverse("return_code_show", args=[session.code]))
    assert response.status_code == 303
    assert response.url == reverse("join_session", args=[session.code])
    assert SessionPlayer.objects.get().return_code_hash != ""
    assert len(return_code_words(session_page(client, session))) == 4
    assert SHOWN_BEFORE in session_page(client, session)


@pytest.mark.django_db
def test_the_finishing_answer_sent_twice_makes_one_code():
    session = new_session()
    client = Client()
    join(client, session, "Aigul")
    attempt = start_scenario(client, session, 1)
    last = play(client, attempt)
    made = SessionPlayer.objects.get().return_code_hash
    # The same last answer again (a double click): answered as the first, nothing new.
    answer = last.answers.order_by("-position").first()
    again = client.post(
        reverse("play", args=[attempt.id]),
        {"position": answer.position, "choice": answer.choice_id},
    )
    assert again.status_code == 303 and again.url == reverse("result", args=[attempt.id])
    assert SessionPlayer.objects.get().return_code_hash == made
    words = return_code_words(session_page(client, session))
    assert code_hash(session.id, parse(" ".join(words))) == made


@pytest.mark.django_db
def test_two_page_loads_at_once_show_the_code_once():
    session = new_session()
    finished = finished_player(session)
    loaded_before = SessionPlayer.objects.get()  # as the second load read it
    assert len(return_code_words(session_page(finished, session))) == 4  # the first load
    panel = return_code_panel(
        request=RequestFactory().get("/"), session=session, player=loaded_before, all_played=True
    )
    assert panel.words == () and panel.shown_before


@pytest.mark.django_db
def test_a_code_another_player_has_is_made_again_from_the_next_try(monkeypatch):
    session = new_session()
    finished_without_a_code(session, "Aigul")
    finished_without_a_code(session, "Dana")
    first, second = SessionPlayer.objects.order_by("joined_at")
    tries = {0: (1, 2, 3, 4), 1: (5, 6, 7, 8)}
    monkeypatch.setattr(return_codes, "code_numbers", lambda _player, n, _secret=None: tries[n])
    assert return_code_issue(player=first) == (1, 2, 3, 4)
    assert return_code_issue(player=second) == (5, 6, 7, 8)
    second.refresh_from_db()
    assert return_codes.issued_numbers(second) == (5, 6, 7, 8)


@pytest.mark.django_db
def test_in_a_module_session_the_check_after_the_scenarios_makes_the_code():
    scenario = build_scenario()
    module = pool_module("m", [scenario], {"a": "prepayment", "b": None, "c": "prepayment"})
    session = new_session(scenarios=[scenario], module=module)
    client = Client()
    join(client, session, "Айгүл")
    key = player_key_of(client)
    run = check_answers(session, key, {"before": {"a": True}})
    play(client, start_scenario(client, session, 1))
    draw(run, "after", [module.check_items.get(key="c")])
    assert SessionPlayer.objects.get().return_code_hash == ""  # the last check is open
    assert return_code_words(session_page(client, session)) == []
    assert take_check(client, run, "after").status_code == 303  # the POST that finishes
    assert SessionPlayer.objects.get().return_code_hash != ""
    assert len(return_code_words(session_page(client, session))) == 4


@pytest.mark.django_db
def test_a_closed_session_makes_no_more_codes_but_shows_one_made_before():
    session = new_session()
    made = finished_player(session, "Aigul")
    waiting = finished_without_a_code(session, "Dana")
    session_close(session=session)
    assert len(return_code_words(session_page(made, session))) == 4
    html = session_page(waiting, session)
    assert return_code_words(html) == [] and "Show my return code" not in html
    waiting.post(reverse("return_code_show", args=[session.code]))
    assert SessionPlayer.objects.get(nickname="Dana").return_code_hash == ""


@pytest.mark.django_db
def test_a_code_made_before_the_sites_key_was_rotated_is_still_shown(settings):
    session = new_session()
    client = finished_player(session)
    made = SessionPlayer.objects.get().return_code_hash
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new key for the site, after a rotation"
    words = return_code_words(session_page(client, session))
    assert code_hash(session.id, parse(" ".join(words)), settings.SECRET_KEY_FALLBACKS[0]) == made


@pytest.mark.django_db
def test_the_hash_depends_on_the_session_and_the_sites_key(settings):
    numbers = (1, 2, 3, 4)
    session, other = new_session(), new_session(title="Another class")
    assert code_hash(session.id, numbers) != code_hash(other.id, numbers)
    before = code_hash(session.id, numbers)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new key for the site, after a rotation"
    assert code_hash(session.id, numbers) != before
    assert before in return_codes._hashes(session.id, numbers)  # the old key still reads it
