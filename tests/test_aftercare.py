"""What to do now in Kazakhstan: the actions fit the case; they come first, right after the
ending, when money or data was lost, and end the debrief otherwise."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from scenarios.models import Scenario
from tests.factories import build_scenario
from tests.test_play import answer, start
from trainer.play import aftercare
from trainer.play.aftercare import aftercare_for

PACK = Path(__file__).parent / "packs" / "found-id-card-kk-ru.json"


def keys(
    *,
    legitimate=False,
    ending="scammed",
    path=(),
    version=None,
    channel="social_dm",
) -> list[str]:
    care = aftercare_for(
        legitimate=legitimate,
        ending=ending,
        path_asks=path,
        version_asks=path if version is None else version,
        channel=channel,
    )
    return [action.key for action in care.actions]


@pytest.mark.parametrize("ending", ["safe", "partly_safe", "scammed"])
def test_a_genuine_scenario_says_it_was_genuine_and_how_to_tell(ending):
    care = aftercare_for(
        legitimate=True, ending=ending, path_asks=(), version_asks=(), channel="social_dm"
    )
    assert [a.key for a in care.actions] == ["how-to-tell", "keep-checking"]
    assert str(care.lead).startswith("This one was genuine")
    assert not care.ordered


def test_card_data_given_on_the_way_to_being_scammed_blocks_the_card_first():
    assert keys(path={"card_data"}, channel="sms") == ["block-card", "police"]


def test_personal_data_given_brings_stop_credit_credit_history_and_the_loan_steps():
    assert keys(path={"personal_data", "nothing"}, channel="classified_ad") == [
        "police",
        "stop-credit",
        "credit-history",
        "loan-in-your-name",
        "report-account",
    ]
    care = aftercare_for(
        legitimate=False,
        ending="scammed",
        path_asks={"personal_data"},
        version_asks={"personal_data"},
        channel="sms",
    )
    stop_credit = str(care.actions[1].text)
    assert stop_credit.startswith("If you gave your ID card details or your IIN, or they were")
    assert "eGov Mobile" in stop_credit and stop_credit.endswith("It does not cover pawnshops.")


def test_an_id_card_shown_in_an_ad_brings_the_loan_steps_and_blocks_no_card():
    """The Shymkent case: the loan needs only the ID card an ad showed (a type that asks for
    personal data); no card is involved."""
    assert keys(path={"personal_data", "nothing"}, channel="classified_ad") == [
        "police",
        "stop-credit",
        "credit-history",
        "loan-in-your-name",
        "report-account",
    ]
    assert keys(ending="safe", path=(), version={"personal_data"}, channel="web_page") == [
        "stop-credit",
        "police",
    ]


def test_a_sign_in_code_given_brings_taking_the_account_back_after_blocking_a_card():
    assert keys(path={"account_access", "nothing"}, channel="messenger") == [
        "secure-account",
        "police",
        "report-account",
    ]
    assert keys(path={"account_access", "card_data"}, channel="messenger")[:2] == [
        "block-card",
        "secure-account",
    ]
    # Nothing given away: nothing to take back.
    assert "secure-account" not in keys(ending="safe", path=(), version={"account_access"})


def test_an_app_installed_cuts_the_phone_off_first_then_blocks_the_card():
    """The program works as long as the phone is on, so cutting it off comes before all."""
    assert keys(path={"app_install", "nothing"}, channel="messenger") == [
        "cut-off-phone",
        "police",
        "report-account",
    ]
    assert keys(path={"app_install", "card_data"}, channel="sms")[:2] == [
        "cut-off-phone",
        "block-card",
    ]
    assert "cut-off-phone" not in keys(ending="safe", path=(), version={"app_install"})


def test_both_kinds_of_data_given_the_most_urgent_first():
    assert keys(path={"card_data", "personal_data"}, channel="messenger") == [
        "block-card",
        "police",
        "stop-credit",
        "credit-history",
        "loan-in-your-name",
        "report-account",
    ]


def test_partly_safe_is_treated_as_something_lost():
    care = aftercare_for(
        legitimate=False,
        ending="partly_safe",
        path_asks={"nothing"},
        version_asks={"nothing", "card_data"},
        channel="social_dm",
    )
    assert [a.key for a in care.actions] == ["police", "report-account"]
    assert care.ordered and str(care.lead).startswith("If this happened to you for real")


def test_a_red_flag_only_on_a_path_not_taken_brings_no_damage_steps():
    """Being scammed by prepayment, on a path where no card data was asked for, does not
    call for blocking the card, though the version asks for card data elsewhere."""
    assert keys(path={"nothing"}, version={"nothing", "card_data"}, channel="web_page") == [
        "police"
    ]


def test_a_safe_ending_brings_prevention_from_what_the_whole_case_is_after():
    care = aftercare_for(
        legitimate=False,
        ending="safe",
        path_asks={"nothing"},
        version_asks={"nothing", "personal_data", "card_data"},
        channel="messenger",
    )
    assert [a.key for a in care.actions] == ["report-account", "stop-credit", "police"]
    assert care.actions[-1].text == aftercare.POLICE_IF_LOST
    assert str(care.actions[1].text).startswith(
        "You can switch on the voluntary refusal of loans (“Stop-credit”) before anything happens"
    )
    assert str(care.lead).startswith("You lost nothing this time")


def test_an_account_is_reported_only_where_there_is_an_account():
    for channel in ["social_dm", "messenger", "classified_ad"]:
        assert "report-account" in keys(path={"nothing"}, channel=channel)
    for channel in ["sms", "phone_call", "email", "web_page"]:
        assert "report-account" not in keys(path={"nothing"}, channel=channel)
        assert "report-account" not in keys(ending="safe", path=(), channel=channel)


def every_text() -> list:
    texts = [aftercare.LEAD_LOST, aftercare.LEAD_SAFE, aftercare.LEAD_GENUINE]
    texts += [aftercare.BLOCK_CARD, aftercare.POLICE, aftercare.POLICE_IF_LOST]
    texts += [aftercare.SECURE_ACCOUNT, aftercare.CUT_OFF_PHONE]
    texts += [aftercare.STOP_CREDIT_AFTER, aftercare.STOP_CREDIT_BEFORE, aftercare.STOP_CREDIT_HOW]
    texts += [aftercare.CREDIT_HISTORY, aftercare.LOAN_IN_YOUR_NAME]
    texts += [aftercare.HOW_TO_TELL, aftercare.KEEP_CHECKING, *aftercare.REPORT_ACCOUNT.values()]
    return texts


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_no_phone_number_but_102_and_every_text_in_the_readers_language(language):
    with translation.override(language):
        texts = [str(text) for text in every_text()]
    with translation.override("en"):
        english = [str(text) for text in every_text()]
    numbers = {number for text in texts for number in re.findall(r"\d(?:[\d\s\-()]*\d)?", text)}
    assert numbers == {"102"}
    if language != "en":
        assert not set(texts) & set(english)


def finish(client, scenario: Scenario, choices: list[str], language: str) -> str:
    attempt = start(client, scenario)
    for choice in choices:
        answer(client, attempt, choice)
    url = reverse("result", args=[attempt.id])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def aftercare_section(html: str) -> str:
    """The section of what to do now: the second of the page, right after the ending, when
    something was lost (its first screen); otherwise the last, ending the debrief."""
    main = re.search(r'<main id="main".*?</main>', html, re.S).group(0)
    sections = re.findall(r"<section .*?</section>", main, re.S)
    assert 'class="ending ' in sections[0]
    if "aftercare-urgent" in main:
        assert 'class="aftercare aftercare-urgent"' in sections[1], "what to do is not first"
        return sections[1]
    assert 'class="aftercare"' in sections[-1], "the debrief does not end with what to do now"
    return sections[-1]


def action_keys(section: str) -> list[str]:
    return re.findall(r'<li class="aftercare-([\w-]+)">', section)


@pytest.mark.django_db
def test_a_scammed_result_page_starts_with_what_to_do_in_the_next_hour(client):
    """Scammed on the phone seller (prepayment, social network): the police, then reporting
    the account, as what to do in the next hour: right after the ending, before the score,
    the red flags and the real case."""
    scenario = build_scenario(scenes=2)
    html = finish(client, scenario, ["Transfer 75 000 tenge (0)"], "en")
    section = aftercare_section(html)
    assert "In the next hour" in section and "What to do now in Kazakhstan" in section
    assert action_keys(section) == ["police", "report-account"]
    assert "<ol " in section
    assert html.index('id="ending-title"') < html.index('id="aftercare-title"')
    assert html.index('id="aftercare-title"') < html.index('id="score-title"')
    assert html.index('id="aftercare-title"') < html.index('id="case-title"')


@pytest.mark.django_db
def test_what_to_do_now_is_shown_in_russian_and_fits_the_data_given(client):
    call_command("import_scenarios", str(PACK), stdout=StringIO())
    scenario = Scenario.objects.get(slug="found-id-card", language="ru")
    html = finish(client, scenario, ["Отправить ИИН и фото", "Отправить номер карты и код"], "ru")
    section = aftercare_section(html)
    assert "В ближайший час" in section and "Что можно сделать сейчас в Казахстане" in section
    assert action_keys(section) == [
        "block-card",
        "police",
        "stop-credit",
        "credit-history",
        "loan-in-your-name",
        "report-account",
    ]
    assert "по номеру, напечатанному на самой карте" in section
    assert "через e-Otinish в АРРФР" in section
    assert "150\u00a0000\u00a0₸" in html


@pytest.mark.django_db
def test_a_player_who_stayed_safe_gets_prevention_in_kazakh(client):
    call_command("import_scenarios", str(PACK), stdout=StringIO())
    scenario = Scenario.objects.get(slug="found-id-card", language="kk")
    html = finish(client, scenario, ["Ештеңе жібермей, хат алмасуды тоқтату"], "kk")
    section = aftercare_section(html)
    assert "Қазақстанда қазір не істеуге болады" in section
    assert action_keys(section) == ["report-account", "stop-credit", "police"]
    assert "<ul " in section and "Бұл жолы сіз ештеңе жоғалтпадыңыз." in section


@pytest.mark.django_db
def test_a_genuine_scenario_ends_with_how_to_tell(client):
    scenario = build_scenario(slug="real-shop", legitimate=True, scenes=1)
    html = finish(client, scenario, ["Ask to meet first (0)"], "en")
    section = aftercare_section(html)
    assert action_keys(section) == ["how-to-tell", "keep-checking"]
    assert "This one was genuine: there is nothing to report and nothing to block." in section
    assert "102" not in section
