"""A published step's page is rendered once for every player who reaches it
(trainer/play/page_cache.py): nothing of one player may reach another's page, and nothing
an author wrote may be taken for a per-request slot."""

import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape

from scenarios.content import clear_cache, version_content
from scenarios.models import Message, ModuleScenario, Step
from tests.factories import build_module, build_scenario
from tests.session_factories import join, new_session, start_scenario
from trainer.models import Attempt
from trainer.play import page_cache
from trainer.play.page_cache import SHARED_TEMPLATES, StepPage, shared_render
from trainer.play.services import attempt_start
from trainer.runs.services import module_run_new
from trainer.web.player import remember_player

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def as_player(key: str) -> Client:
    """A browser holding the player cookie of `key`."""
    client, response = Client(), HttpResponse()
    remember_player(response, key)
    client.cookies[settings.PLAYER_COOKIE_NAME] = response.cookies[
        settings.PLAYER_COOKIE_NAME
    ].value
    return client


def answer_first_step(client: Client, attempt: Attempt) -> None:
    step = attempt.current_step
    marked = step.messages.get(key="m0-flag").id
    choice = step.choices.get(order=0).id
    url = reverse("play", args=[attempt.id])
    assert client.post(url, {"position": 0, "choice": choice, "mark": marked}).status_code == 303


def alone_and_in_a_run(answered: bool):
    """Two players at the same step of one version: Aigerim in a module run, Bolat alone.
    Each attempt holds a score of its own, which no page shows."""
    module = build_module(scenarios=0)
    scenario = build_scenario(scenes=3)
    ModuleScenario.objects.create(module=module, scenario=scenario, order=0)
    version_id = scenario.current_version_id
    run = module_run_new(player_key="aigerim-key", module_id=module.id)
    players = []
    for key, run_id, score in (("aigerim-key", run.id, 41), ("bolat-key", None, 58)):
        attempt_id = attempt_start(
            player_key=key,
            scenario_id=scenario.id,
            version_id=version_id,
            module_run_id=run_id,
        )
        Attempt.objects.filter(pk=attempt_id).update(score=score)
        client = as_player(key)
        attempt = Attempt.objects.get(pk=attempt_id)
        if answered:
            answer_first_step(client, attempt)
        secrets = [key, str(attempt_id), attempt_id.hex] + ([str(run_id)] if run_id else [])
        players.append((client, attempt, secrets))
    return players


def in_a_session(answered: bool):
    """Two players of one session at the same step, each known by a nickname."""
    session = new_session()
    players = []
    for nickname in ("Aigerim", "Bolat"):
        client = Client()
        join(client, session, nickname)
        attempt = start_scenario(client, session)
        if answered:
            answer_first_step(client, attempt)
        players.append((client, attempt, [nickname, attempt.player_key, str(attempt.id)]))
    return players


PLACES = {
    "first step, alone and in a run": lambda: alone_and_in_a_run(answered=False),
    "after a choice, alone and in a run": lambda: alone_and_in_a_run(answered=True),
    "first step of a session": lambda: in_a_session(answered=False),
    "after a choice in a session": lambda: in_a_session(answered=True),
}


def page_of(client: Client, attempt: Attempt) -> str:
    response = client.get(reverse("play", args=[attempt.id]))
    assert response.status_code == 200
    return response.content.decode()


def without_token(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


@pytest.mark.parametrize("place", PLACES)
def test_two_players_at_one_step_see_nothing_of_each_other(place):
    """Whichever player fills the cache, each gets the same page, and neither page holds
    anything of the other: attempt, run, key, nickname, CSRF token or address."""
    (a, attempt_a, secrets_a), (b, attempt_b, secrets_b) = PLACES[place]()
    pages = {}
    for order in ((a, attempt_a), (b, attempt_b)), ((b, attempt_b), (a, attempt_a)):
        clear_cache()
        for client, attempt in order:
            pages.setdefault(client, []).append(page_of(client, attempt))
        assert len(page_cache._pages._items) == 1  # the second page came from the cache
    tokens = {client: [TOKEN.search(html)[1] for html in pages[client]] for client in (a, b)}
    for client, attempt, others in (
        (a, attempt_a, [*secrets_b, *tokens[b], b.cookies["csrftoken"].value]),
        (b, attempt_b, [*secrets_a, *tokens[a], a.cookies["csrftoken"].value]),
    ):
        first, second = pages[client]
        assert without_token(first) == without_token(second)
        for html in (first, second):
            assert reverse("play", args=[attempt.id]) in html  # its own address
            assert "Send 50% to my card now" in html
            for secret in others:
                assert secret not in html


class ReadsWhatItDoesNotHold(Exception):
    pass


class _Unprintable(str):
    """Django writes string_if_invalid % name for a variable it cannot find: this raises."""

    def __mod__(self, name):
        raise ReadsWhatItDoesNotHold(name)


def strict_templates(**locmem):
    """The project's templates, failing on any variable the context does not hold, with
    `locmem` templates beside them."""
    engine = settings.TEMPLATES[0]
    loaders = [
        ("django.template.loaders.locmem.Loader", locmem),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    options = engine["OPTIONS"] | {"string_if_invalid": _Unprintable("%s"), "loaders": loaders}
    return override_settings(TEMPLATES=[engine | {"APP_DIRS": False, "OPTIONS": options}])


def step_pages() -> list[StepPage]:
    """Every kind of step page: first step, with feedback, in a session, a draft's, and one
    drawn with cards (a link, a payment request) after a choice that said something."""
    published = version_content(build_scenario().current_version_id)
    rich = version_content(build_scenario(slug="rich", rich=True).current_version_id)
    draft = version_content(build_scenario(slug="draft", published=False).versions.get().pk)
    second = published.steps["scene-1"]
    choice = published.start.choices[0]
    return [
        StepPage(published, published.start, 0, None, None),
        StepPage(published, second, 1, choice, None),
        StepPage(published, second, 1, choice, "K7P2QX"),
        StepPage(draft, draft.start, 0, None, None),
        StepPage(rich, rich.steps["scene-1"], 1, rich.start.choices[0], None),
    ]


@pytest.mark.parametrize("template_name", SHARED_TEMPLATES)
def test_every_shared_template_reads_only_what_the_step_page_holds(template_name):
    with strict_templates():
        for page in step_pages():
            html = shared_render(template_name, page)
            assert escape(page.step.messages[0].text) in html
            assert html.count("<saq-slot csrf-token>") == 2  # the step's form, the switcher
            assert html.count("<saq-slot address>") == 1
            assert html.count("<saq-slot notices>") == 1
            assert ("Preview of a draft" in html) is (not page.content.published)
            assert ("Session K7P2QX" in html) is (page.session_code is not None)
            if page.last_choice and page.last_choice.says:
                assert escape(page.last_choice.says) in html and "shop-1.example" in html


def test_a_shared_template_that_reads_the_players_attempt_fails_the_strict_render(monkeypatch):
    """The line that would put one player's link into everyone's page."""
    leaky = (
        '{% extends "play/play.html" %}{% block content %}{{ block.super }}'
        "<a href=\"{% url 'module_run' attempt.module_run_id %}\">Continue</a>{% endblock %}"
    )
    monkeypatch.setattr(page_cache, "SHARED_TEMPLATES", (*SHARED_TEMPLATES, "leaky.html"))
    with strict_templates(**{"leaky.html": leaky}):
        page = step_pages()[0]
        assert "Send 50% to my card now" in shared_render("play/play.html", page)
        with pytest.raises(ReadsWhatItDoesNotHold, match="attempt.module_run_id"):
            shared_render("leaky.html", page)


def test_author_text_holding_slot_markers_is_shown_as_written(client):
    """Markers of this version and of the one before it, typed by an author, are text:
    the reader's token and address go only where the page has its slots."""
    markers = (
        "csrf-token-marker-1d0b6e /page-address-marker-5c2e91/ "
        "<saq-slot csrf-token> <saq-slot address> <saq-slot notices>"
    )
    scenario = build_scenario()
    Step.objects.filter(version__scenario=scenario, key="scene-0").update(title=markers)
    Message.objects.filter(step__version__scenario=scenario, key="m0-hello").update(text=markers)
    response = client.post(reverse("scenario_start", args=[scenario.slug, "en"]))
    address = response.url
    for _ in range(2):  # rendered, then from the cache
        html = client.get(address).content.decode()
        token = TOKEN.search(html)[1]
        assert html.count(escape(markers)) == 2  # the step's title and the message
        assert html.count(token) == 2  # the step's form and the language switcher
        assert html.count(address) == 1  # the switcher's way back
        assert "<saq-slot" not in html


def test_a_notice_is_filled_in_for_its_request_only():
    """A refused answer's notice shows on the refused player's next page, once, and on no
    one else's, though both pages come from the same cached render."""
    (a, attempt_a, _), (b, attempt_b, _) = alone_and_in_a_run(answered=False)
    refusal = "That choice is not part of this step."
    page_of(a, attempt_a)
    url = reverse("play", args=[attempt_a.id])
    assert a.post(url, {"position": 0, "choice": -1}).status_code == 303
    assert refusal not in page_of(b, attempt_b)
    assert refusal in page_of(a, attempt_a)
    assert refusal not in page_of(a, attempt_a)
    assert len(page_cache._pages._items) == 1
