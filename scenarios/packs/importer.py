"""Importing scenario packs: every pack is checked first, then all are written in one transaction.

A scenario whose content differs from its published version gets a new
version; the old versions are never changed, so attempts that began on one
finish on it. Writes are batched, so the number of queries does not grow with
the number of scenarios.
"""

import copy
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from scenarios.message_kinds import TEXT, WHOLE
from scenarios.models import (
    ANY_LANGUAGE,
    DEFAULT_AUDIENCE,
    DEFAULT_CHECK_SIZE,
    DEFAULT_PASS_MARK,
    CheckItem,
    Choice,
    Message,
    Module,
    ModuleScenario,
    Picture,
    RedFlagType,
    Scenario,
    ScenarioVersion,
    Step,
)

from .archive import PackFiles, pack_pictures, picture_file_name, picture_hash
from .exporter import normalise_scenario, version_as_pack, with_content
from .rules import message_details, place, pool_shortfall
from .validation import packs_problems

CREATED, NEW_VERSION, UNCHANGED = "created", "new version", "unchanged"
WORDS_PER_MINUTE = 150
MINUTES_PER_SCENE = 0.5
# The most minutes a pack may give (schema.json); an estimate stops there too, so a story
# of very many long texts still fits the column.
MOST_MINUTES = 120


class PackRejected(Exception):
    """Nothing was written: `problems` says why, each starting with the pack's name."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class OpenDraft:
    slug: str
    language: str
    number: int  # the draft's version number


class DraftsInTheWay(Exception):
    """Nothing was written: importing would set aside drafts with unpublished edits.

    A newer published version turns an open draft into an old one that can no longer be
    edited or published, so the importer asks first: the caller imports again with
    `set_aside_drafts=True` once the person has agreed."""

    def __init__(self, drafts: list[OpenDraft]):
        self.drafts = drafts
        super().__init__(", ".join(f"{d.slug} ({d.language}) v{d.number}" for d in drafts))

    def describe(self) -> list[str]:
        message = _(
            "%(slug)s (%(language)s): draft version %(number)d has edits that are not "
            "published; importing would set it aside (kept, but no longer editable)."
        )
        return [
            message % {"slug": d.slug, "language": d.language, "number": d.number}
            for d in self.drafts
        ]


@dataclass(frozen=True)
class ScenarioOutcome:
    slug: str
    language: str
    outcome: str  # CREATED, NEW_VERSION or UNCHANGED
    version: int  # the number of the published version after the import

    def describe(self) -> str:
        if self.outcome == CREATED:
            return _("created")
        if self.outcome == NEW_VERSION:
            return _("new version %(number)d") % {"number": self.version}
        return _("unchanged")


@dataclass
class ImportReport:
    scenarios: list[ScenarioOutcome] = field(default_factory=list)
    red_flag_types_created: int = 0
    red_flag_types_updated: int = 0
    modules_created: int = 0
    modules_updated: int = 0
    # Imported all the same, but worth the author's attention: a module of a version-1 pack
    # whose pool is too small for checks of the default size gets smaller checks.
    warnings: list[str] = field(default_factory=list)


def pack_import(
    *,
    packs: list[tuple[str, dict]],
    by=None,
    set_aside_drafts: bool = False,
    files: dict[str, PackFiles] | None = None,
) -> ImportReport:
    """Check every pack, then import them all in one transaction, or raise PackRejected.

    `packs` are (name, parsed pack) pairs; the name starts each problem. Flag codes
    and scenarios may come from any of the packs or from the database. `by` is the user
    who imports: each version published is recorded as published by them, from its pack.
    A scenario the packs change that has a draft with unpublished edits stops the import
    (DraftsInTheWay, nothing written) unless `set_aside_drafts`. `files` holds, by pack
    name, the files beside a pack (its zip or its folder) where its pictures are.
    """
    problems = packs_problems(
        packs,
        known_flag_codes=set(RedFlagType.objects.values_list("code", flat=True)),
        known_scenarios=set(Scenario.objects.values_list("slug", "language")),
    )
    pictures = {}
    if not problems:
        pictures, problems = pack_pictures(packs, files or {})
    if problems:
        raise PackRejected(problems)
    report = ImportReport(warnings=_pool_warnings(packs))
    with transaction.atomic():
        flag_types = _import_red_flag_types(packs, report)
        scenarios = [
            (name, _with_stored_names(scenario, name, pictures))
            for name, pack in packs
            for scenario in pack["scenarios"]
        ]
        _store_pictures(pictures.values())
        drafts = _import_scenarios(scenarios, flag_types, report, by=by)
        if drafts and not set_aside_drafts:
            raise DraftsInTheWay(drafts)  # in the transaction: everything is undone
        modules = [module for _name, pack in packs for module in pack.get("modules", ())]
        _import_modules(modules, flag_types, report)
    return report


def _with_stored_names(scenario: dict, pack_name: str, pictures: dict) -> dict:
    """The scenario with each picture named as it is stored and exported (by its hash), so
    a pack exported and imported again compares equal to its published version."""
    if not pictures:
        return scenario
    scenario = copy.deepcopy(scenario)
    for step in scenario["steps"]:
        for message in step.get("messages", ()):
            if "image" in message:
                message["image"] = picture_file_name(pictures[(pack_name, message["image"])])
    return scenario


def _store_pictures(pictures) -> None:
    by_hash = {picture.sha256: picture for picture in pictures}
    stored = set(Picture.objects.filter(pk__in=by_hash).values_list("pk", flat=True))
    Picture.objects.bulk_create(
        Picture(
            sha256=picture.sha256,
            content_type=picture.content_type,
            width=picture.width,
            height=picture.height,
            data=picture.data,
        )
        for sha256, picture in by_hash.items()
        if sha256 not in stored
    )


def _merged(texts: dict[str, str], given: str | dict[str, str] | None) -> dict[str, str]:
    """A plain string is the text for every language without its own; an object adds languages."""
    if given is None:
        return texts
    return texts | ({ANY_LANGUAGE: given} if isinstance(given, str) else given)


def _import_red_flag_types(packs: list[tuple[str, dict]], report: ImportReport) -> dict:
    """Create or merge the packs' red-flag types; return every type the packs use, by code."""
    declared = [item for _name, pack in packs for item in pack.get("red_flag_types", ())]
    used = {item["code"] for item in declared}
    for _name, pack in packs:
        for scenario in pack["scenarios"]:
            used |= {
                m["flag"] for s in scenario["steps"] for m in s.get("messages", ()) if "flag" in m
            }
        for module in pack.get("modules", ()):
            used |= {item["flag"] for item in module.get("check_items", ()) if "flag" in item}
    by_code = RedFlagType.objects.in_bulk(used, field_name="code")
    created: dict[str, RedFlagType] = {}
    changed: dict[str, RedFlagType] = {}
    for item in declared:
        flag_type = by_code.get(item["code"]) or created.setdefault(
            item["code"], RedFlagType(code=item["code"], name={}, advice={})
        )
        name, advice = (
            _merged(flag_type.name, item["name"]),
            _merged(flag_type.advice, item.get("advice")),
        )
        # Left out, what the type asks for stays as it is: a pack that only adds a language
        # to a type takes nothing away from it.
        asks_for = item.get("asks_for", flag_type.asks_for)
        if (name, advice, asks_for) != (flag_type.name, flag_type.advice, flag_type.asks_for):
            flag_type.name, flag_type.advice, flag_type.asks_for = name, advice, asks_for
            if item["code"] not in created:
                changed[item["code"]] = flag_type
    RedFlagType.objects.bulk_create(created.values())
    RedFlagType.objects.bulk_update(changed.values(), ["name", "advice", "asks_for"])
    report.red_flag_types_created, report.red_flag_types_updated = len(created), len(changed)
    return by_code | created


def estimated_minutes(scenario: dict) -> int:
    """Reading time of every text a player may see, plus a little thinking per scene."""
    texts = [step.get("text", "") for step in scenario["steps"]]
    scenes = [step for step in scenario["steps"] if "ending" not in step]
    texts += [
        item.get("text", "") for step in scenes for item in step["messages"] + step["choices"]
    ]
    words = sum(len(text.split()) for text in texts)
    estimate = round(words / WORDS_PER_MINUTE + len(scenes) * MINUTES_PER_SCENE)
    return min(MOST_MINUTES, max(1, estimate))


def _edited_drafts(scenarios: list[Scenario], published: dict) -> dict[int, int]:
    """The open drafts of these scenarios whose content differs from their published version
    (or that have none published), as {scenario id: draft number}. A draft nobody has
    changed yet loses nothing when a newer version overtakes it."""
    latest = ScenarioVersion.objects.filter(
        scenario__in=scenarios, published_at__isnull=True
    ).order_by("scenario_id", "-number")
    numbers = {s.pk: published.get(s.current_version_id, (0, None))[0] for s in scenarios}
    candidates = {}
    for version in latest.only("pk", "scenario_id", "number"):
        if version.number > numbers[version.scenario_id]:
            candidates.setdefault(version.scenario_id, version.pk)
    if not candidates:
        return {}
    edited = {}
    for draft in with_content(ScenarioVersion.objects.filter(pk__in=candidates.values())):
        scenario = next(s for s in scenarios if s.pk == draft.scenario_id)
        current = published.get(scenario.current_version_id, (0, None))[1]
        # A choice that leads nowhere yet is an edit: a published version has none.
        unfinished = any(
            choice.next_step_id is None
            for step in draft.steps.all()
            for choice in step.choices.all()
        )
        if current is None or unfinished or version_as_pack(draft) != current:
            edited[draft.scenario_id] = draft.number
    return edited


def _import_scenarios(
    named: list[tuple[str, dict]], flag_types: dict, report: ImportReport, *, by=None
) -> list[OpenDraft]:
    """Write the scenarios that changed; return the edited drafts the new versions set aside."""
    incoming = [data for _name, data in named]
    existing = {
        (scenario.slug, scenario.language): scenario
        for scenario in Scenario.objects.filter(slug__in={s["slug"] for s in incoming}).annotate(
            last_number=Max("versions__number")
        )
    }
    published_ids = [s.current_version_id for s in existing.values() if s.current_version_id]
    published = {}
    if published_ids:
        versions = with_content(ScenarioVersion.objects.filter(pk__in=published_ids))
        published = {version.pk: (version.number, version_as_pack(version)) for version in versions}
    new_scenarios = [
        Scenario(slug=data["slug"], language=data["language"])
        for data in incoming
        if (data["slug"], data["language"]) not in existing
    ]
    edited = _edited_drafts(list(existing.values()), published) if existing else {}
    Scenario.objects.bulk_create(new_scenarios)
    existing |= {(scenario.slug, scenario.language): scenario for scenario in new_scenarios}

    now = timezone.now()
    written: list[tuple[dict, ScenarioVersion]] = []
    set_aside: list[OpenDraft] = []
    for pack_name, data in named:
        scenario = existing[(data["slug"], data["language"])]
        number, current = published.get(scenario.current_version_id, (0, None))
        if current == normalise_scenario(data):
            report.scenarios.append(
                ScenarioOutcome(scenario.slug, scenario.language, UNCHANGED, number)
            )
            continue
        if scenario.pk in edited:
            set_aside.append(OpenDraft(scenario.slug, scenario.language, edited[scenario.pk]))
        number = (getattr(scenario, "last_number", None) or 0) + 1
        outcome = NEW_VERSION if scenario.current_version_id or number > 1 else CREATED
        report.scenarios.append(ScenarioOutcome(scenario.slug, scenario.language, outcome, number))
        version = ScenarioVersion(
            scenario=scenario,
            number=number,
            title=data["title"],
            summary=data.get("summary", ""),
            channel=data["channel"],
            legitimate=data["legitimate"],
            difficulty=data.get("difficulty", 1),
            based_on=data.get("based_on", ""),
            basis=data.get("basis", ""),
            sources=data.get("sources", []),
            minutes=data.get("minutes") or estimated_minutes(data),
            minutes_given=data.get("minutes"),
            discussion=data.get("discussion", []),
            published_at=now,
            published_by=by,
            imported_from=PurePath(pack_name).name[-200:],  # the file, not the server's path
        )
        written.append((data, version))
    ScenarioVersion.objects.bulk_create([version for _data, version in written])
    _write_steps(written, flag_types)
    for _data, version in written:
        version.scenario.current_version = version
    Scenario.objects.bulk_update(
        [version.scenario for _data, version in written], ["current_version"]
    )
    return set_aside


def _write_steps(written: list[tuple[dict, ScenarioVersion]], flag_types: dict) -> None:
    steps: dict[tuple[int, str], Step] = {}
    for data, version in written:
        for order, step in enumerate(data["steps"]):
            sender = step.get("sender") or {}
            steps[(version.pk, step["key"])] = Step(
                version=version,
                key=step["key"],
                order=order,
                is_start=step["key"] == data["start"],
                title=step.get("title", ""),
                sender_name=sender.get("name", ""),
                sender_verified=sender.get("verified", False),
                sender_handle=sender.get("handle", ""),
                channel=step.get("channel", ""),
                ending=step.get("ending", ""),
                text=step.get("text", ""),
                loss_kzt=step.get("loss_kzt"),
            )
    Step.objects.bulk_create(steps.values())
    messages, choices = [], []
    for data, version in written:
        for step in data["steps"]:
            row = steps[(version.pk, step["key"])]
            for order, item in enumerate(step.get("messages", ())):
                flag = flag_types[item["flag"]] if "flag" in item else None
                messages.append(
                    Message(
                        step=row,
                        key=item["key"],
                        order=order,
                        kind=item.get("kind", TEXT),
                        text=item.get("text", ""),
                        details=message_details(item),
                        flag=flag,
                        flag_part=_flag_part(item),
                        explanation=item.get("explanation", ""),
                        picture_id=picture_hash(item["image"]) if "image" in item else None,
                        alt=item.get("alt", ""),
                    )
                )
            for order, item in enumerate(step.get("choices", ())):
                next_step = steps[(version.pk, item["next"])]
                choices.append(
                    Choice(
                        step=row,
                        order=order,
                        text=item["text"],
                        verdict=item["verdict"],
                        feedback=item.get("feedback", ""),
                        says=item.get("says", ""),
                        next_step=next_step,
                    )
                )
    Message.objects.bulk_create(messages)
    Choice.objects.bulk_create(choices)


def _pool_warnings(packs: list[tuple[str, dict]]) -> list[str]:
    """A module that sets no check size and whose pool cannot fill checks of the default."""
    warnings = []
    for name, pack in packs:
        for i, module in enumerate(pack.get("modules", ())):
            if "check_size" in module or not module.get("check_items"):
                continue
            short = pool_shortfall(module["check_items"], DEFAULT_CHECK_SIZE)
            if short:
                warnings.append(f"{name}: {place(('modules', i, 'check_items'))}: {short}")
    return warnings


def _flag_part(message: dict) -> str:
    """Where the flag sits as Message.flag_part keeps it: "" for the words."""
    part = message.get("flag_part", WHOLE)
    return "" if part == WHOLE else part


def _import_modules(incoming: list[dict], flag_types: dict, report: ImportReport) -> None:
    """Create or update each module, replacing its scenario order and its check items."""
    if not incoming:
        return
    slugs = {data["slug"] for data in incoming}
    by_name = {(m.slug, m.language): m for m in Module.objects.filter(slug__in=slugs)}
    names = [(data["slug"], data["language"]) for data in incoming]
    updated = [by_name[name] for name in names if name in by_name]
    created = [
        Module(slug=slug, language=language)
        for slug, language in names
        if (slug, language) not in by_name
    ]
    by_name |= {(module.slug, module.language): module for module in created}
    pairs = [(by_name[name], data) for name, data in zip(names, incoming, strict=True)]
    for module, data in pairs:
        module.title, module.summary = data["title"], data.get("summary", "")
        module.pass_mark = data.get("pass_mark", DEFAULT_PASS_MARK)
        module.audience = data.get("audience", DEFAULT_AUDIENCE)
        module.guide = data.get("guide", {})
        module.check_size = data.get("check_size", DEFAULT_CHECK_SIZE)
    Module.objects.bulk_create(created)
    Module.objects.bulk_update(
        updated, ["title", "summary", "pass_mark", "audience", "guide", "check_size"]
    )
    report.modules_created, report.modules_updated = len(created), len(updated)

    if updated:
        ModuleScenario.objects.filter(module__in=updated).delete()
    listed = {slug for _module, data in pairs for slug in data["scenarios"]}
    scenarios = {(s.slug, s.language): s for s in Scenario.objects.filter(slug__in=listed)}
    ModuleScenario.objects.bulk_create(
        ModuleScenario(module=module, scenario=scenarios[(slug, module.language)], order=order)
        for module, data in pairs
        for order, slug in enumerate(data["scenarios"])
    )
    _replace_check_items(pairs, updated, flag_types)


def _replace_check_items(pairs: list[tuple[Module, dict]], updated: list[Module], flag_types: dict):
    """Check items are matched by key: changed in place, added, or retired when not in the
    pack. A retired item is never deleted (runs drew it, players answered it, a booster
    link may name it): no new run draws it, and it comes back if a later pack lists it."""
    old = {}
    if updated:
        old = {(i.module_id, i.key): i for i in CheckItem.objects.filter(module__in=updated)}
    kept, added = [], []
    for module, data in pairs:
        for order, item in enumerate(data.get("check_items", ())):
            row = old.pop((module.pk, item["key"]), None)
            if row is None:
                row = CheckItem(module=module, key=item["key"])
                added.append(row)
            else:
                kept.append(row)
            row.order, row.channel, row.text = order, item["channel"], item["text"]
            row.sender, row.legitimate = item.get("sender", ""), item["legitimate"]
            row.flag = flag_types[item["flag"]] if "flag" in item else None
            row.form = item.get("form", "")
            row.retired_at = None
    left_out = [row.pk for row in old.values() if row.retired_at is None]
    if left_out:
        CheckItem.objects.filter(pk__in=left_out).update(retired_at=timezone.now())
    fields = ["order", "channel", "sender", "text", "legitimate", "flag", "form", "retired_at"]
    CheckItem.objects.bulk_update(kept, fields)
    CheckItem.objects.bulk_create(added)
