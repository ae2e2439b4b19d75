"""The scoring rules of trainer.scoring, written as tests. Each docstring is one rule."""

import itertools
import math
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trainer.scoring import (
    MIN_GROUP,
    SCAMMED_CEILING,
    DiscernmentChange,
    MessageMark,
    StepResult,
    after_check_needs,
    after_check_passed,
    criterion,
    d_prime,
    discernment,
    group_change,
    paired_interval,
    score_attempt,
    t_quantile_975,
)

CODES = ("urgency", "link", "sender", "money")
VERDICTS = ("safe", "risky", "harmful")


def paths_of(flags):
    """Random paths: up to 6 steps of up to 5 messages, each marked or not, any verdict."""
    mark = st.builds(MessageMark, flag=flags, marked=st.booleans())
    verdict = st.none() | st.sampled_from(VERDICTS)
    step = st.builds(StepResult, marks=st.lists(mark, max_size=5).map(tuple), verdict=verdict)
    return st.lists(step, max_size=6)


paths = paths_of(st.none() | st.sampled_from(CODES))
legit_paths = paths_of(st.none())
open_rates = st.floats(min_value=0.001, max_value=0.999)


def remark(path, decide):
    """The same path with every message marked as decide(message) says."""
    return [replace(s, marks=tuple(replace(m, marked=decide(m)) for m in s.marks)) for s in path]


def marked_in_order(path, chosen):
    """The same path with its messages, in order, marked as the booleans of chosen say."""
    chosen, steps = list(chosen), []
    for step in path:
        marks = tuple(replace(m, marked=chosen.pop(0)) for m in step.marks)
        steps.append(replace(step, marks=marks))
    return steps


def with_verdict(path, verdict):
    return [replace(s, verdict=verdict) for s in path]


def messages(path):
    return [m for s in path for m in s.marks]


def has_flag(path):
    return any(m.flag for m in messages(path))


def has_innocent(path):
    return any(m.flag is None for m in messages(path))


def mark_one(path, data, wanted):
    """The path with one drawn message that satisfies wanted() now marked, or None."""
    spots = [(i, j) for i, s in enumerate(path) for j, m in enumerate(s.marks) if wanted(m)]
    if not spots:
        return None
    i, j = data.draw(st.sampled_from(spots))
    marks = tuple(replace(m, marked=True) if k == j else m for k, m in enumerate(path[i].marks))
    return [*path[:i], replace(path[i], marks=marks), *path[i + 1 :]]


def legit(*marked, verdict="safe"):
    """One step of innocent messages, marked as given."""
    return [StepResult(tuple(MessageMark(None, m) for m in marked), verdict)]


# Rule 1: the four kinds of answer
@given(paths)
def test_every_message_is_exactly_one_kind_of_answer(path):
    """Every message shown counts once: a hit, a miss, a false alarm or a correct rejection."""
    r = score_attempt(path)
    shown = messages(path)
    assert r.hits == sum(1 for m in shown if m.flag and m.marked)
    assert r.misses == sum(1 for m in shown if m.flag and not m.marked)
    assert r.false_alarms == sum(1 for m in shown if m.flag is None and m.marked)
    assert r.correct_rejections == sum(1 for m in shown if m.flag is None and not m.marked)


# Rule 2: spotting
@given(paths)
def test_flagging_nothing_gives_spotting_zero(path):
    """Marking no message at all gives spotting 0 when there was a red flag to find."""
    assume(has_flag(path))
    assert score_attempt(remark(path, lambda m: False)).spotting == 0


@given(paths)
def test_flagging_exactly_the_red_flags_gives_spotting_one(path):
    """Marking exactly the red-flag messages gives spotting 1."""
    assume(has_flag(path))
    assert score_attempt(remark(path, lambda m: m.flag is not None)).spotting == 1


@given(paths)
def test_flagging_everything_gives_spotting_zero(path):
    """Marking every message gives spotting 0 once an innocent message was shown."""
    assume(has_flag(path) and has_innocent(path))
    assert score_attempt(remark(path, lambda m: True)).spotting == 0


@given(paths)
def test_spotting_is_hit_rate_minus_false_alarm_rate(path):
    """spotting = hit rate - false-alarm rate, in -1..1, not floored; None without red flags."""
    r = score_attempt(path)
    if not has_flag(path):
        assert r.spotting is None
        return
    innocent = r.false_alarms + r.correct_rejections
    fa_rate = r.false_alarms / innocent if innocent else 0
    assert r.spotting == pytest.approx(r.hits / (r.hits + r.misses) - fa_rate)
    assert -1 <= r.spotting <= 1


@settings(deadline=None)
@given(paths, st.fractions(0, 1, max_denominator=10))
def test_random_marking_earns_nothing_on_average(path, p):
    """Marking each message at random with probability p gives an expected spotting of
    exactly 0, the same as marking nothing, whenever a red flag and an innocent message
    were shown. Computed exactly over every way of marking the path's messages."""
    shown = messages(path)
    assume(has_flag(path) and has_innocent(path) and len(shown) <= 8)
    expected = Fraction(0)
    for chosen in itertools.product((False, True), repeat=len(shown)):
        weight = math.prod(p if marked else 1 - p for marked in chosen)
        r = score_attempt(marked_in_order(path, chosen))
        caught = Fraction(r.hits, r.hits + r.misses)
        alarms = Fraction(r.false_alarms, r.false_alarms + r.correct_rejections)
        expected += weight * (caught - alarms)
    assert expected == 0
    assert score_attempt(remark(path, lambda m: False)).spotting == 0


@given(paths)
def test_the_parts_add_up_to_the_total_before_it_is_held(path):
    """Each part is 50 x its measure rounded half away from zero; the score is their sum
    held to 0..100, so what the result page says of the parts adds up to it."""
    r = score_attempt(path)
    decisions = Fraction(r.decisions or 0).limit_denominator(1000)
    assert r.decision_points == math.floor(50 * decisions + Fraction(1, 2))
    if r.spotting is not None:
        half = 50 * abs(Fraction(r.spotting).limit_denominator(1000))
        assert abs(r.spotting_points) == math.floor(half + Fraction(1, 2))
    assert r.score == min(max(r.points_total, 0), 100)
    assert -50 <= r.spotting_points <= 50 and 0 <= r.decision_points <= 50


@given(paths, st.sampled_from(["scammed", "safe", "partly_safe"]))
def test_a_scammed_ending_stays_below_the_pass_mark_whatever_was_marked(path, ending):
    """Rule 4a: an ending in which the player was scammed scores at most 40 (below the
    modules' pass mark of 70), even with every red flag marked; other endings are not held."""
    perfect = remark(path, lambda m: m.flag is not None)
    r = score_attempt(perfect, ending=ending)
    if ending == "scammed":
        assert r.score <= SCAMMED_CEILING < 70 and r.scammed
    else:
        assert r.score == score_attempt(perfect).score and not r.scammed


@given(paths)
def test_exact_flags_beat_flagging_everything_by_fifty_points(path):
    """With the same choices, marking exactly the red flags scores exactly 50 more than
    marking every message, whenever at least one red flag and one innocent message were shown.
    (Spotting goes from 0 to 1 and the rounding of the decision half is shared.)"""
    assume(has_flag(path) and has_innocent(path))
    exact = score_attempt(remark(path, lambda m: m.flag is not None)).score
    everything = score_attempt(remark(path, lambda m: True)).score
    assert exact - everything == 50


# Rule 3: decisions
@given(paths)
def test_safe_beats_risky_beats_harmful_with_the_same_marks(path):
    """With the same marks, choosing safe everywhere beats risky everywhere, which beats
    harmful everywhere, both in decisions and in score (by 25 points each)."""
    assume(path)
    # Held at 0 a negative spotting part would hide the difference: spotting at least 0.
    assume(score_attempt(path).spotting_points >= 0)
    safe, risky, harmful = (score_attempt(with_verdict(path, v)) for v in VERDICTS)
    assert (safe.decisions, risky.decisions, harmful.decisions) == (1.0, 0.5, 0.0)
    assert safe.score == risky.score + 25 == harmful.score + 50


@given(paths, st.data())
def test_a_better_single_choice_never_lowers_the_score(path, data):
    """Replacing one choice by a better one raises decisions and never lowers the score."""
    assume(any(s.verdict in ("risky", "harmful") for s in path))
    i = data.draw(st.sampled_from([i for i, s in enumerate(path) if s.verdict != "safe"]))
    better = "risky" if path[i].verdict == "harmful" else "safe"
    improved = [*path[:i], replace(path[i], verdict=better), *path[i + 1 :]]
    before, after = score_attempt(path), score_attempt(improved)
    assert after.decisions > before.decisions
    assert after.score >= before.score


@given(paths)
def test_no_choice_means_decisions_none_and_counts_as_zero(path):
    """decisions is None when no choice was taken, and then weighs like all-harmful."""
    silent = score_attempt(with_verdict(path, None))
    assert silent.decisions is None
    assert silent.score == score_attempt(with_verdict(path, "harmful")).score


# Rule 4: score
@given(paths)
def test_score_is_always_between_0_and_100(path):
    """The score is a whole number from 0 to 100."""
    score = score_attempt(path).score
    assert isinstance(score, int)
    assert 0 <= score <= 100


@given(paths, st.data())
def test_adding_a_false_alarm_never_raises_the_score(path, data):
    """Marking one more innocent message, or being shown one more and marking it, never
    raises the score."""
    base = score_attempt(path).score
    assert score_attempt([*path, StepResult((MessageMark(None, True),), None)]).score <= base
    if alarmed := mark_one(path, data, lambda m: m.flag is None and not m.marked):
        assert score_attempt(alarmed).score <= base


@given(paths, st.sampled_from(CODES), st.data())
def test_adding_a_hit_never_lowers_the_score(path, code, data):
    """Marking one more red flag, or being shown one more and marking it, never lowers the
    score (not even on a legitimate path, which the first red flag turns into a flagged one)."""
    base = score_attempt(path).score
    assert score_attempt([*path, StepResult((MessageMark(code, True),), None)]).score >= base
    if spotted := mark_one(path, data, lambda m: m.flag and not m.marked):
        assert score_attempt(spotted).score >= base


def test_score_rounds_half_up():
    """12.5 rounds to 13 and 62.5 to 63 (half up, not to even)."""
    quarter = (MessageMark("link", True), *[MessageMark("link", False)] * 3)
    assert score_attempt([StepResult(quarter, None)]).score == 13
    assert score_attempt([StepResult(quarter, "safe")]).score == 63


@given(legit_paths)
def test_legit_path_flagging_everything_leaves_nothing_of_the_decisions(path):
    """On a legitimate path (no red flag, at least one message), marking every message
    takes away what the decisions gave: 100 points below keeping calm, held at 0."""
    assume(messages(path))
    alarmist = score_attempt(remark(path, lambda m: True))
    calm = score_attempt(remark(path, lambda m: False))
    assert alarmist.score == 0
    assert alarmist.points_total == calm.points_total - 100


def test_legit_path_rewards_keeping_calm():
    """Legitimate path: the flag half is 50 x (1 - 2 x false-alarm rate)."""
    assert score_attempt(legit(False, False, False, False)).score == 100
    assert score_attempt(legit(True, False, False, False)).score == 75  # 25 + 50
    assert score_attempt(legit(True, True, False, False)).score == 50  # 0 + 50: a guess
    assert score_attempt(legit(True, True, True, True)).score == 0
    assert score_attempt(legit(True, True, verdict="harmful")).score == 0
    assert score_attempt(legit(True, False, verdict=None)).spotting is None


@settings(deadline=None)
@given(legit_paths, st.fractions(0, 1, max_denominator=10))
def test_random_marking_earns_nothing_on_a_legitimate_path_either(path, p):
    """Marking at random with any probability p earns 50 x (1 - 2p) on average for the
    calm part, never more than marking nothing; at p = 1/2, exactly 0."""
    shown = messages(path)
    assume(shown and len(shown) <= 8)
    expected = Fraction(0)
    for chosen in itertools.product((False, True), repeat=len(shown)):
        weight = math.prod(p if marked else 1 - p for marked in chosen)
        r = score_attempt(marked_in_order(path, chosen))
        expected += weight * (1 - 2 * Fraction(r.false_alarms, len(shown)))
    assert expected == 1 - 2 * p


# Rule 5: by_type
@given(paths)
def test_by_type_adds_up_to_the_totals(path):
    """by_type keeps hits and misses per red-flag code, summing to the overall counts."""
    r = score_attempt(path)
    assert set(r.by_type) == {m.flag for m in messages(path) if m.flag}
    assert sum(t.hits for t in r.by_type.values()) == r.hits
    assert sum(t.misses for t in r.by_type.values()) == r.misses


def test_unknown_verdict_is_refused():
    """A verdict other than safe, risky or harmful is an error."""
    with pytest.raises(ValueError):
        score_attempt([StepResult((), "fine")])


# Rule 6: discernment
def test_d_prime_known_values():
    """d'(0.84, 0.16) is about 1.99 and d'(0.5, 0.5) is 0; c(0.84, 0.16) is about 0."""
    assert d_prime(0.84, 0.16) == pytest.approx(1.99, abs=0.01)
    assert d_prime(0.5, 0.5) == 0
    assert criterion(0.84, 0.16) == pytest.approx(0, abs=1e-9)


@given(open_rates, open_rates)
def test_d_prime_is_antisymmetric(h, f):
    """Swapping the two rates flips the sign of d' and keeps c; c is 0 when H = 1 - F."""
    assert d_prime(h, f) == -d_prime(f, h)
    assert criterion(h, f) == pytest.approx(criterion(f, h))
    assert criterion(1 - f, f) == pytest.approx(0, abs=1e-9)  # H = 1 - F: no bias


@pytest.mark.parametrize("rates", [(0.0, 0.5), (1.0, 0.5), (0.5, 0.0), (0.5, 1.0)])
def test_plain_d_prime_needs_rates_strictly_inside_0_1(rates):
    """The plain d' and c are undefined at 0 and 1 and raise ValueError."""
    with pytest.raises(ValueError):
        d_prime(*rates)
    with pytest.raises(ValueError):
        criterion(*rates)


def test_discernment_corrects_perfect_and_empty_counts():
    """Perfect counts (10, 0, 0, 10) still give a finite d' thanks to the log-linear
    correction, above the chance level of (5, 5, 5, 5), which gives d' = 0 and c = 0.
    No answers at all (0, 0, 0, 0) give raw rates 0, and d' = c = 0."""
    perfect, chance = discernment(10, 0, 0, 10), discernment(5, 5, 5, 5)
    assert math.isfinite(perfect.d_prime)
    assert perfect.d_prime == pytest.approx(d_prime(10.5 / 11, 0.5 / 11))
    assert (perfect.hit_rate, perfect.false_alarm_rate, perfect.difference) == (1, 0, 1)
    assert chance.d_prime == 0 and chance.criterion == 0 and chance.difference == 0
    assert perfect.d_prime > chance.d_prime
    empty = discernment(0, 0, 0, 0)
    assert (empty.hit_rate, empty.false_alarm_rate, empty.difference) == (0, 0, 0)
    assert (empty.d_prime, empty.criterion) == (0, 0)


@given(*[st.integers(0, 50)] * 4)
def test_discernment_is_finite_and_rewards_one_more_hit(hits, misses, fas, crs):
    """d' and c are always finite, and turning a miss into a hit raises d'."""
    d = discernment(hits, misses, fas, crs)
    assert math.isfinite(d.d_prime) and math.isfinite(d.criterion)
    assert d.difference == pytest.approx(d.hit_rate - d.false_alarm_rate)
    if misses:
        assert discernment(hits + 1, misses - 1, fas, crs).d_prime > d.d_prime


# Rule 7: group readings with their interval
def pairs_of(changes):
    """Players whose d' moved by the given amounts and c not at all: fake Discernments."""
    before = discernment(5, 5, 3, 7)
    return [(before, replace(before, d_prime=before.d_prime + change)) for change in changes]


def test_the_t_quantile_matches_the_tables():
    """t(0.975) for 9, 24 and 49 degrees of freedom, from the printed tables."""
    assert t_quantile_975(9) == pytest.approx(2.2622, abs=5e-4)
    assert t_quantile_975(24) == pytest.approx(2.0639, abs=5e-4)
    assert t_quantile_975(49) == pytest.approx(2.0096, abs=5e-4)


def test_the_interval_is_a_paired_t_computed_independently():
    changes = [0.5, 1.0, -0.2, 0.8, 0.1, 0.6, 0.3, 0.9, 0.0, 0.4]
    n = len(changes)
    mean = sum(changes) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in changes) / (n - 1))
    interval = paired_interval(changes)
    assert interval.mean == pytest.approx(0.44)
    assert interval.low == pytest.approx(mean - 2.2622 * sd / math.sqrt(n), abs=1e-3)
    assert interval.high == pytest.approx(mean + 2.2622 * sd / math.sqrt(n), abs=1e-3)


@given(st.lists(st.floats(-3, 3), min_size=1, max_size=MIN_GROUP - 1))
def test_below_ten_players_there_is_no_reading(changes):
    """Fewer than 10 players who took both checks: no reading and no interval, and the
    page can say how many more are needed."""
    group = group_change(pairs_of(changes))
    assert group.reading is DiscernmentChange.TOO_FEW
    assert group.d_prime is None and group.criterion is None
    assert group.players_needed == MIN_GROUP - len(changes)


@given(st.lists(st.floats(-3, 3), min_size=MIN_GROUP, max_size=40))
def test_a_reading_only_when_its_interval_leaves_out_zero(changes):
    """From 10 players: more (less) discerning exactly when the d' interval lies above
    (below) 0; otherwise, with c unchanged, can't tell yet."""
    group = group_change(pairs_of(changes))
    d = group.d_prime
    assert d.low <= d.mean <= d.high
    if d.low > 0:
        assert group.reading is DiscernmentChange.MORE_DISCERNING
    elif d.high < 0:
        assert group.reading is DiscernmentChange.LESS_DISCERNING
    else:
        assert group.reading is DiscernmentChange.CANT_TELL


def test_more_suspicious_only_when_d_prime_cannot_tell_and_c_fell():
    """c fell for everyone by about 0.5 while d' moved either way around 0: more
    suspicious. Had d' clearly risen, the reading would be more discerning."""
    base = discernment(5, 5, 3, 7)
    pairs = [
        (
            base,
            replace(
                base,
                d_prime=base.d_prime + (0.3 if i % 2 else -0.3),
                criterion=base.criterion - 0.5 - 0.01 * i,
            ),
        )
        for i in range(12)
    ]
    group = group_change(pairs)
    assert group.d_prime.low < 0 < group.d_prime.high and group.criterion.high < 0
    assert group.reading is DiscernmentChange.MORE_SUSPICIOUS
    rising = [(b, replace(a, d_prime=b.d_prime + 0.5 + 0.01 * i)) for i, (b, a) in enumerate(pairs)]
    assert group_change(rising).reading is DiscernmentChange.MORE_DISCERNING


def test_the_group_averages_each_players_d_prime_rather_than_pooling_answers():
    """Two kinds of player, d' computed per player and averaged: not the d' of the pooled
    counts, which is biased low when players differ."""
    sharp, blunt = discernment(9, 1, 1, 9), discernment(5, 5, 5, 5)
    group = group_change([(sharp, sharp)] * 5 + [(blunt, blunt)] * 5)
    assert group.d_prime_before == pytest.approx((sharp.d_prime + blunt.d_prime) / 2)
    assert group.d_prime_before > discernment(70, 30, 30, 70).d_prime


# Rule 10: the certificate's check
@pytest.mark.parametrize(
    ("size", "needs"), [(20, (15, 3)), (8, (6, 1)), (4, (3, 0)), (40, (30, 6)), (0, (0, 0))]
)
def test_the_after_check_needs_three_quarters_right_and_few_false_alarms(size, needs):
    """15 of 20 right with at most 3 false alarms, scaled as a share for other sizes."""
    assert after_check_needs(size) == needs


@given(st.integers(1, 60), st.data())
def test_passing_the_after_check_is_exactly_the_shares_of_rule_10(size, data):
    right = data.draw(st.integers(0, size))
    false_alarms = data.draw(st.integers(0, size - right))
    passed = after_check_passed(right, false_alarms, size)
    assert passed == (4 * right >= 3 * size and 20 * false_alarms <= 3 * size)
