"""The content style guide (docs/content-style.md), where a test can check it, held against
the built-in content in content/: choices that say what the player does and never why;
careful choices in a genuine story never called risky; cards, phone numbers and addresses
in the fictitious forms of docs/scenario-pack.md; the documented cases drawn with the kinds
of message their channel shows; the same kinds in every language."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

CONTENT = Path(settings.BASE_DIR) / "content"
REAL_CASES = ["instagram-phone-seller", "multiply-money", "found-documents-loan"]
NB = "\u00a0"

# A reason given inside a choice: a colon that does not open quoted words, and the words
# that start a justification in each language.
REASONS = {
    "en": r":(?!\s*[“\"])|\bbecause\b|\bsince\b|\bso that\b|\bso (?:you|the|it)\b"
    r"|\bjust to\b|\bafter all\b|\bit is only\b",
    "ru": r":(?!\s*[«\"])|потому что|так как|\bведь\b|чтобы|\b(?:это|он|она|они) же\b",
    # "деп" after a wish ("...кетпесін деп": so that it is not lost), not after what is said.
    "kk": r":(?!\s*[«\"])|өйткені|себебі|\bғой\b|\bқой\b|\w(?:сын|сін|йын|йін) деп\b",
}
# Going in person to an official place, or to the bank through its own number: in a
# genuine story this is careful, perhaps more than needed, never risky.
CAREFUL = {
    "en": r"public service centre|police (?:station|department)|bank branch"
    r"|number on the back of your card",
    "ru": r"ЦОН|отделени[ея] (?:банка|полиции)|отдел полиции|номер на обороте карты",
    "kk": r"халыққа қызмет көрсету орталығ|ХҚКО|банк бөлімшесі|полиция бөлім"
    r"|картаның артындағы нөмір",
}
CARD = re.compile(r"\d{4}[ \u00a0\u202f]\d{4}[ \u00a0\u202f]\d{4}[ \u00a0\u202f]\d{4}")
PHONE = re.compile(r"\+7[ \u00a0\u202f(]*\d{3}[^\"\n]{0,12}")


def scenarios() -> list[dict]:
    found = []
    for path in sorted(CONTENT.glob("*.json")):
        found += json.loads(path.read_text(encoding="utf-8")).get("scenarios", [])
    return found


def texts(value) -> list[str]:
    """Every string in a piece of a pack."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return []


def _messages(scenario: dict) -> dict[str, dict]:
    return {m["key"]: m for step in scenario["steps"] for m in step.get("messages", ())}


def test_a_safe_choice_never_says_why_it_is_right():
    """In every built-in story: a safe choice that argues for itself gives the answer away."""
    found = [
        (scenario["slug"], scenario["language"], choice["text"])
        for scenario in scenarios()
        for step in scenario["steps"]
        for choice in step.get("choices", ())
        if choice["verdict"] == "safe" and re.search(REASONS[scenario["language"]], choice["text"])
    ]
    assert found == []


def test_no_choice_in_the_documented_cases_says_why():
    """The three cases go further: no choice at all gives its reasons, tempting or careful."""
    found = [
        (scenario["slug"], scenario["language"], choice["text"])
        for scenario in scenarios()
        if scenario["slug"] in REAL_CASES
        for step in scenario["steps"]
        for choice in step.get("choices", ())
        if re.search(REASONS[scenario["language"]], choice["text"])
    ]
    assert found == []


@pytest.mark.parametrize(
    ("language", "text", "gives_a_reason"),
    [
        ("en", "Pay the reservation: it is only a small part", True),
        ("en", "Reply: “Who is this?”", False),
        ("en", "Ask where the shop is, so you can see the phone", True),
        ("ru", "Оплатить бронь: это же небольшая часть цены", True),
        ("ru", "Перевести деньги, чтобы бронь не пропала", True),
        ("ru", "Ответить: «Кто это?»", False),
        ("ru", "Открыть на том же сайте раздел «Как получить документ»", False),
        ("ru", "Отправить ей код: она же сама ошиблась", True),
        ("kk", "Бронь ақысы күйіп кетпесін деп, ақшаны жіберу", True),
        ("kk", "Хабарландыру астына «Бұл менікі!» деп, нөміріңізді жазу", False),
        ("kk", "Куәлікті өзім аламын деп жазу", False),
        ("kk", "Керемет екен деп, қалай қосылуға болатынын сұрау", False),
        ("kk", "Телефоннан айырылып қалмайын деп, бронь жіберу", True),
    ],
)
def test_the_reason_check_tells_a_reason_from_quoted_words(language, text, gives_a_reason):
    assert bool(re.search(REASONS[language], text)) is gives_a_reason


def test_being_careful_in_a_genuine_story_is_never_called_risky():
    found = [
        (scenario["slug"], scenario["language"], choice["text"], choice["verdict"])
        for scenario in scenarios()
        if scenario["legitimate"]
        for step in scenario["steps"]
        for choice in step.get("choices", ())
        if re.search(CAREFUL[scenario["language"]], choice["text"]) and choice["verdict"] != "safe"
    ]
    assert found == []


def test_cards_phones_and_web_addresses_are_fictitious():
    for scenario in scenarios():
        where = f"{scenario['slug']} ({scenario['language']})"
        for text in texts(scenario):
            for card in CARD.findall(text):
                assert card == NB.join(["0000", "0000", "0000", card[-4:]]), (where, card)
            for phone in PHONE.findall(text):
                assert phone.startswith(f"+7{NB}000{NB}000{NB}"), (where, phone)
        for message in _messages(scenario).values():
            if "url" in message:
                assert re.match(r"https://[a-z0-9.-]+\.example(/|$)", message["url"]), where


def test_the_documented_cases_show_the_kinds_their_channels_show():
    cases = {s["slug"]: s for s in scenarios() if s["slug"] in REAL_CASES}
    for slug, scenario in cases.items():
        messages = _messages(scenario).values()
        flagged = {(m.get("kind", "text"), m.get("flag_part")) for m in messages if "flag" in m}
        assert ("payment", "payment") in flagged, slug  # a payment request, its card flagged
        handles = [(s.get("sender") or {}).get("handle") for s in scenario["steps"]]
        handles += [m.get("handle") for m in messages if m.get("kind") == "sender"]
        assert any(handles), slug  # a sender shown with a handle or a number
    for slug in ("instagram-phone-seller", "multiply-money"):
        links = [m for m in _messages(cases[slug]).values() if m.get("kind") == "link"]
        assert any(m.get("flag_part") == "link" for m in links), slug  # its domain flagged


SHARED_FIELDS = ("kind", "flag_part", "url", "to", "amount", "handle", "verified", "file_name")


def test_every_language_of_a_scenario_shows_the_same_kinds_and_cards():
    by_slug: dict[str, list[dict]] = {}
    for scenario in scenarios():
        by_slug.setdefault(scenario["slug"], []).append(scenario)
    for slug, languages in by_slug.items():
        shapes = {
            json.dumps(
                [
                    [(s["key"], s.get("channel"), (s.get("sender") or {}).get("handle"))
                     for s in scenario["steps"]],
                    {key: [m.get(f) for f in SHARED_FIELDS]
                     for key, m in _messages(scenario).items()},
                    [bool(c.get("says")) for s in scenario["steps"] for c in s.get("choices", ())],
                ],
                sort_keys=True,
            )
            for scenario in languages
        }  # fmt: skip
        assert len(shapes) == 1, slug
