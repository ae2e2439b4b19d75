"""The group's view of a step on the projector counts a red flag on a part (a link's
address) where it sits: a player who marked only the link's words did not catch it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import build_scenario
from tests.session_factories import facilitator, join, new_session, start_scenario
from trainer.sessions.group import group_scenario

pytestmark = pytest.mark.django_db


def test_the_group_counts_a_flag_on_a_link_where_it_sits(client):
    scenario = build_scenario(slug="rich", scenes=1, rich=True)
    session = new_session(scenarios=[scenario])
    step = scenario.current_version.steps.get(key="scene-0")
    ids = {m.key: m.id for m in step.messages.all()}
    safe = step.choices.get(order=0).id
    for nickname, marks in (
        ("Aigul", {"mark_part": [ids["m0-link"]]}),  # the link's address: caught
        ("Berik", {"mark": [ids["m0-link"]]}),  # the link's words only: missed
        ("Dana", {"mark_part": [ids["m0-pay"]]}),  # the genuine payment request: marked
    ):
        phone = Client()
        join(phone, session, nickname)
        attempt = start_scenario(phone, session, 1)
        phone.post(reverse("play", args=[attempt.id]), {"position": 0, "choice": safe, **marks})
    group = group_scenario(session, 1)
    shares = {share.message.key: share for share in group.steps[0].messages}
    assert (shares["m0-link"].marked.count, shares["m0-link"].marked.of) == (1, 3)
    assert shares["m0-link"].missed.count == 2
    assert shares["m0-pay"].marked.count == 1
    assert shares["m0-flag"].marked.count == 0
    client.force_login(facilitator())
    page = client.get(reverse("facilitator:group", args=[session.id, 1])).content.decode()
    assert "0000 0000 0000 0001" in page  # a card without words, shown by what it holds
