"""Return codes: four easy words, shown once when a player has finished everything in a
session, kept only as a keyed hash, and read back whatever the case, spaces or script."""

import re

import pytest
from django.test import Client

from tests.factories import build_scenario
from tests.follow_up_factories import (
    check_answers,
    draw,
    player_key_of,
    pool_module,
    return_code_words,
    session_page,
)
from tests.session_factories import join, new_session, play, start_scenario
from trainer.models import SessionPlayer
from trainer.sessions import return_codes
from trainer.sessions.return_codes import (
    MalformedReturnCode,
    code_hash,
    code_words,
    fold,
    parse,
    return_code_issue,
)
from trainer.sessions.return_words import LANGUAGES, WORDS
from trainer.sessions.services import session_close

SHOWN_BEFORE = "You were shown your return code when you finished this session."


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
    client = Client()
    join(client, session, nickname)
    for number in range(1, session.entries.count() + 1):
        play(client, start_scenario(client, session, number))
    return client


@pytest.mark.django_db
def test_the_code_is_shown_once_at_the_end_and_kept_only_as_a_keyed_hash():
    session = new_session()
    client = Client()
    join(client, session, "Айгүл")
    attempt = start_scenario(client, session, 1)
    assert return_code_words(session_page(client, session)) == []  # not finished yet
    play(client, attempt)
    html = session_page(client, session)
    words = return_code_words(html)
    assert len(words) == 4 and "this page shows them only this once" in html
    player = SessionPlayer.objects.get()
    assert re.fullmatch("[0-9a-f]{64}", player.return_code_hash)
    assert player.return_code_hash == code_hash(session.id, parse(" ".join(words)))
    assert player.return_code_shown_at is not None
    stored = " ".join(str(value) for value in SessionPlayer.objects.values().get().values())
    assert not any(word in stored for word in words)  # nothing but the hash is kept
    for _again in range(2):
        html = session_page(client, session)
        assert return_code_words(html) == [] and SHOWN_BEFORE in html
    assert SessionPlayer.objects.get().return_code_hash == player.return_code_hash


@pytest.mark.django_db
def test_two_page_loads_at_once_show_one_code():
    session = new_session()
    finished = finished_player(session)
    player = SessionPlayer.objects.get()
    assert return_code_issue(player=player) is not None  # the first load
    html = session_page(finished, session)  # the second, a moment later
    assert return_code_words(html) == [] and SHOWN_BEFORE in html
    assert return_code_issue(player=player) is None


@pytest.mark.django_db
def test_a_code_drawn_twice_in_a_session_is_drawn_again(monkeypatch):
    session = new_session()
    finished_player(session, "Aigul")
    finished_player(session, "Dana")
    first, second = SessionPlayer.objects.order_by("joined_at")
    draws = iter([(1, 2, 3, 4), (1, 2, 3, 4), (5, 6, 7, 8)])
    monkeypatch.setattr(return_codes, "new_numbers", lambda: next(draws))
    assert return_code_issue(player=first) == (1, 2, 3, 4)
    assert return_code_issue(player=second) == (5, 6, 7, 8)


@pytest.mark.django_db
def test_in_a_module_session_the_code_waits_for_the_check_after_the_scenarios():
    scenario = build_scenario()
    module = pool_module("m", [scenario], {"a": "prepayment", "b": None, "c": "prepayment"})
    session = new_session(scenarios=[scenario], module=module)
    client = Client()
    join(client, session, "Айгүл")
    key = player_key_of(client)
    run = check_answers(session, key, {"before": {"a": True}})
    play(client, start_scenario(client, session, 1))
    draw(run, "after", [module.check_items.get(key="c")])
    assert return_code_words(session_page(client, session)) == []  # the last check is open
    run.check_answers.create(phase="after", item=module.check_items.get(key="c"), said_scam=True)
    assert len(return_code_words(session_page(client, session))) == 4


@pytest.mark.django_db
def test_a_closed_session_hands_out_no_more_codes():
    session = new_session()
    client = finished_player(session)
    session_close(session=session)
    html = session_page(client, session)
    assert return_code_words(html) == [] and SHOWN_BEFORE not in html
    assert SessionPlayer.objects.get().return_code_hash == ""


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
