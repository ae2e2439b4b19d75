"""Scoring rule 8: a module's score is the mean of its scenario scores, rounded half up."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.scoring import module_passed, module_score


def test_the_module_score_is_the_mean_of_the_scenario_scores_rounded_half_up():
    assert module_score([80, 90]) == 85
    assert module_score([70, 71]) == 71  # 70.5 rounds up
    assert module_score([69, 70, 70]) == 70  # 69.67
    assert module_score([100]) == 100
    assert module_score([0, 0, 1]) == 0  # 0.33
    assert module_score([]) is None


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1))
def test_the_module_score_lies_between_the_lowest_and_highest_scenario_score(scores):
    assert min(scores) <= module_score(scores) <= max(scores)


def test_a_scenario_score_outside_0_to_100_is_refused():
    with pytest.raises(ValueError, match="between 0 and 100"):
        module_score([50, 101])


def test_the_pass_mark_itself_passes_and_no_score_never_does():
    assert module_passed(70, 70)
    assert not module_passed(69, 70)
    assert module_passed(0, 0)
    assert not module_passed(None, 0)
