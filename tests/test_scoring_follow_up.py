"""Scoring rule 9: a follow-up read against the session it follows as improved, kept or
faded. Pure: no database."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.scoring import (
    RATE_CHANGE_THRESHOLD,
    DiscernmentChange,
    Retention,
    discernment,
    discernment_change,
    retention_of_discernment,
    retention_of_share,
    retention_overall,
)


@pytest.mark.parametrize(
    ("change", "reading"),
    [
        (DiscernmentChange.MORE_DISCERNING, Retention.IMPROVED),
        (DiscernmentChange.LESS_DISCERNING, Retention.FADED),
        (DiscernmentChange.UNCHANGED, Retention.KEPT),
        # Calling more (or fewer) messages scams is no gain (or loss) in telling them apart.
        (DiscernmentChange.MORE_SUSPICIOUS, Retention.KEPT),
        (DiscernmentChange.MORE_TRUSTING, Retention.KEPT),
    ],
)
def test_discernment_reads_as_rule_7_says(change, reading):
    assert retention_of_discernment(change) == reading


def test_a_group_that_only_became_suspicious_has_kept_not_improved():
    before = discernment(hits=5, misses=5, false_alarms=5, correct_rejections=5)
    after = discernment(hits=9, misses=1, false_alarms=9, correct_rejections=1)
    assert discernment_change(before, after) == DiscernmentChange.MORE_SUSPICIOUS
    assert retention_of_discernment(discernment_change(before, after)) == Retention.KEPT


@pytest.mark.parametrize(
    ("earlier", "later", "reading"),
    [
        ((10, 20), (13, 20), Retention.IMPROVED),  # 0.50 -> 0.65: exactly the threshold
        ((10, 20), (7, 20), Retention.FADED),  # 0.50 -> 0.35: exactly the threshold
        ((50, 100), (64, 100), Retention.KEPT),  # 0.14: below it
        ((50, 100), (36, 100), Retention.KEPT),
        ((3, 3), (1, 3), Retention.FADED),  # one player: one flag is a third
        ((0, 2), (1, 1), Retention.IMPROVED),
        ((1, 1), (1, 1), Retention.KEPT),
        ((0, 0), (1, 1), None),  # not shown in the earlier session: nothing to read
        ((1, 1), (0, 0), None),
    ],
)
def test_a_red_flag_types_share_is_read_against_the_threshold(earlier, later, reading):
    assert Fraction(15, 100) == RATE_CHANGE_THRESHOLD
    assert retention_of_share(earlier, later) == reading


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
        ([None, None], None),
        ([], None),
    ],
)
def test_without_a_check_the_types_are_weighed(types, reading):
    assert retention_overall(None, types) == reading
