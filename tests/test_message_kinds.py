"""Kinds of message (pack format version 2) and marking a message's part: the pack's
shape and rules, the play page, the answer stored, the score, the debrief and the
authors' statistics."""

import copy
import re

import pytest
from django.urls import reverse

from scenarios.content import version_content
from scenarios.models import Message, Scenario, Step
from scenarios.packs.exporter import pack_export
from scenarios.packs.importer import PackRejected, pack_import
from scenarios.packs.validation import pack_problems
from tests.factories import build_scenario
from tests.test_play import start
from trainer.authors.stats import version_stats
from trainer.models import MarkedMessage

pytestmark = pytest.mark.django_db

CARD = "0000\u00a00000\u00a00000\u00a00042"


def rich_pack() -> dict:
    """A message of every kind, a step in another channel, a choice that says something."""
    return {
        "format": "saq-pack",
        "version": 2,
        "red_flag_types": [
            {"code": "lookalike-link", "name": "A look-alike address"},
            {"code": "prepayment", "name": "Demand to pay in advance"},
            {"code": "app-install", "name": "A file to install", "asks_for": "app_install"},
        ],
        "scenarios": [
            {
                "slug": "every-kind",
                "language": "en",
                "title": "Every kind of message",
                "channel": "social_dm",
                "legitimate": False,
                "start": "chat",
                "steps": [
                    {
                        "key": "chat",
                        "title": "The seller writes",
                        "sender": {"name": "Phone shop", "handle": "@phone_shop", "verified": True},
                        "messages": [
                            {
                                "key": "who",
                                "kind": "sender",
                                "name": "Phone shop",
                                "handle": "@phone_shop",
                                "verified": True,
                            },
                            {"key": "hi", "text": "Hello! The phone is still here."},
                            {
                                "key": "link",
                                "kind": "link",
                                "text": "Pay on our site:",
                                "url": "https://phone-shop.example/pay",
                                "title": "Phone shop: checkout",
                                "flag": "lookalike-link",
                                "flag_part": "link",
                                "explanation": "The shop's own site has another address.",
                            },
                            {
                                "key": "pay",
                                "kind": "payment",
                                "amount": "20\u00a0000\u00a0₸",
                                "to": CARD,
                                "recipient": "Aigerim S.",
                                "flag": "prepayment",
                                "flag_part": "payment",
                            },
                            {
                                "key": "receipt",
                                "kind": "receipt",
                                "title": "Transfer sent",
                                "amount": "150\u00a0000\u00a0₸",
                            },
                            {
                                "key": "file",
                                "kind": "attachment",
                                "text": "Our catalogue",
                                "file_name": "catalogue.apk",
                                "size": "2.4 MB",
                                "file_type": "APK",
                                "flag": "app-install",
                                "flag_part": "attachment",
                            },
                            {
                                "key": "voice",
                                "kind": "voice",
                                "text": "Hi, it's me.",
                                "duration": "0:05",
                            },
                        ],
                        "choices": [
                            {
                                "text": "Ask to meet at the shop",
                                "verdict": "safe",
                                "says": "Can I see it at your shop?",
                                "next": "call",
                            },
                            {
                                "text": "Pay the 20\u00a0000\u00a0₸",
                                "verdict": "harmful",
                                "next": "lost",
                            },
                        ],
                    },
                    {
                        "key": "call",
                        "channel": "phone_call",
                        "sender": {
                            "name": "Unknown",
                            "handle": "+7\u00a0000\u00a0000\u00a000\u00a001",
                            "verified": False,
                        },
                        "messages": [{"key": "call-1", "text": "We have no shop, only delivery."}],
                        "choices": [{"text": "Hang up", "verdict": "safe", "next": "safe"}],
                    },
                    {"key": "lost", "ending": "scammed", "title": "Gone", "text": "Gone."},
                    {"key": "safe", "ending": "safe", "title": "Safe", "text": "Safe."},
                ],
            }
        ],
    }


def test_a_pack_of_every_kind_imports_and_exports_as_it_was_written():
    pack = rich_pack()
    pack_import(packs=[("rich.json", copy.deepcopy(pack))])
    exported = pack_export(slug="every-kind")
    assert exported["version"] == 2
    assert exported["scenarios"] == pack["scenarios"]
    link = Message.objects.get(key="link")
    assert (link.kind, link.details, link.flag_part) == (
        "link",
        {"url": "https://phone-shop.example/pay", "title": "Phone shop: checkout"},
        "link",
    )
    assert Step.objects.get(key="call").channel == "phone_call"
    # Imported again, it is the same scenario.
    report = pack_import(packs=[("rich.json", copy.deepcopy(pack))])
    assert [outcome.outcome for outcome in report.scenarios] == ["unchanged"]


def test_a_version_1_pack_imports_as_it_did_and_may_not_use_the_new_fields():
    pack = rich_pack()
    pack["version"] = 1
    problems = pack_problems(pack, known_flag_codes=set(), known_scenarios=set())
    at = "scenarios[0].steps[0]"
    assert f"{at}.sender.handle: needs version 2 of the pack format" in problems
    assert f"{at}.messages[0].kind: needs version 2 of the pack format" in problems
    assert f"{at}.messages[2].url: needs version 2 of the pack format" in problems
    assert f"{at}.choices[0].says: needs version 2 of the pack format" in problems
    assert "scenarios[0].steps[1].channel: needs version 2 of the pack format" in problems


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda m: m[2].pop("url"),
            'messages[2].url: a message of this kind needs this field ("link")',
        ),
        (
            lambda m: m[1].update(amount="5"),
            'messages[1].amount: not a field of this kind of message ("text")',
        ),
        (
            lambda m: m[1].update(flag_part="link"),
            "messages[1].flag_part: a flag part needs a flag",
        ),
        (
            lambda m: m[5].update(flag_part="payment"),
            "messages[5].flag_part: this kind of message has no such part",
        ),
        (
            lambda m: m[3].pop("flag_part"),
            "messages[3].flag: the message has no words of its own: put the flag on its part",
        ),
        (
            lambda m: m[6].pop("text"),
            'messages[6].text: a message of this kind needs its text ("voice")',
        ),
    ],
    ids=[
        "no-url",
        "field-of-another-kind",
        "part-without-flag",
        "no-such-part",
        "no-words",
        "voice",
    ],
)
def test_a_message_that_breaks_its_kind_is_refused_whole_with_its_place(change, problem):
    pack = rich_pack()
    change(pack["scenarios"][0]["steps"][0]["messages"])
    with pytest.raises(PackRejected) as refused:
        pack_import(packs=[("rich.json", pack)])
    assert f"rich.json: scenarios[0].steps[0].{problem}" in refused.value.problems
    assert not Scenario.objects.exists() and not Message.objects.exists()


def test_an_unknown_kind_is_refused_by_the_schema():
    pack = rich_pack()
    pack["scenarios"][0]["steps"][0]["messages"][1]["kind"] = "hologram"
    problems = pack_problems(pack, known_flag_codes=set(), known_scenarios=set())
    assert any(p.startswith("scenarios[0].steps[0].messages[1].kind:") for p in problems)


def _controls(html: str, name: str) -> dict[int, str]:
    found = re.findall(
        rf'<input class="mark" type="checkbox" name="{name}" value="(\d+)" '
        r'aria-describedby="(?:message|part)-\d+"> <span>(.*?)</span>',
        html,
    )
    return {int(value): label for value, label in found}


def play_rich(client) -> tuple:
    pack_import(packs=[("rich.json", rich_pack())])
    attempt = start(client, Scenario.objects.get(slug="every-kind"))
    return attempt, reverse("play", args=[attempt.id])


def test_each_kind_is_drawn_with_its_part_to_mark(client):
    attempt, url = play_rich(client)
    html = client.get(url).content.decode()
    by_key = {m.key: m.id for m in Message.objects.all()}
    assert '<span class="link-domain">phone-shop.example</span>' in html
    assert '<span class="link-url">https://phone-shop.example/pay</span>' in html
    assert f'<span class="payment-to">{CARD}</span>' in html
    assert '<span class="file-name">catalogue.apk</span>' in html
    assert "Transcript:" in html
    parts = _controls(html, "mark_part")
    assert parts == {
        by_key["who"]: "Mark the sender as suspicious",
        by_key["link"]: "Mark the link as suspicious",
        by_key["pay"]: "Mark the payment request as suspicious",
        by_key["file"]: "Mark the attachment as suspicious",
    }
    words = _controls(html, "mark")
    # A card without words of its own (the sender, the payment) has only its part to mark.
    assert set(words) == {by_key[k] for k in ("hi", "link", "receipt", "file", "voice")}
    assert words[by_key["hi"]] == "Mark as suspicious"
    assert words[by_key["link"]] == "Mark the message as suspicious"
    for message_id in parts:
        assert f'id="part-{message_id}"' in html


def test_a_part_marked_is_stored_scored_and_read_back_in_the_debrief(client):
    attempt, url = play_rich(client)
    by_key = {m.key: m.id for m in Message.objects.all()}
    chat = Step.objects.get(key="chat")
    response = client.post(
        url,
        {
            "position": 0,
            "choice": chat.choices.get(order=0).id,
            # The link's address (the flag), the link's words (innocent), the payment (flag).
            "mark_part": [by_key["link"], by_key["pay"]],
            "mark": [by_key["link"]],
        },
    )
    assert response.status_code == 303
    marks = set(MarkedMessage.objects.values_list("message__key", "on_part"))
    assert marks == {("link", True), ("pay", True), ("link", False)}
    page = client.get(url).content.decode()
    assert "Can I see it at your shop?" in page  # what the player said, in the conversation
    assert '<span class="caller-number">+7\u00a0000\u00a0000\u00a000\u00a001</span>' in page
    call = Step.objects.get(key="call")
    client.post(url, {"position": 1, "choice": call.choices.get().id})
    result = client.get(reverse("result", args=[attempt.id])).content.decode()
    # Counted: the sender card (innocent), hi, the link's address (hit: its words, marked
    # too, are neither hit nor alarm), the payment (hit), the receipt, the attachment's file
    # (missed), the voice, the call. Hit rate 2/3, no false alarm: 83.
    assert "<strong>83</strong> / 100" in result
    assert "<dd>2 / 3</dd>" in result
    items = re.findall(r'<div class="review-item outcome-(\w+)">(.*?)\n</div>', result, re.S)
    told = [
        (outcome, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())
        for outcome, body in items
    ]
    assert [outcome for outcome, _body in told] == ["hit", "hit", "missed"]
    assert "Where: the link" in told[0][1] and "phone-shop.example" in told[0][1]
    assert "Where: the payment request" in told[1][1] and CARD.replace("\xa0", " ") in told[1][1]
    assert "Where: the attachment" in told[2][1] and "catalogue.apk" in told[2][1]
    stats = version_stats(version_content(chat.version_id))
    missed = {(flag.message, flag.part_label, flag.missed) for flag in stats.steps[0].flags}
    assert ("Pay on our site:", "the link", 0) in {(m, str(p), n) for m, p, n in missed}
    assert ("Our catalogue", "the attachment", 1) in {(m, str(p), n) for m, p, n in missed}


def test_a_part_of_another_step_or_a_part_a_message_lacks_is_refused(client):
    attempt, url = play_rich(client)
    by_key = {m.key: m.id for m in Message.objects.all()}
    chat = Step.objects.get(key="chat")
    for wrong in (by_key["hi"], by_key["call-1"]):
        response = client.post(
            url, {"position": 0, "choice": chat.choices.get(order=0).id, "mark_part": [wrong]}
        )
        assert response.status_code == 303
        assert not MarkedMessage.objects.exists()
    attempt.refresh_from_db()
    assert attempt.position == 0


def test_a_scenario_with_parts_costs_the_same_queries_small_and_large(client):
    from tests.test_query_counts import queries_for

    counts = []
    for scenes in (3, 40):
        attempt = start(client, build_scenario(slug=f"rich-{scenes}", scenes=scenes, rich=True))
        for position in range(scenes):
            attempt.refresh_from_db()
            step = attempt.current_step
            ids = [m.id for m in step.messages.all()]
            client.post(
                reverse("play", args=[attempt.id]),
                {
                    "position": position,
                    "choice": step.choices.get(order=0).id,
                    "mark": ids[:1],
                    "mark_part": ids[3:4],
                },
            )
        attempt.refresh_from_db()
        assert attempt.is_finished
        counts.append(queries_for(client, reverse("result", args=[attempt.id])))
        assert attempt.score == 100
    assert counts[0] == counts[1]


def test_a_learning_record_tells_the_part_marked_from_the_words():
    from trainer.records.statements import marks_extension

    pack_import(packs=[("rich.json", rich_pack())])
    chat = Step.objects.get(key="chat")
    step = version_content(chat.version_id).step_by_id(chat.id)
    by_key = {m.key: m.id for m in Message.objects.all()}
    marks = marks_extension(step, {by_key["hi"], by_key["link"]}, {by_key["link"], by_key["pay"]})
    assert {"message": "link", "part": "link", "red_flag": "lookalike-link", "marked": True} in (
        marks["messages"]
    )
    assert {"message": "hi", "red_flag": None, "marked": True} in marks["messages"]
    assert (marks["hits"], marks["misses"], marks["false_alarms"]) == (2, 1, 1)


def test_a_picture_is_a_message_s_own_field_in_either_version():
    """Any message may show a picture (`image`, `alt`), in a version 1 pack too: the rules
    never take them for a kind's fields."""
    for version in (1, 2):
        pack = rich_pack()
        pack["version"] = version
        scenario = pack["scenarios"][0]
        if version == 1:
            scenario["steps"] = [scenario["steps"][3]]  # the safe ending
            scenario["steps"].insert(
                0,
                {
                    "key": "chat",
                    "messages": [{"key": "hi", "text": "Hi"}],
                    "choices": [{"text": "Go", "verdict": "safe", "next": "safe"}],
                },
            )
            scenario["legitimate"] = True
        message = scenario["steps"][0]["messages"][1 if version == 2 else 0]
        message |= {"image": "pictures/phone.png", "alt": "A phone in its box"}
        problems = pack_problems(pack, known_flag_codes=set(), known_scenarios=set())
        assert problems == [], (version, problems)


def test_a_step_with_cards_costs_the_same_queries_small_and_large(client):
    from scenarios.content import clear_cache
    from tests.test_query_counts import MAX_PLAY_QUERIES, queries_for

    counts = []
    for scenes in (3, 40):
        attempt = start(client, build_scenario(slug=f"cards-{scenes}", scenes=scenes, rich=True))
        step = attempt.current_step
        ids = [m.id for m in step.messages.all()]
        url = reverse("play", args=[attempt.id])
        client.post(
            url,
            {"position": 0, "choice": step.choices.get(order=0).id, "mark_part": ids[3:5]},
        )
        clear_cache()
        counts.append(queries_for(client, url))
        page = client.get(url).content.decode()
        assert "Can we meet first? (0)" in page and "shop-1.example" in page
    assert counts[0] == counts[1] <= MAX_PLAY_QUERIES
