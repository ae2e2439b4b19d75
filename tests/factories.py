"""Scenarios built straight in the database, of any size, for view and query-count tests."""

from django.utils import timezone

from scenarios.models import (
    DEFAULT_CHECK_SIZE,
    CheckItem,
    Choice,
    Ending,
    Message,
    Module,
    ModuleScenario,
    RedFlagType,
    Scenario,
    ScenarioVersion,
    Step,
    Verdict,
)

FLAG_NAMES = {
    "prepayment": {"en": "Demand to pay in advance", "ru": "Требование предоплаты"},
    "urgency": {"en": "Pressure and urgency", "ru": "Давление и спешка"},
}


def flag_type(code: str = "prepayment") -> RedFlagType:
    flag, _ = RedFlagType.objects.get_or_create(
        code=code,
        defaults={
            "name": FLAG_NAMES.get(code, {"en": code}),
            "advice": {"en": "Pay only on delivery."},
        },
    )
    return flag


def build_scenario(
    *,
    slug: str = "phone-seller",
    language: str = "en",
    scenes: int = 3,
    title: str = "A bargain phone",
    legitimate: bool = False,
    published: bool = True,
    channel: str = "social_dm",
    flag: str = "prepayment",
    rich: bool = False,
) -> Scenario:
    """A chain of scenes. On each: one red flag (of type `flag`) and two innocent messages
    (none on a legitimate scenario); the safe choice goes on, the harmful one ends scammed.
    The last scene's safe choice ends safe. `rich` adds to each scene a link whose address
    carries a red flag of the same type (its words are innocent) and an innocent payment
    request; the safe choice then says something."""
    scenario, _ = Scenario.objects.get_or_create(slug=slug, language=language)
    number = scenario.versions.count() + 1
    version = ScenarioVersion.objects.create(
        scenario=scenario,
        number=number,
        title=title,
        summary="A seller offers a phone far below the shop price.",
        channel=channel,
        legitimate=legitimate,
        difficulty=1,
        based_on="Nur-Sultan: 15 victims, about 3 million tenge.",
        basis="case",
        minutes=scenes,
        published_at=timezone.now() if published else None,
    )
    flag = None if legitimate else flag_type(flag)
    scene_steps = [
        Step(
            version=version,
            key=f"scene-{i}",
            order=i,
            is_start=i == 0,
            title=f"Scene {i}",
            sender_name="phone_shop_astana",
        )
        for i in range(scenes)
    ]
    scammed = Step(
        version=version,
        key="scammed",
        order=scenes,
        ending=Ending.SCAMMED,
        title="The money is gone",
        text="The seller blocked you.",
        loss_kzt=75000,
    )
    safe = Step(
        version=version,
        key="safe",
        order=scenes + 1,
        ending=Ending.SAFE,
        title="You kept your money",
        text="You walked away.",
    )
    Step.objects.bulk_create([*scene_steps, scammed, safe])
    messages, choices = [], []
    for i, step in enumerate(scene_steps):
        messages += [
            Message(
                step=step,
                key=f"m{i}-flag",
                order=0,
                text=f"Send 50% to my card now ({i})",
                flag=flag,
                explanation="Money sent in advance is gone." if flag else "",
            ),
            Message(step=step, key=f"m{i}-hello", order=1, text=f"Hello! Thanks for asking ({i})"),
            Message(step=step, key=f"m{i}-photo", order=2, text=f"Here is a photo ({i})"),
        ]
        if rich:
            messages += [
                Message(
                    step=step,
                    key=f"m{i}-link",
                    order=3,
                    kind="link",
                    text=f"Order here ({i})",
                    details={"url": f"https://shop-{i}.example/pay", "title": f"Shop ({i})"},
                    flag=flag,
                    flag_part="link" if flag else "",
                    explanation="The address is not the shop's." if flag else "",
                ),
                Message(
                    step=step,
                    key=f"m{i}-pay",
                    order=4,
                    kind="payment",
                    details={"amount": "75\u00a0000\u00a0₸", "to": "0000 0000 0000 0001"},
                ),
            ]
        after = scene_steps[i + 1] if i + 1 < scenes else safe
        choices += [
            Choice(
                step=step,
                order=0,
                text=f"Ask to meet first ({i})",
                verdict=Verdict.SAFE,
                feedback="A real seller agrees to meet.",
                says=f"Can we meet first? ({i})" if rich else "",
                next_step=after,
            ),
            Choice(
                step=step,
                order=1,
                text=f"Transfer 75 000 tenge ({i})",
                verdict=Verdict.HARMFUL,
                feedback="You paid a stranger.",
                next_step=scammed,
            ),
        ]
    Message.objects.bulk_create(messages)
    Choice.objects.bulk_create(choices)
    if published:
        scenario.current_version = version
        scenario.save(update_fields=["current_version"])
    return scenario


def build_module(
    *,
    slug: str = "basics",
    language: str = "en",
    title: str = "Online fraud: the basics",
    scenarios: int = 2,
    scenes: int = 1,
    scams: int = 2,
    genuine: int = 2,
    check_size: int = DEFAULT_CHECK_SIZE,
) -> Module:
    """A module of fresh scenarios (`scenes` long each, built as build_scenario does) and a
    pool of check items: `scams` SMS with the prepayment red flag, `genuine` courier chats."""
    module = Module.objects.create(
        slug=slug,
        language=language,
        title=title,
        summary="Two cases and how to spot them.",
        check_size=check_size,
    )
    for order in range(scenarios):
        scenario = build_scenario(
            slug=f"{slug}-{order}", language=language, scenes=scenes, title=f"Case {order}"
        )
        ModuleScenario.objects.create(module=module, scenario=scenario, order=order)
    flag = flag_type()
    CheckItem.objects.bulk_create(
        [
            CheckItem(
                module=module,
                key=f"scam-{i}",
                order=i,
                channel="sms",
                sender="Bank security",
                text=f"Pay 5 000 tenge in advance to unblock your card ({i})",
                legitimate=False,
                flag=flag,
            )
            for i in range(scams)
        ]
        + [
            CheckItem(
                module=module,
                key=f"genuine-{i}",
                order=scams + i,
                channel="messenger",
                sender="Courier",
                text=f"Your order comes at 14:00; pay after you check it ({i})",
                legitimate=True,
            )
            for i in range(genuine)
        ]
    )
    return module
