"""Geometry of the report's charts, drawn as SVG by the templates.

Everything is in the units of a viewBox 100 wide, so a bar is an SVG `x` and `width`
(attributes, which a strict Content-Security-Policy allows, where a style would not be).
"""

from dataclasses import dataclass

from trainer import scoring
from trainer.sessions.check import CheckReport

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
class IntervalMark:
    """A change drawn as its 95 % interval (a line from low to high) and its mean (a dot)."""

    low_x: float
    high_x: float
    mean_x: float
    excludes_zero: bool

    @property
    def mean_left(self) -> float:
        """Left edge of the mean's mark, 2 wide."""
        return round(self.mean_x - 1, 2)


@dataclass(frozen=True)
class IntervalChart:
    """Changes on a scale from -limit (x = 0) through 0 (x = 50) to +limit (x = 100)."""

    marks: list[IntervalMark]
    limit: float


def interval_chart(intervals: list[scoring.Interval], *, least_limit: float) -> IntervalChart:
    """The intervals of changes on one scale wide enough for the widest of them."""
    limit = max([least_limit, *(max(abs(i.low), abs(i.high)) for i in intervals)])

    def x(value: float) -> float:
        return round(50 + 50 * value / limit, 2)

    return IntervalChart(
        [
            IntervalMark(x(i.low), x(i.high), x(i.mean), i.above_zero or i.below_zero)
            for i in intervals
        ],
        limit,
    )


@dataclass(frozen=True)
class CheckChart:
    d_prime: DivergingChart
    criterion: DivergingChart
    d_prime_change: IntervalChart | None = None  # None without an interval (too few)
    criterion_change: IntervalChart | None = None


def check_chart(check: CheckReport) -> CheckChart:
    """The group's mean d′ before and after, and its mean c, each pair on its own scale;
    with the changes' intervals once the group is large enough to have them."""
    group = check.group
    return CheckChart(
        d_prime=diverging(
            [("before", group.d_prime_before), ("after", group.d_prime_after)], least_limit=2
        ),
        criterion=diverging(
            [("before", group.criterion_before), ("after", group.criterion_after)],
            least_limit=1,
        ),
        d_prime_change=group.d_prime and interval_chart([group.d_prime], least_limit=1),
        criterion_change=group.criterion and interval_chart([group.criterion], least_limit=1),
    )


def follow_up_chart(change: scoring.GroupChange) -> CheckChart:
    """The linked players' mean d′ and c at the end of the earlier session and at the start
    of its follow-up, with the changes' intervals once there are enough of them."""
    return CheckChart(
        d_prime=diverging(
            [("earlier", change.d_prime_before), ("later", change.d_prime_after)], least_limit=2
        ),
        criterion=diverging(
            [("earlier", change.criterion_before), ("later", change.criterion_after)],
            least_limit=1,
        ),
        d_prime_change=change.d_prime and interval_chart([change.d_prime], least_limit=1),
        criterion_change=change.criterion and interval_chart([change.criterion], least_limit=1),
    )
