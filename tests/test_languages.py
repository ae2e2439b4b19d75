"""Three languages for players: the first visit follows the browser, the switcher's choice is
remembered, and the catalogue lists the scenarios of the page's language only."""

import re
import uuid

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import build_scenario
from tests.test_play import answer, start

pytestmark = pytest.mark.django_db

LEAD = {
    "kk": "Әр сценарий Қазақстанда құжатталған оқиғалар мен схемаларға сүйенеді.",
    "ru": "Каждый сценарий построен на случаях и схемах, задокументированных в Казахстане.",
    "en": "Each scenario is built on cases and schemes documented in Kazakhstan.",
}


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]*)"', html).group(1)


def switcher_next(html: str) -> str:
    form = re.search(r'<form class="language-switcher".*?</form>', html, re.S).group(0)
    return re.search(r'name="next" value="([^"]*)"', form).group(1)


@pytest.mark.parametrize(
    ("accept", "language"),
    [("ru", "ru"), ("ru-RU,ru;q=0.9,en;q=0.8", "ru"), ("kk-KZ,kk;q=0.9", "kk"), ("de", "en")],
)
def test_a_first_visit_follows_the_browsers_accept_language(client, accept, language):
    html = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert html_lang(html) == language
    assert LEAD[language] in html


def test_the_language_cookie_wins_over_accept_language_afterwards(client):
    first = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert html_lang(first) == "ru"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    later = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert html_lang(later) == "kk" and LEAD["kk"] in later


def test_the_switcher_sets_the_cookie_and_returns_to_the_same_page(client):
    """On a scenario's page it comes back through the story-in-your-language address, which
    keeps the page when the story is not written in the language chosen."""
    scenario = build_scenario(language="en")
    page = reverse("scenario_start", args=[scenario.slug, "en"])
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    back = f"/s/{scenario.slug}/?from=en"
    assert switcher_next(html) == back

    response = client.post(reverse("set_language"), {"language": "ru", "next": back})
    assert response.status_code == 302 and response.url == back
    assert client.get(back).url == page
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ru"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE and cookie["httponly"]
    again = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html_lang(again) == "ru" and "Как это работает" in again


def test_the_switcher_names_each_language_in_itself_and_marks_the_current_one(client):
    html = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    form = re.search(r'<form class="language-switcher".*?</form>', html, re.S).group(0)
    assert 'action="/i18n/setlang/" method="post"' in form
    assert 'aria-labelledby="language-switcher-label"' in form and "Язык сайта" in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert (
        '<span class="language language-current" lang="ru" aria-current="true">Русский</span>'
        in (form)
    )
    buttons = re.findall(r'<button type="submit" class="language" name="language" [^>]*>', form)
    assert [re.search(r'value="(\w+)"', b).group(1) for b in buttons] == ["kk", "en"]
    assert ">Қазақша</button>" in form and ">English</button>" in form


def test_the_switcher_refuses_to_send_a_reader_to_another_site(client):
    response = client.post(
        reverse("set_language"), {"language": "kk", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"


def test_the_catalogue_lists_only_the_scenarios_of_the_page_language(client):
    build_scenario(slug="phone", language="kk", title="Арзан телефон")
    build_scenario(slug="phone", language="ru", title="Дешёвый телефон")
    build_scenario(slug="phone", language="en", title="A cheap phone")
    build_scenario(slug="only-russian", language="ru", title="Только по-русски")
    build_scenario(slug="kk-draft", language="kk", title="Дайын емес", published=False)
    pages = {
        language: client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for language in ("kk", "ru", "en")
    }
    titles = ["Арзан телефон", "Дешёвый телефон", "A cheap phone", "Только по-русски"]
    shown = {language: [t for t in titles if t in html] for language, html in pages.items()}
    assert shown == {
        "kk": ["Арзан телефон"],
        "ru": ["Дешёвый телефон", "Только по-русски"],
        "en": ["A cheap phone"],
    }
    assert "Дайын емес" not in pages["kk"]


def test_a_catalogue_with_nothing_in_its_language_says_so(client):
    build_scenario(language="en")
    html = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Бұл тілде әзірге бірде-бір сценарий жоқ." in html
    assert 'class="cards"' not in html


def test_the_start_page_offers_the_same_scenario_in_its_other_published_languages(client):
    build_scenario(slug="phone", language="kk", title="Арзан телефон")
    build_scenario(slug="phone", language="ru", title="Дешёвый телефон")
    build_scenario(slug="phone", language="en", title="A cheap phone", published=False)
    build_scenario(slug="other", language="en", title="Another story")
    html = client.get("/s/phone/kk/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    also = re.search(r'<p class="also-in">(.*?)</p>', html, re.S).group(1)
    assert "Басқа тілдерде де бар:" in also
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+">([^<]+)</a>', also)
    assert links == [("/s/phone/ru/", "ru", "Русский")]

    lonely = client.get("/s/other/en/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "also-in" not in lonely


def test_a_cached_play_page_sends_each_player_back_to_their_own_attempt(client):
    """The play page is rendered once for every player at the same step; the switcher's
    "next" is each player's own page, never the first player's."""
    scenario = build_scenario()
    first = start(client, scenario)
    other = Client()
    second = start(other, scenario)
    assert first != second
    for browser, attempt in ((client, first), (other, second)):
        html = browser.get(reverse("play", args=[attempt.id])).content.decode()
        assert switcher_next(html) == reverse("play", args=[attempt.id])
    answer(client, first, "Ask to meet first (0)")
    html = client.get(reverse("play", args=[first.id]) + "?a=1&b=<i>").content.decode()
    assert switcher_next(html) == reverse("play", args=[first.id]) + "?a=1&amp;b=%3Ci%3E"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("kk", "Мұндай бет жоқ"), ("ru", "Такой страницы нет"), ("en", "There is no such page")],
)
def test_a_missing_page_speaks_the_readers_language(client, settings, language, heading):
    settings.DEBUG = False
    response = client.get(reverse("play", args=[uuid.uuid4()]), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 404
    assert html_lang(html) == language and heading in html
    assert 'class="language-switcher"' in html


def test_a_form_sent_without_its_token_gets_a_page_in_the_readers_language(settings):
    settings.DEBUG = False
    scenario = build_scenario()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        reverse("scenario_start", args=[scenario.slug, "en"]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert html_lang(html) == "ru" and "Форма не отправлена" in html
    assert not scenario.attempts.exists()


def test_the_server_error_page_needs_no_request_and_is_translated():
    with translation.override("kk"):
        html = render_to_string("500.html")
    assert html_lang(html) == "kk" and "Сайтта қате шықты" in html
    assert "language-switcher" not in html  # no request: no form that could not be sent


def test_the_switcher_drawn_once_per_language_carries_each_readers_own_token_and_page():
    """trainer/web/languages.py keeps one switcher per language with slots: each reader's
    form gets their own CSRF token and their own page back, escaped, and the language it
    is drawn in marks that language."""
    scenario = build_scenario(language="en")

    def switcher(client: Client, path: str, language: str) -> str:
        html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return re.search(r'<form class="language-switcher".*?</form>', html, re.S).group(0)

    def token(form: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', form).group(1)

    first, second = Client(), Client()
    catalogue = reverse("catalogue") + "?a=1&b=<2>"
    start_page = reverse("scenario_start", args=[scenario.slug, "en"])
    mine, theirs = switcher(first, catalogue, "en"), switcher(second, start_page, "en")
    assert token(mine) != token(theirs)
    assert "saq-slot" not in mine + theirs
    assert 'name="next" value="/?a=1&amp;b=%3C2%3E"' in mine  # escaped as the template did
    assert f'name="next" value="/s/{scenario.slug}/?from=en"' in theirs
    # The token is the one the reader's CSRF cookie stands for: the switch goes through.
    assert first.post(reverse("set_language"), {"language": "kk", "next": "/"}).status_code == 302
    russian = switcher(Client(), reverse("catalogue"), "ru")
    assert 'class="language language-current" lang="ru"' in russian
    assert 'class="language language-current" lang="en"' in mine
