"""What the debrief shows of each spot of a message (trainer/play/debrief.py, spot_card) is
rendered once per published version and shared by every player: it is made of the content
alone, so a player's outcome (caught, missed, a false alarm) is drawn around it per request
and cannot travel with it to another player."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from scenarios.content import version_content
from tests.factories import build_scenario
from tests.test_page_cache import as_player, strict_templates
from trainer.models import Attempt
from trainer.play.debrief import spot_card

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'<div class="review-item outcome-(\w+)">(.*?)\n</div>', re.S)


def finish(client: Client, attempt: Attempt, mark: bool) -> str:
    """Answer the one scene (marking its red flag or not) and return the result page."""
    step = attempt.current_step
    data = {"position": 0, "choice": step.choices.get(order=0).id}
    if mark:
        data["mark"] = step.messages.get(key="m0-flag").id
    url = reverse("play", args=[attempt.id])
    assert client.post(url, data).status_code == 303
    return client.get(reverse("result", args=[attempt.id])).content.decode()


def test_two_players_share_a_spots_card_and_each_sees_their_own_outcome():
    scenario = build_scenario(scenes=1)
    pages = {}
    for key, mark in (("aigerim-key", True), ("bolat-key", False)):
        client = as_player(key)
        start = client.post(reverse("scenario_start", args=[scenario.slug, "en"]))
        attempt = Attempt.objects.get(pk=start["Location"].split("/")[2])
        pages[key] = finish(client, attempt, mark)
    caught, missed = (ITEM.findall(pages[key]) for key in ("aigerim-key", "bolat-key"))
    assert [outcome for outcome, _card in caught] == ["hit"]
    assert [outcome for outcome, _card in missed] == ["missed"]
    # The same card, drawn for Bolat from what Aigerim's page rendered: the content only.
    assert caught[0][1] == missed[0][1]
    assert "Send 50% to my card now (0)" in caught[0][1]
    assert "Money sent in advance is gone." in caught[0][1]
    assert "Red flag you caught" in pages["aigerim-key"]
    assert "Red flag you caught" not in pages["bolat-key"]
    assert "Red flag you missed" in pages["bolat-key"]


def test_every_card_reads_only_the_content_it_is_given():
    content = version_content(build_scenario(scenes=1, rich=True).current_version_id)
    draft = version_content(build_scenario(slug="draft", published=False).versions.get().pk)
    with strict_templates(), translation.override("en"):
        for version in (content, draft):
            for message in version.start.messages:
                for spot in message.spots:
                    card = spot_card(version, message, spot)
                    if message.text:
                        assert escape(message.text) in card.detail
                    assert ("Where:" in card.detail) is spot.on_part
                    if message.explanation:
                        assert escape(message.explanation) in card.detail
                    words = (message.text or message.gist).split()
                    assert card.quote.startswith(escape(" ".join(words[:9]))[:20])
