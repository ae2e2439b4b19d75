"""Organisations, facilitators, sessions and their players, for the session tests.

Named personas, as the access tests use them: alice facilitates at School 1, bob at
Company 2 (an outsider to School 1), carol is an author (staff, no facilitator's role).
"""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from scenarios.models import CheckItem, Module, ModuleScenario, Scenario
from tests import factories
from tests.factories import build_scenario, flag_type
from trainer.models import (
    Attempt,
    Membership,
    ModuleRun,
    Organisation,
    Role,
    SessionPlayer,
    TrainingSession,
)
from trainer.sessions.services import session_create

PASSWORD = "correct horse battery staple"


def organisation(name: str = "School 1", slug: str = "school-1") -> Organisation:
    found, _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": name})
    return found


def user(username: str, *, staff: bool = False, superuser: bool = False, password=None):
    """An account; with no password unless asked (hashing one takes half a second, and
    most tests log in with force_login)."""
    User = get_user_model()
    account = User.objects.filter(username=username).first()
    if account is None:
        account = User.objects.create_user(
            username, password=password, is_staff=staff or superuser, is_superuser=superuser
        )
    return account


def facilitator(username: str = "alice", org: Organisation | None = None, *, password=None):
    account = user(username, staff=True, password=password)
    Membership.objects.get_or_create(
        user=account, organisation=org or organisation(), defaults={"role": Role.FACILITATOR}
    )
    return account


def personas() -> dict:
    """alice at School 1, bob at Company 2, carol an author with no facilitator's role."""
    school = organisation()
    company = organisation("Company 2", "company-2")
    return {
        "alice": facilitator("alice", school),
        "bob": facilitator("bob", company),
        "carol": user("carol", staff=True),
        "school": school,
        "company": company,
    }


def new_session(
    *,
    org: Organisation | None = None,
    scenarios: list[Scenario] | None = None,
    module: Module | None = None,
    title: str = "Class 9B",
    by=None,
) -> TrainingSession:
    if scenarios is None:
        scenarios = [build_scenario(slug="phone-seller", scenes=3)]
    return session_create(
        organisation=org or organisation(),
        created_by=by,
        title=title,
        language=scenarios[0].language,
        scenarios=scenarios,
        module=module,
    )


def build_module(scenarios: list[Scenario], *, slug: str = "basics", checks: int = 4) -> Module:
    """A module of the scenarios in order, with a check pool: half scams, half genuine."""
    module = Module.objects.create(slug=slug, language="en", title="The basics")
    for order, scenario in enumerate(scenarios):
        ModuleScenario.objects.create(module=module, scenario=scenario, order=order)
    for i in range(checks):
        legitimate = i % 2 == 1
        CheckItem.objects.create(
            module=module,
            key=f"item-{i}",
            order=i,
            channel="sms",
            text=f"Check message {i}",
            legitimate=legitimate,
            flag=None if legitimate else flag_type(),
        )
    return module


def module_session(*, title: str = "Class 9B", **module) -> TrainingSession:
    """A session made from a module built as tests.factories.build_module builds the
    built-in one (its arguments: scenarios, scenes, scams, genuine, slug)."""
    built = factories.build_module(**module)
    scenarios = [entry.scenario for entry in built.entries.order_by("order")]
    return new_session(scenarios=scenarios, module=built, title=title)


def join(client: Client, session: TrainingSession, nickname: str):
    """Join through the link, as a phone that scanned the QR code does."""
    client.get(reverse("join_session", args=[session.code]))
    return client.post(reverse("join_session", args=[session.code]), {"nickname": nickname})


def start_scenario(client: Client, session: TrainingSession, number: int = 1) -> Attempt:
    response = client.post(reverse("session_play", args=[session.code, number]))
    assert response.status_code == 303, response
    return Attempt.objects.get(pk=response.url.split("/")[2])


def play(
    client: Client, attempt: Attempt, *, choice_order: int = 0, mark_flags: bool | None = True
):
    """Answer every step with the choice at `choice_order` (0: the safe one, going on),
    marking the red flags (or the innocent messages, or with None nothing) until the
    attempt ends."""
    while True:
        attempt.refresh_from_db()
        if attempt.is_finished:
            return attempt
        step = attempt.current_step
        marks = [
            m.id
            for m in step.messages.all()
            if mark_flags is not None and (m.flag_id is not None) == mark_flags
        ]
        client.post(
            reverse("play", args=[attempt.id]),
            {
                "position": attempt.position,
                "choice": step.choices.get(order=choice_order).id,
                "mark": marks,
            },
        )


def run_of(session: TrainingSession, nickname: str) -> ModuleRun:
    """The module run a player of the session was given when they joined."""
    player = SessionPlayer.objects.get(session=session, nickname=nickname)
    return ModuleRun.objects.get(session=session, player_key=player.player_key)


def take_check(client: Client, run: ModuleRun, phase: str, said_scam=None):
    """Answer one check of the run: every item judged right, or as said_scam(item) says."""
    ids = run.items_drawn(phase)
    items = CheckItem.objects.in_bulk(ids)
    judge = said_scam or (lambda item: not item.legitimate)
    form = {f"item-{i}": "scam" if judge(items[i]) else "genuine" for i in ids}
    return client.post(reverse("module_check", args=[run.id, phase]), form)
