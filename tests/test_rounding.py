"""Rounding rule 0: one helper, half away from zero, for every figure a person reads."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from trainer.scoring import mean_rounded, percent_of, round_half_up
from trainer.sessions.group import Share


def test_halves_go_up_where_round_goes_to_even():
    assert round(62.5) == 62 and round_half_up(62.5) == 63
    assert round_half_up(Fraction(125, 2)) == 63
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(0.285, 2) == Decimal("0.29")
    assert round_half_up(-0.125, 2) == Decimal("-0.13")
    assert round_half_up(Decimal("-2.5")) == -3


def test_a_mean_of_62_and_63_shows_63_everywhere():
    assert mean_rounded([62, 63]) == 63
    assert Share(1, 8).percent == 13  # 12.5 %
    assert percent_of(1, 8) == 13
    assert mean_rounded([]) is None and percent_of(3, 0) == 0


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_percent_matches_an_independent_half_up(part, whole):
    """Independent: integer arithmetic only, (200 * part + whole) // (2 * whole)."""
    assert percent_of(part, whole) == (200 * part + whole) // (2 * whole)


@given(st.lists(st.integers(0, 100), min_size=1, max_size=50))
def test_mean_matches_an_independent_half_up(values):
    n = len(values)
    assert mean_rounded(values) == (2 * sum(values) + n) // (2 * n)
