"""Which of a module's scenarios a session plays: all of them, those the facilitator ticks,
or the short form for a lesson. The module's check before and after stays in every case
(the run draws it from the module's pool), so a trimmed session still measures the change.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from scenarios.models import Module, Scenario
from trainer.runs.services import check_size

# The short form's play time: a 45-minute lesson keeps the rest for the two checks, the
# discussion and the report (the built-in guides plan 30 minutes for everything played).
SHORT_FORM_MINUTES = 15
SHORT_FORM_AT_LEAST = 3


def minutes_of(scenario: Scenario) -> int:
    return scenario.current_version.minutes if scenario.current_version_id else 0


def short_form(scenarios: Sequence[Scenario]) -> list[Scenario]:
    """The module's first scenarios, in order, while their minutes stay within
    SHORT_FORM_MINUTES (at least SHORT_FORM_AT_LEAST of them), with a genuine one among them
    when the module has one: the last taken gives way to the first genuine scenario, so the
    group still meets something that is not a scam."""
    taken: list[Scenario] = []
    for scenario in scenarios:
        within = sum(map(minutes_of, taken)) + minutes_of(scenario) <= SHORT_FORM_MINUTES
        if len(taken) < SHORT_FORM_AT_LEAST or within:
            taken.append(scenario)
        else:
            break
    if len(taken) == len(scenarios):
        return list(scenarios)
    genuine = [s for s in scenarios if s.current_version_id and s.current_version.legitimate]
    if genuine and not any(s in genuine for s in taken):
        taken[-1] = genuine[0]
    return [s for s in scenarios if s in taken]  # the module's order


def trimmed(scenarios: Sequence[Scenario], picked: Sequence[Scenario]) -> list[Scenario]:
    """The module's scenarios that were picked, in the module's order."""
    wanted = {s.pk for s in picked}
    return [s for s in scenarios if s.pk in wanted]


@dataclass(frozen=True)
class Estimate:
    scenarios: int
    minutes: int  # of play, as the scenarios' authors give or estimate them
    check_items: int  # in each of the checks before and after; 0 without a module's check


def estimate(scenarios: Sequence[Scenario], module: Module | None) -> Estimate:
    items = 0
    if module is not None:
        items = check_size(module)
    return Estimate(len(scenarios), sum(map(minutes_of, scenarios)), items)
