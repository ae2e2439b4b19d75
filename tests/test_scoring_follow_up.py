"""Scoring rule 9: a follow-up read against the session it follows as improved, kept or
faded. Pure: no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.scoring import (
    MIN_MESSAGES,
    DiscernmentChange,
    Retention,
    retention_of_discernment,
    retention_of_share,
    retention_overall,
    share_change_interval,
)


@pytest.mark.parametrize(
    ("change", "reading"),
    [
        (DiscernmentChange.MORE_DISCERNING, Retention.IMPROVED),
        (DiscernmentChange.LESS_DISCERNING, Retention.FADED),
        (DiscernmentChange.CANT_TELL, Retention.KEPT),
        # Calling more (or fewer) messages scams is no gain (or loss) in telling them apart.
        (DiscernmentChange.MORE_SUSPICIOUS, Retention.KEPT),
        (DiscernmentChange.MORE_TRUSTING, Retention.KEPT),
        (DiscernmentChange.TOO_FEW, None),
    ],
)
def test_discernment_reads_as_rule_7_says(change, reading):
    assert retention_of_discernment(change) == reading


@pytest.mark.parametrize(
    ("earlier", "later", "reading"),
    [
        ((3, 3), (1, 3), Retention.TOO_FEW),  # one player: the old "faded" from one flag
        ((1, 1), (0, 1), Retention.TOO_FEW),
        ((9, 9), (0, 10), Retention.TOO_FEW),  # 9 on one side is still too few
        ((5, 10), (10, 10), Retention.IMPROVED),
        ((10, 10), (5, 10), Retention.FADED),
        ((5, 10), (7, 10), Retention.KEPT),  # +0.2 on ten each: could be chance
        ((50, 100), (64, 100), Retention.IMPROVED),
        ((0, 0), (10, 10), None),  # not shown in the earlier session: nothing to read
        ((10, 10), (0, 0), None),
    ],
)
def test_a_red_flag_types_share_needs_ten_messages_a_side_and_a_clear_interval(
    earlier, later, reading
):
    assert MIN_MESSAGES == 10
    assert retention_of_share(earlier, later) == reading


def test_the_share_interval_is_agresti_caffos_computed_independently():
    """(5 of 10) -> (9 of 10): with one caught and one missed added, 6/12 -> 10/12."""
    interval = share_change_interval((5, 10), (9, 10))
    half = 1.959964 * ((0.5 * 0.5 / 12) + (10 / 12 * 2 / 12 / 12)) ** 0.5
    assert interval.mean == pytest.approx(0.4)
    assert interval.low == pytest.approx(10 / 12 - 6 / 12 - half)
    assert interval.high == pytest.approx(10 / 12 - 6 / 12 + half)


@pytest.mark.parametrize("bad", [(3, 2), (-1, 2), (1, -1)])
def test_a_share_must_be_caught_out_of_shown(bad):
    with pytest.raises(ValueError, match="not a share caught of shown"):
        retention_of_share(bad, (1, 2))


@given(
    st.integers(0, 50).flatmap(lambda of: st.tuples(st.integers(0, of), st.just(of))),
    st.integers(0, 50).flatmap(lambda of: st.tuples(st.integers(0, of), st.just(of))),
)
def test_swapping_the_sessions_swaps_improved_and_faded(earlier, later):
    swap = {Retention.IMPROVED: Retention.FADED, Retention.FADED: Retention.IMPROVED}
    forward, backward = retention_of_share(earlier, later), retention_of_share(later, earlier)
    assert backward == swap.get(forward, forward)


def test_overall_is_the_discernment_reading_when_both_sessions_had_a_check():
    types = [Retention.IMPROVED, Retention.IMPROVED]
    assert retention_overall(Retention.FADED, types) == Retention.FADED
    assert retention_overall(Retention.KEPT, [Retention.FADED]) == Retention.KEPT


@pytest.mark.parametrize(
    ("types", "reading"),
    [
        ([Retention.IMPROVED, Retention.KEPT, Retention.KEPT], Retention.IMPROVED),
        ([Retention.FADED, Retention.KEPT, None], Retention.FADED),
        ([Retention.IMPROVED, Retention.FADED], Retention.KEPT),
        ([Retention.IMPROVED, Retention.FADED, Retention.FADED], Retention.FADED),
        ([Retention.KEPT], Retention.KEPT),
        ([Retention.TOO_FEW, Retention.TOO_FEW], None),
        ([Retention.TOO_FEW, Retention.IMPROVED], Retention.IMPROVED),
        ([None, None], None),
        ([], None),
    ],
)
def test_without_a_check_the_types_are_weighed(types, reading):
    assert retention_overall(None, types) == reading
