"""Closing asks first and names who would be cut off; a closed session opens again; the
facilitator renames one player (a rude nickname) or removes one with what they did."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.session_factories import (
    facilitator,
    join,
    module_session,
    new_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from trainer.models import ActedOnce, Attempt, ModuleRun, SessionPlayer, StepAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


def test_closing_asks_first_and_names_who_has_not_finished(alice):
    session = new_session()
    done, midway = Client(), Client()
    join(done, session, "Aruzhan")
    play(done, start_scenario(done, session))
    join(midway, session, "Timur")
    start_scenario(midway, session)
    own = alice.get(reverse("facilitator:session", args=[session.id])).content.decode()
    close_url = reverse("facilitator:close", args=[session.id])
    assert f'<a class="button" href="{close_url}">Close the session</a>' in own
    page = alice.get(close_url).content.decode()
    session.refresh_from_db()
    assert not session.is_closed  # asking closes nothing
    assert "1 of 2 players has not finished and will be cut off:" in page
    assert '<span class="nickname">Timur</span> · 0 of 1 scenarios finished' in page
    assert "Aruzhan" not in page
    response = alice.post(close_url)
    assert response.status_code == 303
    session.refresh_from_db()
    assert session.is_closed


def test_a_closed_session_opens_again_and_takes_answers_and_players(alice):
    session = new_session()
    player = Client()
    join(player, session, "Timur")
    attempt = start_scenario(player, session)
    alice.post(reverse("facilitator:close", args=[session.id]))
    own = alice.get(reverse("facilitator:session", args=[session.id])).content.decode()
    assert "Open the session again" in own
    response = alice.post(reverse("facilitator:reopen", args=[session.id]))
    assert response.status_code == 303
    session.refresh_from_db()
    assert not session.is_closed
    assert "The session is open again" in alice.get(response.url).content.decode()
    play(player, attempt)  # the answers are taken again, to the end
    attempt.refresh_from_db()
    assert attempt.is_finished and StepAnswer.objects.filter(attempt=attempt).count() == 3
    assert join(Client(), session, "Dana").status_code == 303
    assert SessionPlayer.objects.filter(session=session).count() == 2


def test_the_facilitator_renames_a_player_to_a_free_tidy_nickname(alice):
    session = new_session()
    rude, other = Client(), Client()
    join(rude, session, "Rude word")
    join(other, session, "Dana")
    player = SessionPlayer.objects.get(nickname="Rude word")
    url = reverse("facilitator:player_rename", args=[session.id, player.pk])
    taken = alice.post(url, {"nickname": "DANA"}).content.decode()
    assert "Someone in this session is already called “DANA”." in taken
    assert alice.post(url, {"nickname": "me@mail.kz"}).status_code == 200
    player.refresh_from_db()
    assert player.nickname == "Rude word"  # nothing changed
    response = alice.post(url, {"nickname": "  Player   7 "})
    assert response.status_code == 303
    player.refresh_from_db()
    assert (player.nickname, player.nickname_key) == ("Player 7", "player 7")
    said = alice.get(response.url).content.decode()
    assert "“Rude word” is now called “Player 7”." in said
    mine = rude.get(reverse("join_session", args=[session.code])).content.decode()
    assert "<strong>Player 7</strong>" in mine
    board = alice.get(reverse("facilitator:board", args=[session.id])).content.decode()
    assert "Player 7" in board and "Rude word" not in board


def test_removing_a_player_takes_what_they_did_and_lets_the_phone_join_again(alice):
    session = module_session(scams=4, genuine=4)
    gone, stays = Client(), Client()
    join(gone, session, "Rude word")
    join(stays, session, "Dana")
    run = run_of(session, "Rude word")
    take_check(gone, run, "before")
    play(gone, start_scenario(gone, session, 1))
    player = SessionPlayer.objects.get(nickname="Rude word")
    url = reverse("facilitator:player_remove", args=[session.id, player.pk])
    ask = alice.get(url).content.decode()
    assert "“Rude word” leaves “Class 9B” with everything they did in it" in ask
    assert SessionPlayer.objects.filter(pk=player.pk).exists()  # asking removes nothing
    first, second = alice.post(url), alice.post(url)  # a double click
    assert first.status_code == second.status_code == 303
    said = alice.get(first.url).content.decode()
    assert "“Rude word” is removed from the session, with their answers." in said
    assert not SessionPlayer.objects.filter(pk=player.pk).exists()
    assert not Attempt.objects.filter(player_key=player.player_key).exists()
    assert not ModuleRun.objects.filter(player_key=player.player_key).exists()
    assert not ActedOnce.objects.filter(key__contains=player.player_key).exists()
    assert SessionPlayer.objects.filter(session=session).get().nickname == "Dana"
    assert run_of(session, "Dana")  # the other player's run is untouched
    board = alice.get(reverse("facilitator:board", args=[session.id])).content.decode()
    assert "Rude word" not in board and "1 player joined" in board
    assert alice.get(url).status_code == 404
    assert join(gone, session, "Newname").status_code == 303  # the phone joins again
    assert SessionPlayer.objects.filter(session=session, nickname="Newname").exists()
