"""What a facilitator needs to plan a follow-up: the red-flag types the earlier session
covered, the types of each scenario and module they could choose now, and which of those
the group has played already.

A scenario is "played already" when the earlier session had the same story (its slug), in
any language: a player who remembers it does better for that reason alone. That is worth a
warning, not a refusal: a facilitator may have good reasons to play it again.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from scenarios.content import flag_types
from scenarios.models import CheckItem, Message, Module, ModuleScenario, Scenario
from trainer.models import TrainingSession


@dataclass(frozen=True)
class FlagTypeName:
    code: str
    name: str
    covered: bool  # the earlier session covered it


@dataclass(frozen=True)
class Offer:
    """A scenario or a module the facilitator may choose, seen against the earlier session."""

    types: list[FlagTypeName]
    played_already: list[str]  # titles (of scenarios) or slugs the earlier session had


@dataclass(frozen=True)
class Plan:
    titles: list[str]  # the earlier session's scenarios, in order
    module_title: str  # the earlier session's module, or ""
    types: list[FlagTypeName]  # every type the earlier session covered
    scenarios: dict[int, Offer]  # by scenario id
    modules: dict[int, Offer]  # by module id


def follow_up_plan(
    earlier: TrainingSession, scenarios: Iterable[Scenario], modules: Iterable[Module]
) -> Plan:
    """The earlier session's coverage, and every scenario and module offered, in a fixed
    number of queries whatever their number."""
    scenarios, modules = list(scenarios), list(modules)
    entries = list(earlier.entries.select_related("version", "scenario").order_by("number"))
    played = {entry.scenario.slug for entry in entries}
    module_entries = defaultdict(list)
    for module_id, slug, version_id in ModuleScenario.objects.filter(
        module__in=modules
    ).values_list("module_id", "scenario__slug", "scenario__current_version_id"):
        module_entries[module_id].append((slug, version_id))
    version_ids = {entry.version_id for entry in entries}
    version_ids |= {s.current_version_id for s in scenarios}
    version_ids |= {version_id for rows in module_entries.values() for _slug, version_id in rows}
    types_of_version = _types_of_versions(version_ids)
    types_of_module = _types_of_check_pools([m.id for m in modules] + [earlier.module_id])
    covered = set().union(*(types_of_version[entry.version_id] for entry in entries))
    if earlier.module_id:
        covered |= types_of_module[earlier.module_id]
    names = {code: flag_type.name_in() for code, flag_type in flag_types().items()}

    def named(codes: set[str]) -> list[FlagTypeName]:
        return [FlagTypeName(c, names.get(c, c), c in covered) for c in sorted(codes)]

    def module_offer(module: Module) -> Offer:
        rows = module_entries[module.id]
        codes = set().union(types_of_module[module.id], *(types_of_version[v] for _s, v in rows))
        return Offer(named(codes), [slug for slug, _v in rows if slug in played])

    return Plan(
        titles=[entry.version.title for entry in entries],
        module_title=earlier.module.title if earlier.module_id else "",
        types=named(covered),
        scenarios={
            s.id: Offer(
                named(types_of_version[s.current_version_id]),
                [s.current_version.title] if s.slug in played else [],
            )
            for s in scenarios
        },
        modules={module.id: module_offer(module) for module in modules},
    )


def played_already(earlier: TrainingSession, scenarios: Iterable[Scenario]) -> list[Scenario]:
    """The scenarios the earlier session had too (the same story, in any language)."""
    played = set(earlier.entries.values_list("scenario__slug", flat=True))
    return [scenario for scenario in scenarios if scenario.slug in played]


def _types_of_versions(version_ids: set[int | None]) -> defaultdict[int, set[str]]:
    types = defaultdict(set)
    for version_id, code in (
        Message.objects.filter(step__version_id__in=version_ids - {None}, flag__isnull=False)
        .values_list("step__version_id", "flag__code")
        .distinct()
    ):
        types[version_id].add(code)
    return types


def _types_of_check_pools(module_ids: list[int | None]) -> defaultdict[int, set[str]]:
    types = defaultdict(set)
    for module_id, code in (
        CheckItem.objects.filter(module_id__in=[m for m in module_ids if m], flag__isnull=False)
        .values_list("module_id", "flag__code")
        .distinct()
    ):
        types[module_id].add(code)
    return types
