"""Kinds of message, a step's channel and what the player says, written in the admin: kept
when right, refused with the field named when a kind's field is missing or foreign."""

import json

import pytest

from scenarios.models import Step
from tests.authoring import step_form
from tests.factories import build_scenario, flag_type
from tests.test_authoring_drafts import step_url, version_url

pytestmark = pytest.mark.django_db


def scene_and_data(messages: list[dict], **fields):
    version = build_scenario(published=False, scenes=1).versions.get()
    scene = version.steps.get(key="scene-0")
    scene.messages.all().delete()
    scene.choices.all().delete()
    safe = version.steps.get(key="safe")
    choices = [
        {
            "text": "Ask to meet",
            "verdict": "safe",
            "feedback": "",
            "says": "Can we meet first?",
            "next_step": str(safe.pk),
        }
    ]
    rows = [{"key": "", "order": "", "explanation": "", "flag": "", **m} for m in messages]
    return version, scene, step_form(scene, messages=rows, choices=choices, **fields)


def test_a_link_flagged_on_its_address_in_a_step_of_its_own_channel_is_kept(author_client):
    flag = flag_type("lookalike")
    link = {"url": "https://shop.example/pay", "title": "Checkout"}
    version, scene, data = scene_and_data(
        [
            {
                "kind": "link",
                "text": "Pay here",
                "details": json.dumps(link),
                "flag": str(flag.pk),
                "flag_part": "link",
            }
        ],
        channel="sms",
        sender_handle="+7 000 000 00 01",
    )
    response = author_client.post(step_url(scene), data)
    assert response.status_code == 302 and response.url == version_url(version)
    scene = Step.objects.get(pk=scene.pk)
    assert (scene.channel, scene.sender_handle) == ("sms", "+7 000 000 00 01")
    message = scene.messages.get()
    assert (message.kind, message.details, message.flag_part) == ("link", link, "link")
    assert scene.choices.get().says == "Can we meet first?"


@pytest.mark.parametrize(
    ("row", "field", "error"),
    [
        ({"kind": "link", "text": "Pay here", "details": "{}"}, "details",
         "url: a message of this kind needs this field"),
        ({"kind": "text", "text": "Hi", "details": '{"amount": "5"}'}, "details",
         "amount: not a field of this kind of message"),
        ({"kind": "text", "text": "Hi", "details": "{}", "flag_part": "link"}, "flag_part",
         "a flag part needs a flag"),
        ({"kind": "voice", "text": "", "details": "{}"}, "text",
         "a message of this kind needs its text"),
    ],
    ids=["no-url", "foreign-field", "part-without-flag", "voice-without-words"],
)  # fmt: skip
def test_a_message_that_breaks_its_kind_is_refused_with_the_field_named(
    author_client, row, field, error
):
    _version, scene, data = scene_and_data([row])
    response = author_client.post(step_url(scene), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert error in errors[field][0]
    assert not scene.messages.exists()
