"""Drafts, publishing and versions.

A draft is a version not yet published (`published_at` empty) and newer than the
published one. Editing a published scenario works on a new draft copied from the
published version; publishing the draft makes it the version players start. Attempts
in progress keep the version they began on: they point at it, and it never changes.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from scenarios.models import Choice, Message, RedFlagType, Scenario, ScenarioVersion, Step
from scenarios.packs.exporter import PACK_FORMAT, PACK_VERSION, version_as_pack, with_content
from scenarios.packs.importer import estimated_minutes
from scenarios.packs.validation import pack_problems

from .graph import version_check
from .translation import identical_to_source


class AuthoringRefused(Exception):
    """Nothing was changed: `problems` says why, in plain words."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# What must happen before a draft's content is edited or deleted. The trainer app
# registers the removal of the draft's previews: an author's trial attempts hold on to
# the steps they passed, and would otherwise stop those steps being changed.
_before_edit: list[Callable[[int], None]] = []


def on_draft_edit(callback: Callable[[int], None]) -> None:
    _before_edit.append(callback)


def draft_edit_begins(version: ScenarioVersion) -> None:
    for callback in _before_edit:
        callback(version.pk)


def scenario_draft(scenario: Scenario) -> ScenarioVersion | None:
    """The draft being written for a scenario, if there is one."""
    latest = scenario.versions.order_by("-number").first()
    return latest if latest is not None and is_open_draft(latest, scenario) else None


def is_open_draft(version: ScenarioVersion, scenario: Scenario | None = None) -> bool:
    """A draft that can still be edited and published: unpublished and newer than the
    published version (an older draft was overtaken by a later publication)."""
    if version.is_published:
        return False
    scenario = scenario or version.scenario
    current = scenario.current_version
    return current is None or version.number > current.number


def scenario_create(*, scenario: Scenario, **content) -> ScenarioVersion:
    """Save a new scenario (its slug and language set) with a first draft holding the given
    title, channel and so on."""
    with transaction.atomic():
        scenario.save()
        return ScenarioVersion.objects.create(scenario=scenario, number=1, **content)


def draft_start(*, scenario: Scenario) -> ScenarioVersion:
    """The scenario's draft: the one being written, or a new copy of the published version.
    Asking twice (a double click) gives the same draft."""
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
        draft = scenario_draft(scenario)
        if draft is not None:
            return draft
        source = scenario.current_version or scenario.versions.order_by("-number").first()
        return version_copy(source, scenario=scenario, number=_next_number(scenario))


def draft_lock(version: ScenarioVersion) -> ScenarioVersion:
    """The version read again with its scenario, both rows locked until the caller's
    transaction ends: what publishing and every edit of a draft take first, in this order,
    so that an edit and the publishing of the same draft never interleave. (SQLite has no
    row locks: its transactions take the database's write lock as they begin.)"""
    scenario = Scenario.objects.select_for_update().get(pk=version.scenario_id)
    locked = ScenarioVersion.objects.select_for_update().get(pk=version.pk)
    locked.scenario = scenario
    return locked


class IdenticalToSource(Exception):
    """Not published yet: a translation still has texts word for word as its source's.
    Publishing again with `identical_confirmed=True` publishes it as it is."""

    def __init__(self, texts: list[str]):
        super().__init__("\n".join(texts))
        self.texts = texts


def draft_publish(*, version: ScenarioVersion, user, identical_confirmed: bool = False) -> bool:
    """Publish a draft: players start it from now on. Returns False when it was published
    already (a double click); raises AuthoringRefused when the graph check finds errors,
    and IdenticalToSource when a translation has untranslated text and that was not
    confirmed."""
    with transaction.atomic():
        version = draft_lock(version)
        scenario = version.scenario
        if version.is_published:
            return False
        if not is_open_draft(version, scenario):
            message = _(
                "Version %(number)d was published after this draft was started; start a new "
                "draft from it instead."
            )
            raise AuthoringRefused([message % {"number": scenario.current_version.number}])
        check = version_check(version)
        if check.errors:
            raise AuthoringRefused([finding.text for finding in check.errors])
        if not identical_confirmed:
            untranslated = identical_to_source(version)
            if untranslated:
                raise IdenticalToSource(untranslated)
        pack_scenario = _as_pack_scenario(version)
        version.published_at = timezone.now()
        version.published_by = user
        version.minutes = version.minutes_given or estimated_minutes(pack_scenario)
        version.save(update_fields=["published_at", "published_by", "minutes"])
        scenario.current_version = version
        scenario.save(update_fields=["current_version"])
    return True


def _as_pack_scenario(version: ScenarioVersion) -> dict:
    """The version as a pack scenario, checked by the pack rules too: whatever is published
    can be exported and imported again. The graph check has caught all an author can do
    wrong, so a problem here is shown as the pack validator words it."""
    pack_scenario = version_as_pack(with_content(ScenarioVersion.objects.filter(pk=version.pk))[0])
    pack = {"format": PACK_FORMAT, "version": PACK_VERSION, "scenarios": [pack_scenario]}
    problems = pack_problems(
        pack,
        known_flag_codes=set(RedFlagType.objects.values_list("code", flat=True)),
        known_scenarios=set(),
    )
    if problems:
        raise AuthoringRefused(problems)
    return pack_scenario


def scenario_translate(*, scenario: Scenario, language: str) -> ScenarioVersion:
    """Copy the scenario's published version into another language as a first draft with
    the same steps, messages, red flags and choices, its text still in the original
    language to be translated; the copy remembers the version it was made from
    (`translated_from`), whose text its step pages show beside each field.

    Only a published version is copied: a draft's text may still change, and the two
    languages would then tell different stories. A scenario with nothing published is
    refused; an open draft's edits are not in the copy (the caller says so)."""
    names = dict(settings.LANGUAGES)
    if language not in names or language == scenario.language:
        raise AuthoringRefused([_("Choose another language the site speaks.")])
    source = scenario.current_version
    if source is None:
        message = _(
            "Nothing of this scenario is published yet: publish it first, so that the "
            "translation is copied from a version that no longer changes."
        )
        raise AuthoringRefused([message])
    with transaction.atomic():
        copy, created = Scenario.objects.get_or_create(slug=scenario.slug, language=language)
        if not created:
            message = _('"%(slug)s" exists in %(language)s already: open it there.')
            raise AuthoringRefused([message % {"slug": scenario.slug, "language": names[language]}])
        version = version_copy(source, scenario=copy, number=1)
        version.translated_from = source
        version.save(update_fields=["translated_from"])
        return version


def _next_number(scenario: Scenario) -> int:
    return (scenario.versions.aggregate(last=Max("number"))["last"] or 0) + 1


def version_copy(source: ScenarioVersion, *, scenario: Scenario, number: int) -> ScenarioVersion:
    """A new unpublished version of `scenario` with everything `source` holds."""
    copy = ScenarioVersion.objects.create(
        scenario=scenario,
        number=number,
        title=source.title,
        summary=source.summary,
        channel=source.channel,
        legitimate=source.legitimate,
        difficulty=source.difficulty,
        based_on=source.based_on,
        basis=source.basis,
        sources=source.sources,
        minutes=source.minutes,
        minutes_given=source.minutes_given,
        discussion=source.discussion,
    )
    old_steps = list(Step.objects.filter(version=source))
    new_steps = {}
    for step in old_steps:
        new_steps[step.pk] = Step(
            version=copy,
            **{f: getattr(step, f) for f in _STEP_FIELDS},
        )
    Step.objects.bulk_create(new_steps.values())
    Message.objects.bulk_create(
        Message(step=new_steps[m.step_id], **{f: getattr(m, f) for f in _MESSAGE_FIELDS})
        for m in Message.objects.filter(step__version=source)
    )
    Choice.objects.bulk_create(
        Choice(
            step=new_steps[c.step_id],
            next_step=new_steps.get(c.next_step_id),
            **{f: getattr(c, f) for f in _CHOICE_FIELDS},
        )
        for c in Choice.objects.filter(step__version=source)
    )
    return copy


_STEP_FIELDS = (
    "key",
    "order",
    "is_start",
    "title",
    "sender_name",
    "sender_verified",
    "ending",
    "text",
    "loss_kzt",
)
_MESSAGE_FIELDS = ("key", "order", "text", "flag_id", "explanation")
_CHOICE_FIELDS = ("order", "text", "verdict", "feedback")
