"""Return codes: four easy words, made by the POST that finishes everything in a session,
shown on the pages where the player finishes until they say they wrote it down (never made
or used up by drawing a page, nor by a prefetch), kept only as a keyed hash, reissued by
the facilitator, and read back whatever the case, spaces or script."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
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
from tests.session_factories import (
    join,
    module_session,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from tests.test_session_board import crowd
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

KEPT = "You wrote down your return code. It is not shown again"
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
        ("horse dgo cat bird", "“dgo” is not a word of return codes: did you mean “dog”?"),
        ("7KQ4MX", "“7KQ4MX” is not a word of return codes. Check the words"),
        (
            "horse sumer cat kwxzq",
            "“sumer” is not a word of return codes: did you mean “summer”? "
            "“kwxzq” is not a word of return codes. Check the words and type them again.",
        ),
        ("ат ит мысыг құс", "“мысыг” is not a word of return codes: did you mean “мысық”?"),
        (
            "dog houses sumer cat",
            "“houses” is not a word of return codes: did you mean “house”? "
            "“sumer” is not a word of return codes: did you mean “summer”?",
        ),
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


def wrote_it_down(client: Client, session, round: int = 0):
    return client.post(reverse("return_code_kept", args=[session.code, round]))


@pytest.mark.django_db
def test_the_finishing_post_makes_the_code_shown_until_the_player_wrote_it_down():
    session = new_session()
    client = Client()
    join(client, session, "Айгүл")
    attempt = start_scenario(client, session, 1)
    assert return_code_words(session_page(client, session)) == []  # not finished yet
    assert SessionPlayer.objects.get().return_code_hash == ""
    play(client, attempt)  # the last answer, a POST, makes the code
    player = SessionPlayer.objects.get()
    assert re.fullmatch("[0-9a-f]{64}", player.return_code_hash)
    html = session_page(client, session)
    words = return_code_words(html)
    assert len(words) == 4 and "They are shown until you press the button below." in html
    assert player.return_code_hash == code_hash(session.id, parse(" ".join(words)))
    stored = " ".join(str(value) for value in SessionPlayer.objects.values().get().values())
    assert not any(word in stored for word in words)  # nothing but the hash is kept
    # A reload (or a prefetch) shows it again and uses nothing up.
    assert return_code_words(session_page(client, session)) == words
    assert return_code_words(prefetch(client, session)) == words
    assert SessionPlayer.objects.get().return_code_kept_at is None
    # The result page of the last scenario, where the player finished, shows it too.
    result = client.get(reverse("result", args=[attempt.id])).content.decode()
    assert return_code_words(result) == words and "I wrote it down" in result
    response = wrote_it_down(client, session)
    assert response.status_code == 303
    assert response.url == reverse("join_session", args=[session.code])
    assert SessionPlayer.objects.get().return_code_kept_at is not None
    for _again in range(2):
        html = session_page(client, session)
        assert return_code_words(html) == [] and KEPT in html
    result = client.get(reverse("result", args=[attempt.id])).content.decode()
    assert return_code_words(result) == [] and "I wrote it down" not in result
    assert SessionPlayer.objects.get().return_code_hash == player.return_code_hash


@pytest.mark.django_db
def test_i_wrote_it_down_from_another_browser_or_for_an_old_round_changes_nothing():
    session = new_session()
    client = finished_player(session)
    stranger = Client()
    join(stranger, session, "Dana")
    assert wrote_it_down(stranger, session).status_code == 303  # Dana has no code
    assert wrote_it_down(client, session, round=3).status_code == 303  # not this round
    assert SessionPlayer.objects.get(nickname="Айгүл").return_code_kept_at is None
    assert len(return_code_words(session_page(client, session))) == 4


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
    response = take_check(client, run, "after")  # the POST that finishes
    assert response.status_code == 303
    assert SessionPlayer.objects.get().return_code_hash != ""
    words = return_code_words(session_page(client, session))
    assert len(words) == 4
    # The module's result page, where the check leads, shows it too, reload after reload.
    assert response.url == reverse("module_result", args=[run.id])
    for _again in range(2):
        assert return_code_words(client.get(response.url).content.decode()) == words
    wrote_it_down(client, session)
    assert return_code_words(client.get(response.url).content.decode()) == []


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


@pytest.mark.django_db
def test_the_facilitator_reissues_a_code_once_per_click_and_the_old_one_stops_working():
    from tests.session_factories import facilitator

    session = new_session()
    client = finished_player(session)
    old = return_code_words(session_page(client, session))
    wrote_it_down(client, session)
    alice = Client()
    alice.force_login(facilitator("alice"))
    player = SessionPlayer.objects.get()
    players_page = alice.get(reverse("facilitator:players", args=[session.id])).content.decode()
    reissue = reverse("facilitator:return_code_reissue", args=[session.id, player.pk, 0])
    assert f'action="{reissue}"' in players_page and "written down" in players_page
    first = alice.post(reissue, follow=True).content.decode()
    second = alice.post(reissue, follow=True).content.decode()  # the same click again
    player.refresh_from_db()
    assert player.return_code_round == 1 and player.return_code_kept_at is None
    new = return_code_words(session_page(client, session))  # shown again, new words
    assert len(new) == 4 and new != old
    assert f"New return code for “Айгүл”: {' '.join(new)}." in first
    assert "was reissued already" in second
    assert player.return_code_hash == code_hash(session.id, parse(" ".join(new)))
    assert player.return_code_hash != code_hash(session.id, parse(" ".join(old)))
    # The old round's "I wrote it down" confirms nothing; the new round's does.
    wrote_it_down(client, session, round=0)
    assert len(return_code_words(session_page(client, session))) == 4
    wrote_it_down(client, session, round=1)
    assert return_code_words(session_page(client, session)) == []


@pytest.mark.django_db
def test_the_pages_showing_a_code_cost_the_same_in_a_small_and_a_large_session():
    def cost(client, url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    counts = []
    for size in (1, 300):
        session = new_session(title=f"Hall of {size}")
        crowd(session, size)
        client = finished_player(session, f"Finisher {size}")
        attempt = session.entries.get().scenario.attempts.get(player_key=player_key_of(client))
        module = module_session(title=f"Module hall of {size}", slug=f"m{size}", scenes=3)
        crowd(module, size)
        pupil = Client()
        join(pupil, module, f"Pupil {size}")
        run = run_of(module, f"Pupil {size}")
        take_check(pupil, run, "before")
        for number in (1, 2):
            play(pupil, start_scenario(pupil, module, number))
        take_check(pupil, run, "after")
        measured = [
            cost(client, reverse("join_session", args=[session.code])),
            cost(client, reverse("result", args=[attempt.id])),
            cost(pupil, reverse("module_result", args=[run.id])),
        ]
        assert (
            len(
                return_code_words(
                    pupil.get(reverse("module_result", args=[run.id])).content.decode()
                )
            )
            == 4
        )
        counts.append(measured)
    assert counts[0] == counts[1]
