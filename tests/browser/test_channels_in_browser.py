"""A player on a phone, in Kazakh, Russian and English, with JavaScript on and off, plays a
story that goes through every channel (a step's own channel, pack format version 2), and
on each step points at the clue: the link's domain and the payment request's card. The
debrief reads each one back where it was; axe finds nothing serious on the play page."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from scenarios.models import Channel
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_play_in_browser import assert_fits_the_phone
from trainer.models import MarkedMessage

pytestmark = pytest.mark.browser

NB = "\u00a0"
CHANNELS = [channel.value for channel in Channel]
WORDS = {
    "en": ("Every channel", "Hello, here are the details.", "Pay here", "Go on", "Done"),
    "ru": ("Все каналы", "Здравствуйте, вот реквизиты.", "Оплата здесь", "Дальше", "Готово"),
    "kk": (
        "Барлық арна",
        "Сәлеметсіз бе, міне деректемелер.",
        "Осында төлеңіз",
        "Әрі қарай",
        "Болды",
    ),
}


def card(i: int) -> str:
    return NB.join(["0000", "0000", "0000", f"{1000 + i}"])


def domain(i: int) -> str:
    return f"pay-{i}.example"


def every_channel_pack() -> dict:
    scenarios = []
    for language, (title, hello, pay_here, go_on, done) in WORDS.items():
        steps = []
        for i, channel in enumerate(CHANNELS):
            after = CHANNELS[i + 1] if i + 1 < len(CHANNELS) else "end"
            steps.append(
                {
                    "key": channel,
                    "channel": channel,
                    "sender": {
                        "name": f"Sender {i}",
                        "handle": f"+7{NB}000{NB}000{NB}00{NB}{10 + i}",
                    },
                    "messages": [
                        {"key": f"{channel}-hello", "text": hello},
                        {
                            "key": f"{channel}-link",
                            "kind": "link",
                            "text": pay_here,
                            "url": f"https://{domain(i)}/checkout",
                            "flag": "lookalike",
                            "flag_part": "link",
                        },
                        {
                            "key": f"{channel}-pay",
                            "kind": "payment",
                            "amount": f"5{NB}000{NB}₸",
                            "to": card(i),
                            "flag": "prepayment",
                            "flag_part": "payment",
                        },
                    ],
                    "choices": [{"text": go_on, "verdict": "safe", "says": go_on, "next": after}],
                }
            )
        steps.append({"key": "end", "ending": "safe", "title": done, "text": done})
        scenarios.append(
            {
                "slug": "every-channel",
                "language": language,
                "title": title,
                "channel": "sms",
                "legitimate": False,
                "start": CHANNELS[0],
                "steps": steps,
            }
        )
    return {
        "format": "saq-pack",
        "version": 2,
        "red_flag_types": [
            {"code": "lookalike", "name": "Look-alike address"},
            {"code": "prepayment", "name": "Pay in advance"},
        ],
        "scenarios": scenarios,
    }


@pytest.fixture
def every_channel(transactional_db, tmp_path):
    path = tmp_path / "every-channel.json"
    path.write_text(json.dumps(every_channel_pack(), ensure_ascii=False), encoding="utf-8")
    call_command("import_scenarios", str(path), stdout=io.StringIO())


def words(language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "start": gettext("Start"),
            "link": gettext("Mark the link as suspicious"),
            "payment": gettext("Mark the payment request as suspicious"),
            "where_link": gettext("Where: %(part)s") % {"part": gettext("the link")},
            "where_payment": gettext("Where: %(part)s") % {"part": gettext("the payment request")},
            "caught": gettext("Red flag you caught"),
        }


def point_at_the_clues(page: Page, i: int, said: str) -> None:
    link = page.get_by_role("checkbox", name=said["link"], exact=True)
    payment = page.get_by_role("checkbox", name=said["payment"], exact=True)
    expect(link).to_have_accessible_description(re.compile(re.escape(domain(i))))
    expect(payment).to_have_accessible_description(re.compile(re.escape(card(i))))
    # As a keyboard user does it: focus the control and press Space.
    link.focus()
    page.keyboard.press("Space")
    payment.check()
    expect(link).to_be_checked()
    expect(payment).to_be_checked()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_player_points_at_the_link_and_the_card_in_every_channel_and_reads_them_back(
    new_page, live_server, every_channel, language, javascript
):
    said = words(language)
    title, _hello, _pay, go_on, done = WORDS[language]
    page = new_page(locale=language, java_script_enabled=javascript)
    page.goto(f"{live_server.url}/s/every-channel/{language}/")
    page.get_by_role("button", name=said["start"]).click()
    found = []
    for i, channel in enumerate(CHANNELS):
        expect(page.locator(f"section.channel-{channel}")).to_be_visible()
        expect(page.locator(".link-domain")).to_have_text(domain(i))
        if i:  # what the player said on the step before, on the player's side
            expect(page.locator(".message-own")).to_contain_text(go_on)
        assert_fits_the_phone(page)
        if javascript and channel in ("social_dm", "phone_call", "web_page"):
            found += blocking_violations(page)
        point_at_the_clues(page, i, said)
        page.get_by_role("button", name=go_on, exact=True).click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", name=done, exact=True)).to_be_visible()
    assert_fits_the_phone(page)
    items = page.locator(".review-item.outcome-hit")
    expect(items).to_have_count(2 * len(CHANNELS))
    for i in range(len(CHANNELS)):
        expect(items.filter(has_text=said["where_link"]).nth(i)).to_contain_text(domain(i))
        expect(items.filter(has_text=said["where_payment"]).nth(i)).to_contain_text(
            card(i).replace(NB, " ")
        )
    expect(page.locator(".score-total")).to_contain_text("100")
    assert MarkedMessage.objects.filter(on_part=True).count() == 2 * len(CHANNELS)
    assert not MarkedMessage.objects.filter(on_part=False).exists()
    assert not found, "\n".join(found)
