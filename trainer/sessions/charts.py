"""Geometry of the report's charts, drawn as SVG by the templates.

Everything is in the units of a viewBox 100 wide, so a bar is an SVG `x` and `width`
(attributes, which a strict Content-Security-Policy allows, where a style would not be).
"""

from dataclasses import dataclass

from trainer.sessions.check import CheckReport
from trainer.sessions.follow_up import Comparison

BAR_HEIGHT = 14
BAR_GAP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float  # left edge
    y: float  # top edge
    width: float
    negative: bool


@dataclass(frozen=True)
class DivergingChart:
    """Bars that grow left or right from a zero line in the middle (x = 50)."""

    bars: list[Bar]
    limit: float  # the value at either edge
    height: float  # of the viewBox


def diverging(values: list[tuple[str, float]], *, least_limit: float) -> DivergingChart:
    """Bars for values of either sign, on a scale wide enough for the largest of them."""
    limit = max([least_limit, *(abs(value) for _label, value in values)])
    bars = []
    for index, (label, value) in enumerate(values):
        width = round(50 * abs(value) / limit, 2)
        x = 50 - width if value < 0 else 50
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        bars.append(Bar(label, value, x, y, width, value < 0))
    return DivergingChart(bars, limit, BAR_GAP + len(values) * (BAR_HEIGHT + BAR_GAP))


@dataclass(frozen=True)
class CheckChart:
    d_prime: DivergingChart
    criterion: DivergingChart


def check_chart(check: CheckReport) -> CheckChart:
    """d′ before and after, and c before and after, each pair on its own scale."""
    return CheckChart(
        d_prime=diverging(
            [("before", check.before.d_prime), ("after", check.after.d_prime)], least_limit=2
        ),
        criterion=diverging(
            [("before", check.before.criterion), ("after", check.after.criterion)],
            least_limit=1,
        ),
    )


def follow_up_chart(group: Comparison) -> CheckChart:
    """d′ and c at the end of the earlier session and at the start of its follow-up."""
    return CheckChart(
        d_prime=diverging(
            [("earlier", group.earlier.d_prime), ("later", group.later.d_prime)], least_limit=2
        ),
        criterion=diverging(
            [("earlier", group.earlier.criterion), ("later", group.later.criterion)],
            least_limit=1,
        ),
    )
