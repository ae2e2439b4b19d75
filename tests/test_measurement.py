"""The simulation that keeps the readings honest (tests/measurement.py): simulated players
of known d′ and c through the real scoring code at the real check size, seeded, in a few
seconds. `make measure` prints the whole table; docs/measurement.md explains it."""

import pytest

from tests import measurement
from trainer import scoring

CHECK_SIZE = 20  # 10 scams and 10 genuine messages: the check of issue 11
GROUP = 25


@pytest.fixture(scope="module")
def groups_of_25():
    return measurement.rates(GROUP, CHECK_SIZE, groups=2000)


def test_groups_that_did_not_change_are_rarely_read_as_changed(groups_of_25):
    """Groups of 25 with no change are read more or less discerning at most 5 % of the time."""
    assert groups_of_25.no_change_discerning <= 0.05


def test_a_real_gain_of_half_a_d_prime_is_seen_in_groups_of_25(groups_of_25):
    """A gain of 0.5 in every player's d′ is read more discerning at least 70 % of the time."""
    assert groups_of_25.gain_seen >= 0.70


def test_a_group_that_only_calls_more_things_scams_is_read_more_suspicious(groups_of_25):
    """A pure shift of criterion is read as one (more suspicious) most of the time, and
    rarely as a change in discernment."""
    assert groups_of_25.shift_suspicious >= 0.80
    assert groups_of_25.shift_discerning <= 0.10


@pytest.mark.parametrize("safe_choices", [True, False], ids=["safe choices", "any choice"])
def test_random_marking_rarely_passes_a_built_in_module(safe_choices):
    """Every message marked with probability 1/2, through the built-in modules' scenarios:
    the module's score reaches its pass mark in at most 5 % of runs, even when every
    choice is the safe one."""
    passes = measurement.random_module_passes(400, safe_choices=safe_choices)
    assert set(passes) == {"basics", "pupils", "at-work", "older-people"}
    assert max(passes.values()) <= 0.05, passes


def test_random_answers_rarely_pass_the_certificates_check():
    """On a check of 20, guessing passes rule 10 (15 right, at most 3 false alarms) in at
    most 5 % of tries: exactly 1.8 %, counting every way of answering 10 scams and 10
    genuine messages that passes, out of 2**20."""
    from math import comb

    exact = (
        sum(
            comb(10, hits) * comb(10, alarms)
            for hits in range(11)
            for alarms in range(11)
            if scoring.after_check_passed(hits + 10 - alarms, alarms, 20)
        )
        / 2**20
    )
    assert exact <= 0.05
    assert measurement.random_check_passes(20, 20_000) == pytest.approx(exact, abs=0.005)


def test_the_simulated_players_are_read_with_the_scoring_rules():
    """A perfect simulated player and a guesser, through scoring rule 6."""
    import random

    rng = random.Random(1)
    sharp = measurement.check_answers(rng, 8.0, 0.0, CHECK_SIZE)
    assert (sharp.hit_rate, sharp.false_alarm_rate) == (1.0, 0.0)
    guesser = [measurement.check_answers(rng, 0.0, 0.0, CHECK_SIZE) for _ in range(400)]
    assert abs(sum(g.d_prime for g in guesser) / 400) < 0.05
