"""The readings of issue 11 in real Chromium, in Kazakh, Russian and English: a session of
twelve players made through the site's own forms (a Django test client per player: join,
both checks, both scenarios), then the facilitator's report, which reads the group with
its 95 % interval and draws it, and one player's result page, which shows right answers
before and after and says that one short check gives no verdict on one person.

Each check has 4 scams and 4 genuine messages. The players catch scams and raise false
alarms as LEARNT says (test_session_report.py), so d′ rises for every one of them: the
group reads "more discerning". Every figure on the pages is compared with the report's
own computation written out in the language's format, and every sentence with the
catalogue's translation.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from scenarios.models import CheckItem
from tests.browser.conftest import DESKTOP, PHONE
from tests.session_factories import (
    facilitator,
    join,
    module_session,
    play,
    run_of,
    start_scenario,
    take_check,
)
from tests.test_session_report import LEARNT
from trainer.scoring import round_half_up
from trainer.sessions.check import session_check

pytestmark = pytest.mark.browser

LANGUAGES = ("kk", "ru", "en")


def judge(pattern: tuple[int, int], run, phase: str):
    """said_scam for take_check: the first `caught` scams and `alarms` genuine messages of
    the check, in the order drawn, are called scams."""
    caught, alarms = pattern
    items = run.items_drawn(phase)
    kinds = CheckItem.objects.in_bulk(items)
    scams = [i for i in items if not kinds[i].legitimate][:caught]
    genuine = [i for i in items if kinds[i].legitimate][:alarms]
    chosen = set(scams) | set(genuine)
    return lambda item: item.id in chosen


@pytest.fixture
def twelve(transactional_db):
    """A module session of twelve players who took both checks and played both scenarios;
    returns the session and the first player's client (whose result page is read)."""
    session = module_session(scams=8, genuine=8)
    clients = []
    for number, (before, after) in enumerate(LEARNT):
        client = Client()
        nickname = f"Player {number}"
        join(client, session, nickname)
        run = run_of(session, nickname)
        take_check(client, run, "before", judge(before, run, "before"))
        for scenario in (1, 2):
            play(client, start_scenario(client, session, scenario))
        assert take_check(client, run, "after", judge(after, run, "after")).status_code == 303
        clients.append(client)
    return session, clients[0]


def signed(value: float, language: str) -> str:
    """A change as the |signed filter writes it, worked out again: sign, two places."""
    rounded = round_half_up(value, 2)
    text = f"{abs(rounded):.2f}"
    if language != "en":
        text = text.replace(".", ",")
    return f"+{text}" if rounded > 0 else f"\u2212{text}" if rounded < 0 else text


def test_the_report_and_the_result_page_read_twelve_players_in_three_languages(
    browser, live_server, twelve
):
    session, player = twelve
    group = session_check(session).group
    assert group.players == 12 and group.d_prime.low > 0  # the reading the page must give

    desk = Client()
    desk.force_login(facilitator("alice"))
    report_url = f"{live_server.url}/facilitator/sessions/{session.id}/report/"
    result_url = f"{live_server.url}/run/{run_of(session, 'Player 0').id}/result/"
    for language in LANGUAGES:
        with translation.override(language):
            reading = gettext(
                "The group became more discerning: better at telling scams from genuine messages."
            )
            interval = gettext(
                "Change in discernment d′: %(mean)s (95 %% interval %(low)s to %(high)s)."
            ) % {
                "mean": signed(group.d_prime.mean, language),
                "low": signed(group.d_prime.low, language),
                "high": signed(group.d_prime.high, language),
            }
            players = ngettext(
                "From %(players)s player who took the check before and after.",
                "From %(players)s players who took the check before and after.",
                12,
            ) % {"players": 12}
            right = gettext("Right: %(before)s of %(of_before)s → %(after)s of %(of_after)s") % {
                "before": 4,
                "of_before": 8,
                "after": 8,
                "of_after": 8,
            }
            no_verdict = gettext(
                "A check this short cannot show a change in one person: one or two lucky or "
                "unlucky answers move it either way. So Saq gives no verdict on you; a "
                "facilitator's report reads the change of a whole group."
            )
            one_person = gettext("Before and after: scam or not?")

        context = browser.new_context(viewport=DESKTOP, locale=language)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": desk.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(report_url)
        check = page.locator("section").filter(has=page.locator("#check-title"))
        expect(check.locator(".reading")).to_have_text(reading)
        expect(check.locator(".interval-d")).to_have_text(interval)
        expect(check).to_contain_text(players)
        expect(check.locator("svg.interval-chart")).to_have_count(2)
        expect(check.locator("line.interval-range.interval-clear")).to_have_count(1)
        context.close()

        phone = browser.new_context(viewport=PHONE, locale=language)
        phone.add_cookies(
            [
                {
                    "name": settings.PLAYER_COOKIE_NAME,
                    "value": player.cookies[settings.PLAYER_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = phone.new_page()
        page.goto(result_url)
        mine = page.locator("section.discernment")
        expect(mine.get_by_role("heading", level=2)).to_have_text(one_person)
        expect(mine.locator(".check-figures")).to_have_text(right)
        expect(mine.locator(".no-verdict")).to_have_text(no_verdict)
        expect(mine.locator(".reading")).to_have_count(0)
        assert "d′" not in page.content()
        phone.close()
