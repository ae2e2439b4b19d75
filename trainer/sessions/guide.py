"""The facilitator's guide to a module: what its author wrote (the module's `guide` and each
scenario's `discussion` questions, docs/scenario-pack.md) gathered for the guide's page and
its PDF, with the module's red-flag types, which the guide names when it points to the
group's report. Three queries, whatever the number of scenarios."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scenarios.models import CheckItem, Message, Module, ModuleScenario, RedFlagType


@dataclass(frozen=True)
class PlanPart:
    minutes: int
    activity: str


@dataclass(frozen=True)
class Plan:
    parts: tuple[PlanPart, ...]

    @property
    def minutes(self) -> int:
        return sum(part.minutes for part in self.parts)


@dataclass(frozen=True)
class ScenarioTalk:
    """A scenario of the module as the guide shows it: its place, title and questions."""

    number: int
    title: str
    legitimate: bool
    minutes: int
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Guide:
    module: Module
    before: str
    after: str
    school_lesson: Plan
    workplace_session: Plan
    scenarios: tuple[ScenarioTalk, ...]
    red_flag_types: tuple[str, ...]  # names, in the module's language

    @property
    def written(self) -> bool:
        """Whether the module's author wrote a guide (the questions may exist without one)."""
        return bool(self.before or self.after or self.school_lesson.parts)

    @property
    def minutes_to_play(self) -> int:
        return sum(talk.minutes for talk in self.scenarios)


def _plan(parts: list[dict]) -> Plan:
    return Plan(tuple(PlanPart(part["minutes"], part["activity"]) for part in parts))


def guide_of(module: Module) -> Guide:
    entries = (
        ModuleScenario.objects.filter(module=module)
        .select_related("scenario__current_version")
        .order_by("order")
    )
    versions = [entry.scenario.current_version for entry in entries]
    versions = [version for version in versions if version is not None]
    used = Q(pk__in=Message.objects.filter(step__version__in=versions).values("flag"))
    used |= Q(pk__in=CheckItem.objects.in_pool().filter(module=module).values("flag"))
    flag_types = RedFlagType.objects.filter(used).order_by("code")
    written = module.guide or {}
    return Guide(
        module=module,
        before=written.get("before", ""),
        after=written.get("after", ""),
        school_lesson=_plan(written.get("school_lesson", [])),
        workplace_session=_plan(written.get("workplace_session", [])),
        scenarios=tuple(
            ScenarioTalk(
                number=number,
                title=version.title,
                legitimate=version.legitimate,
                minutes=version.minutes,
                questions=tuple(version.discussion),
            )
            for number, version in enumerate(versions, start=1)
        ),
        red_flag_types=tuple(flag.name_in(module.language) for flag in flag_types),
    )


@dataclass(frozen=True)
class GuideWords:
    """Every word the guide adds to what the author wrote, in the active language, so that
    the page and the PDF say the same (both show them in the module's language)."""

    title: str
    facts: str
    not_written: str
    before: str
    school_lesson: str
    school_rows: tuple[tuple[str, str], ...]  # ("5 min", activity)
    workplace_session: str
    workplace_rows: tuple[tuple[str, str], ...]
    questions: str
    genuine: str
    no_questions: str
    after: str
    report: str
    report_hints: tuple[str, ...]
    red_flag_types: str


def _rows(plan: Plan) -> tuple[tuple[str, str], ...]:
    return tuple(
        (_("%(minutes)d min") % {"minutes": part.minutes}, part.activity) for part in plan.parts
    )


def guide_words(guide: Guide) -> GuideWords:
    count = len(guide.scenarios)
    facts = ngettext("%(count)d scenario", "%(count)d scenarios", count) % {"count": count}
    facts += " · " + _("about %(minutes)d minutes of play") % {"minutes": guide.minutes_to_play}
    names = ", ".join(guide.red_flag_types)
    return GuideWords(
        title=_("Facilitator’s guide"),
        facts=facts,
        not_written=_(
            "The module's author has not written a guide yet: below are its scenarios' questions."
        ),
        before=_("Before the scenarios: what to say"),
        school_lesson=_("A school lesson of %(minutes)d minutes")
        % {"minutes": guide.school_lesson.minutes},
        school_rows=_rows(guide.school_lesson),
        workplace_session=_("A session at work of %(minutes)d minutes")
        % {"minutes": guide.workplace_session.minutes},
        workplace_rows=_rows(guide.workplace_session),
        questions=_("Questions for the group, scenario by scenario"),
        genuine=_("genuine: nothing to catch"),
        no_questions=_("No questions are written for this scenario."),
        after=_("After the scenarios: what to say"),
        report=_("Where the group's report shows what to talk about"),
        report_hints=tuple(report_hints()),
        red_flag_types=_("Kinds of red flag in this module: %(names)s.") % {"names": names}
        if names
        else "",
    )


def report_hints() -> list[str]:
    """Where the group's report shows what to talk about. The report's sections are named
    with the report's own words, so the two always match."""
    return [
        _(
            "“%(section)s”: the share of each kind of red flag the group caught. Start with the "
            "lowest: it is the trick that still works on them."
        )
        % {"section": _("Per kind of red flag")},
        _(
            "“%(section)s”: each scenario's mean score and how its endings split. Talk over first "
            "the scenario with the most scammed endings, with its questions from this guide."
        )
        % {"section": _("Per scenario")},
        _(
            "On a scenario's own page, opened from the session's page: “%(section)s” and what "
            "the group chose at each step."
        )
        % {"section": _("Red flags the group missed")},
        _(
            "“%(section)s”: whether the group tells scams from genuine messages better after the "
            "scenarios than before. With a few players it is only a rough reading."
        )
        % {"section": _("Before and after: the module's check")},
    ]
