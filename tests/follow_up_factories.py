"""Modules with a check pool of chosen red-flag types, players' check answers, and return
codes read off the player's page, for the follow-up tests."""

import re

from django.db.models import Q
from django.test import Client
from django.urls import reverse

from scenarios.models import CheckItem, Module, ModuleScenario, Scenario
from tests.factories import flag_type
from trainer.models import CheckAnswer, ModuleRun, TrainingSession

WORDS = re.compile(r'<ol class="return-code-words">(.*?)</ol>', re.S)


def pool_module(slug: str, scenarios: list[Scenario], pool: dict[str, str | None]) -> Module:
    """A module of the scenarios with a check pool: item key -> red-flag code of a scam, or
    None for a genuine message."""
    module = Module.objects.create(slug=slug, language="en", title=f"Module {slug}")
    for order, scenario in enumerate(scenarios):
        ModuleScenario.objects.create(module=module, scenario=scenario, order=order)
    for order, (key, code) in enumerate(pool.items()):
        CheckItem.objects.create(
            module=module,
            key=key,
            order=order,
            channel="sms",
            text=f"Check message {key}",
            legitimate=code is None,
            flag=flag_type(code) if code else None,
        )
    return module


def check_answers(
    session: TrainingSession, player_key: str, answers: dict[str, dict[str, bool]]
) -> ModuleRun:
    """Answer checks of the player's run of the session's module: phase -> item key -> said
    it is a scam. The run is the one made when they joined (or a new one); the phases given
    get exactly these items. Written directly: the check pages are tested elsewhere. A
    module session opens its scenarios only once the check before is answered."""
    items = {item.key: item for item in session.module.check_items.all()}
    run = ModuleRun.objects.filter(session=session, player_key=player_key).first()
    if run is None:
        run = ModuleRun.objects.create(
            player_key=player_key, module=session.module, session=session
        )
    for phase, said in answers.items():
        run.check_answers.filter(phase=phase).delete()
        draw(run, phase, [items[key] for key in said])
    for phase, said in answers.items():
        for key, said_scam in said.items():
            CheckAnswer.objects.create(run=run, phase=phase, item=items[key], said_scam=said_scam)
    return run


def draw(run: ModuleRun, phase: str, items: list[CheckItem]) -> None:
    """Make these the items drawn for one check of the run, in this order (an item drawn
    for the other check is taken from it)."""
    run.drawn_items.filter(Q(phase=phase) | Q(item__in=items)).delete()
    for order, item in enumerate(items):
        run.drawn_items.create(phase=phase, order=order, item=item)


def player_key_of(client: Client) -> str:
    return client.cookies["saq_player"].value.split(":")[0]


def session_page(client: Client, session: TrainingSession) -> str:
    response = client.get(reverse("join_session", args=[session.code]))
    assert response.status_code == 200
    return response.content.decode()


def return_code_words(html: str) -> list[str]:
    """The words of the return code on a player's page; [] when none is shown."""
    found = WORDS.search(html)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def shown_return_code(client: Client, session: TrainingSession) -> list[str]:
    """The words of the player's return code, as their page shows them once. A player who
    finished by answers written straight into the database (not through the POST that
    makes the code) presses the page's button first, as a player who finished before
    codes were made that way does."""
    html = session_page(client, session)
    if "Show my return code" in html:
        client.post(reverse("return_code_show", args=[session.code]))
        html = session_page(client, session)
    return return_code_words(html)


def join_follow_up(client: Client, session: TrainingSession, nickname: str, code: str = ""):
    client.get(reverse("join_session", args=[session.code]))
    return client.post(
        reverse("join_session", args=[session.code]),
        {"nickname": nickname, "return_code": code},
    )
