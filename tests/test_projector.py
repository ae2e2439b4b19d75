"""The projector's view: join code, QR code and a lobby of nicknames that grows as players
join (a fragment fetched again, a Refresh link without scripts), nicknames hidden on
request, then the group's choices with verdicts and red flags hidden until revealed. No
delete, no close, no score anywhere on it; the same few queries for one player and 500."""

import pytest
from django.test import Client
from django.urls import reverse

from scenarios.content import clear_cache
from tests.session_factories import facilitator, join, new_session, play, start_scenario
from tests.test_session_board import crowd, queries_for

pytestmark = pytest.mark.django_db

MAX_PROJECTOR_QUERIES = 8
MAX_PROJECTOR_GROUP_QUERIES = 14  # as the facilitator's group view: content when not cached
FORBIDDEN = ("Delete", "delete", "Close the session", "Mean score", "score", "/ 100")


@pytest.fixture
def alice():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_lobby_lists_nicknames_as_they_join_and_can_hide_them(alice):
    session = new_session()
    for nickname in ("Aruzhan", "Timur", "Dana"):
        join(Client(), session, nickname)
    projector = page(alice, reverse("facilitator:projector", args=[session.id]))
    assert f'<p class="join-code" aria-label="Join code">{session.code}</p>' in projector
    assert reverse("facilitator:qr", args=[session.id]) in projector
    assert "3 players have joined." in projector
    lobby_url = reverse("facilitator:projector_lobby", args=[session.id])
    assert f'data-live-fragment="{lobby_url}"' in projector
    assert 'class="refresh-link"' in projector  # without scripts
    join(Client(), session, "Aigerim")  # a fourth joins: the next fetch shows her
    lobby = page(alice, lobby_url)
    assert "4 players have joined." in lobby
    assert [n for n in ("Aruzhan", "Timur", "Dana", "Aigerim") if f">{n}</li>" in lobby] == [
        "Aruzhan",
        "Timur",
        "Dana",
        "Aigerim",
    ]
    hidden = page(alice, lobby_url + "?names=hidden")
    assert "4 players have joined." in hidden and "Aruzhan" not in hidden
    projector = page(alice, reverse("facilitator:projector", args=[session.id]) + "?names=hidden")
    assert "Aruzhan" not in projector and "Show nicknames" in projector
    assert f'data-live-fragment="{lobby_url}?names=hidden"' in projector


def test_the_projector_has_no_delete_no_close_and_no_score(alice):
    session = new_session()
    player = Client()
    join(player, session, "Aruzhan")
    play(player, start_scenario(player, session))
    urls = [
        reverse("facilitator:projector", args=[session.id]),
        reverse("facilitator:projector_lobby", args=[session.id]),
        reverse("facilitator:projector_group", args=[session.id, 1]) + "?step=1",
        reverse("facilitator:projector_group", args=[session.id, 1]) + "?step=1&reveal=1",
    ]
    for url in urls:
        html = page(alice, url)
        assert not [word for word in FORBIDDEN if word in html], url
        assert reverse("facilitator:delete", args=[session.id]) not in html
        assert reverse("facilitator:close", args=[session.id]) not in html
    # The facilitator's own page links to it.
    own = page(alice, reverse("facilitator:session", args=[session.id]))
    assert reverse("facilitator:projector", args=[session.id]) in own


def test_verdicts_and_red_flags_are_hidden_until_revealed(alice):
    session = new_session()
    for nickname, mark_flags in (("Aruzhan", True), ("Timur", True), ("Dana", False)):
        player = Client()
        join(player, session, nickname)
        play(player, start_scenario(player, session), mark_flags=mark_flags)
    url = reverse("facilitator:projector_group", args=[session.id, 1]) + "?step=2"
    hidden = page(alice, url)
    # The shares are there: 3 of 3 chose to meet; 2 of 3 marked the red flag (67 %).
    assert "Ask to meet first (1)" in hidden and "100% (3)" in hidden
    assert "Send 50% to my card now (1)" in hidden and "67% (2)" in hidden
    hidden_words = ("Red flag:", "Genuine message", "verdict-", ">Safe<", "missed by", "bar-flag")
    for said in (*hidden_words, "How the stories ended:"):
        assert said not in hidden, said
    assert "?step=2&amp;reveal=1" in hidden and "Reveal the verdicts and red flags" in hidden
    assert "Next step" not in hidden  # reveal first
    shown = page(alice, url + "&reveal=1")
    assert "Red flag: Demand to pay in advance" in shown
    assert "Demand to pay in advance: missed by 33% of the group" in shown  # 1 of 3
    assert "verdict-safe" in shown and ">Safe</span>" in shown
    assert "How the stories ended:" in shown and "Safe 100%" in shown  # all three ended safe
    assert "?step=3" in shown and "Next step" in shown
    for nickname in ("Aruzhan", "Timur", "Dana"):
        assert nickname not in hidden and nickname not in shown


def test_the_projector_and_its_lobby_cost_the_same_queries_for_one_player_and_500(alice):
    counts = []
    for size in (1, 500):
        session = new_session(title=f"Hall of {size}")
        crowd(session, size)
        clear_cache()
        counts.append(
            [
                queries_for(alice, reverse("facilitator:projector", args=[session.id])),
                queries_for(alice, reverse("facilitator:projector_lobby", args=[session.id])),
                queries_for(
                    alice,
                    reverse("facilitator:projector_lobby", args=[session.id]) + "?names=hidden",
                ),
                queries_for(
                    alice,
                    reverse("facilitator:projector_group", args=[session.id, 1]) + "?step=1",
                ),
            ]
        )
    assert counts[0] == counts[1]
    assert max(counts[0][:3]) <= MAX_PROJECTOR_QUERIES
    assert counts[0][3] <= MAX_PROJECTOR_GROUP_QUERIES


def test_a_hall_shows_the_first_nicknames_and_counts_everyone(alice):
    session = new_session()
    crowd(session, 130)
    lobby = page(alice, reverse("facilitator:projector_lobby", args=[session.id]))
    assert lobby.count('<li class="nickname">') == 120
    assert "130 players have joined." in lobby and "…and more: 130 in all." in lobby
