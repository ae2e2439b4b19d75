"""Scoring of one attempt at a scenario, and discernment for the before/after module check.

This module is pure: no Django, no database, standard library only.

Rules
-----
0. Every figure shown to a person is rounded half away from zero ("half up"), from its
   exact value, by round_half_up: a score, a percentage, a mean, d′. Python's round()
   rounds half to even (62.5 -> 62) and is not used for anything shown.

1. Spotting is counted on every message of every step. A message carrying a red flag that
   the player marked as suspicious is a *hit*; left unmarked it is a *miss*. An innocent
   message that the player marked is a *false alarm*; left unmarked it is a *correct
   rejection*. A message may have a part to point at (a link, a sender, a payment request,
   an attachment: scenarios.message_kinds); a red flag sits either in its words or on its
   part (the pack's `flag_part`). A flagged message is a hit only when the spot carrying
   the flag is marked: marking its words when the flag is on its link is a miss (the point
   is to find the clue), though not a false alarm, since the message is suspicious. An
   innocent message with a part counts as two innocent messages, its words and its part.
   A card with no words of its own is its part alone.

2. hit rate = hits / (hits + misses).
   false-alarm rate = false alarms / (false alarms + correct rejections), or 0 when no
   innocent message was shown.
   spotting = hit rate - false-alarm rate, from -1 to 1. It is not floored at 0: a player
   who marks each message at random with any probability p has an expected hit rate of p
   and an expected false-alarm rate of p, so guessing earns 0 on average, the same as
   marking nothing, whenever both kinds of message were shown. (A floor at 0 kept the lucky
   guesses and dropped the unlucky ones, so guessing paid.)
   Flagging nothing gives 0. Flagging every message gives 0 as soon as one innocent message
   was shown. Flagging exactly the red flags gives 1; exactly the innocent ones, -1.
   When the path had no red flag at all (a legitimate scenario), spotting is None.

3. decisions = the mean verdict weight over the steps where a choice was taken:
   safe 1.0, risky 0.5, harmful 0.0. It is None when no choice was taken.

4. score is a whole number from 0 to 100, computed exactly (with fractions):
   - on a path with red flags: the spotting part is 50 x spotting (-50 to 50);
   - on a path without red flags there is nothing to spot, so that part rewards keeping
     calm: 50 x (correct-rejection rate - false-alarm rate) = 50 x (1 - 2 x false-alarm
     rate), from -50 (every genuine message marked) to 50 (none). As with rule 2, marking
     at random earns 0 on average: a legitimate scenario is no place to guess either;
   - the decision part is 50 x decisions (0 to 50); a missing decision counts as 0 while
     the decisions field stays None;
   - each part is rounded half away from zero (rule 0) to spotting_points and
     decision_points, which the result page shows, so what it says adds up;
   - score = their sum (points_total), held to 0..100, and to at most SCAMMED_CEILING when
     the path ended with the player scammed (rule 4a).
   Consequences: with the same choices, flagging exactly the red flags scores exactly 50
   points more than flagging every message (when at least one innocent message was shown,
   and nothing is held); on a legitimate scenario, flagging every message (at least one
   shown) scores at most 0; a false alarm never raises the score and a hit never lowers it.

4a. An ending in which the player was scammed (lost money or data) holds the scenario's
   score to at most SCAMMED_CEILING = 40, whatever was marked: losing money never looks
   like a good result. 40 lies below every module's pass mark above 40 (the built-in
   modules pass at 70), and a module's score is a mean, so a scammed scenario always pulls
   the module's score down.

5. by_type keeps the hits and misses per red-flag code.

6. Discernment (before/after module check) uses signal detection theory with the log-linear
   correction (Hautus 1995), which keeps the values finite for perfect or empty counts:
   H = (hits + 0.5) / (hits + misses + 1)
   F = (false alarms + 0.5) / (false alarms + correct rejections + 1)
   d' = z(H) - z(F)          (sensitivity: 0 means guessing, higher is better)
   c = -(z(H) + z(F)) / 2    (criterion: positive is cautious, negative is trigger-happy)
   where z is the inverse of the standard normal distribution function. The reported
   hit_rate, false_alarm_rate and their difference use the raw, uncorrected rates (a rate is
   0 when its denominator is 0).

7. A change in discernment is read for a group, never for one person. One check of 20
   items moves a player's d' by about half a point per answer, so a player whose skill did
   not change would be read as changed most of the time: a player's page shows what they
   got right before and after and their false alarms, with no reading.
   For a group (the players who took both checks, and only they):
   - each player's d' and c are computed from their own answers (rule 6), then averaged.
     Pooling everyone's answers first biases d' low when players differ;
   - the change is the mean of each player's change (after - before), with a 95 % interval
     by a paired t (mean +- t(0.975, n - 1) x standard deviation / sqrt(n)), the same for c.
     A paired t rather than a bootstrap over players: with 10 to 50 players a percentile
     bootstrap's interval is too narrow (it covers less than 95 %), while the t interval is
     exact for a normal change and close for the sums of bounded changes a check gives; it
     is deterministic (the same answers give the same page) and cheap enough to simulate
     thousands of groups in the test suite (tests/measurement.py);
   - below MIN_GROUP = 10 such players there is no reading at all (*too few*);
   - the d' interval above 0: *more discerning*; below 0: *less discerning*;
   - otherwise, the c interval below 0: *more suspicious* (calls more messages scams; the
     check cannot tell whether they also tell them apart better), above 0: *more trusting*;
   - otherwise *can't tell yet*, with the interval shown.
   tests/test_measurement.py holds the rule to what it must do at the real check size:
   groups of 25 with no change read more or less discerning at most 5 % of the time, and
   a real gain of 0.5 in d' is read in at least 70 % of groups of 25.

8. A module's score is the mean of the scores of the scenarios played in the run, rounded
   half up to a whole number from 0 to 100; None when none was played. The checks before
   and after do not count: they measure discernment, not the module's result. The run
   passes when its score is at least the module's pass mark.

9. A follow-up, weeks after a session, is read against it for the players who linked the
   two with a return code, and only they (the rest are counted apart), as *improved*,
   *no clear change* or *faded*:
   - discernment: each linked player's last check of the session (after its scenarios)
     against their first check of the follow-up (before its own), read by rule 7: more
     discerning is improved, less discerning is faded, anything else no clear change;
     with fewer than MIN_GROUP linked players who took both checks, no reading;
   - a red-flag type: red flags of the type caught out of shown, in each session. Only
     with at least MIN_MESSAGES (10) shown on each side, else *too few to tell*; then the
     change in the share caught, with a 95 % interval (Agresti and Caffo's: one caught and
     one missed added to each side), is improved above 0, faded below 0, else no clear
     change;
   - overall: the discernment reading when there is one; otherwise improved when more
     types improved than faded, faded when more faded than improved, else no clear change;
     no reading when no type has one.
   One player is never read: their figures are shown, side by side.

10. A certificate needs, on the player's first run of the module (a replay plays the same
   scenarios, whose red flags the debrief revealed, so its score does not count; the page
   of a replay says so):
   - the module's score at least its pass mark (rule 8), and
   - when the module has a check, the check after the scenarios passed: at least 3/4 of
     its items right and at most 3/20 of its items false alarms, 15 of 20 right with at
     most 3 false alarms on a check of 20 items. The size is read from the run's own
     items, so the rule holds for any check: on 8 items, 6 right with at most 1 false
     alarm (3/20 of 8 is 1.2). Guessing on a balanced check gets half right on average,
     so a player who passes the scenarios by luck still needs to tell scams apart here.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from statistics import NormalDist, fmean, stdev

VERDICT_WEIGHTS: dict[str, float] = {"safe": 1.0, "risky": 0.5, "harmful": 0.0}


@dataclass(frozen=True)
class MessageMark:
    """One message shown on a step, and whether the player marked it as suspicious."""

    flag: str | None  # red-flag type code of the message, None for an innocent message
    marked: bool  # did the player mark it as suspicious


@dataclass(frozen=True)
class StepResult:
    """Everything the player did on one step."""

    marks: tuple[MessageMark, ...]  # every message shown on the step
    verdict: str | None  # verdict of the choice taken ("safe"/"risky"/"harmful"), None if none


@dataclass(frozen=True)
class TypeTally:
    hits: int
    misses: int


@dataclass(frozen=True)
class AttemptScore:
    hits: int
    misses: int
    false_alarms: int
    correct_rejections: int
    spotting: float | None  # -1..1, None when the path had no red flag
    decisions: float | None  # 0..1, mean verdict weight, None when no decision was taken
    score: int  # 0..100 overall
    by_type: dict[str, TypeTally]  # per red-flag code: hits and misses
    spotting_points: int = 0  # 50 x spotting (or x keeping calm) rounded, -50..50
    decision_points: int = 0  # 50 x decisions rounded, 0..50
    scammed: bool = False  # the path ended with the player scammed (rule 4a)

    @property
    def points_total(self) -> int:
        """The two parts added, before the score is held to 0..100 and by rule 4a."""
        return self.spotting_points + self.decision_points

    @property
    def held(self) -> bool:
        """Whether the score is less than the two parts add up to (rule 4, 4a)."""
        return self.score != self.points_total


@dataclass(frozen=True)
class Discernment:
    hit_rate: float
    false_alarm_rate: float
    difference: float  # hit_rate - false_alarm_rate (raw rates, no correction)
    d_prime: float  # z(H) - z(F) with the log-linear correction
    criterion: float  # c = -(z(H) + z(F)) / 2 with the same correction


def _rate(part: int, whole: int) -> Fraction:
    return Fraction(part, whole) if whole else Fraction(0)


def round_half_up(value: Fraction | Decimal | int | float, places: int = 0) -> int | Decimal:
    """Rounding rule 0, the one every figure a person reads goes through: half away from
    zero, from the value as written (a float is read by its shortest decimal form, so
    0.285 is 0.285, not the binary 0.28499...). 62.5 -> 63, -0.125 to 2 places -> -0.13.
    A whole number (int) when places is 0, else a Decimal with that many places."""
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    scale = 10**places
    magnitude = math.floor(abs(exact) * scale + Fraction(1, 2))
    whole = -magnitude if exact < 0 else magnitude
    if not places:
        return whole
    return Decimal(whole).scaleb(-places)


def percent_of(part: int, whole: int) -> int:
    """part out of whole as a whole percentage, rounded half up; 0 when whole is 0."""
    return round_half_up(Fraction(100 * part, whole)) if whole else 0


def mean_rounded(values: Iterable[int]) -> int | None:
    """The mean of whole numbers, rounded half up; None when there are none."""
    values = list(values)
    return round_half_up(Fraction(sum(values), len(values))) if values else None


def _verdict_weight(verdict: str) -> Fraction:
    if verdict not in VERDICT_WEIGHTS:
        raise ValueError(f"unknown verdict {verdict!r}, expected one of {list(VERDICT_WEIGHTS)}")
    return Fraction(VERDICT_WEIGHTS[verdict])


# Rule 4a: the most a scenario that ended with the player scammed can score.
SCAMMED_CEILING = 40
SCAMMED = "scammed"  # the ending kind of rule 4a (scenarios.models.Ending.SCAMMED)


def score_attempt(steps: Iterable[StepResult], *, ending: str | None = None) -> AttemptScore:
    """Score one attempt from the steps of its path and, once it is finished, the kind of
    ending it reached (rules 1 to 5)."""
    hits_by_type: Counter[str] = Counter()
    misses_by_type: Counter[str] = Counter()
    false_alarms = correct_rejections = 0
    weights: list[Fraction] = []
    for step in steps:
        for mark in step.marks:
            if mark.flag is None:
                false_alarms += mark.marked
                correct_rejections += not mark.marked
            elif mark.marked:
                hits_by_type[mark.flag] += 1
            else:
                misses_by_type[mark.flag] += 1
        if step.verdict is not None:
            weights.append(_verdict_weight(step.verdict))

    hits, misses = hits_by_type.total(), misses_by_type.total()
    false_alarm_rate = _rate(false_alarms, false_alarms + correct_rejections)
    if hits + misses:
        spotting: Fraction | None = _rate(hits, hits + misses) - false_alarm_rate
        flag_half = spotting
    else:
        spotting = None
        flag_half = 1 - 2 * false_alarm_rate
    decisions = sum(weights, Fraction(0)) / len(weights) if weights else None
    spotting_points = round_half_up(50 * flag_half)
    decision_points = round_half_up(50 * (decisions or 0))
    total = spotting_points + decision_points
    scammed = ending == SCAMMED
    score = min(max(total, 0), SCAMMED_CEILING if scammed else 100)

    return AttemptScore(
        hits=hits,
        misses=misses,
        false_alarms=false_alarms,
        correct_rejections=correct_rejections,
        spotting=None if spotting is None else float(spotting),
        decisions=None if decisions is None else float(decisions),
        score=score,
        by_type={
            code: TypeTally(hits=hits_by_type[code], misses=misses_by_type[code])
            for code in sorted(hits_by_type.keys() | misses_by_type.keys())
        },
        spotting_points=spotting_points,
        decision_points=decision_points,
        scammed=scammed,
    )


def _z(rate: float) -> float:
    if not 0.0 < rate < 1.0:
        raise ValueError(f"a rate must lie strictly between 0 and 1, got {rate!r}")
    return NormalDist().inv_cdf(rate)


def d_prime(hit_rate: float, false_alarm_rate: float) -> float:
    """Plain sensitivity z(H) - z(F); both rates strictly between 0 and 1."""
    return _z(hit_rate) - _z(false_alarm_rate)


def criterion(hit_rate: float, false_alarm_rate: float) -> float:
    """Plain criterion c = -(z(H) + z(F)) / 2; both rates strictly between 0 and 1."""
    return -(_z(hit_rate) + _z(false_alarm_rate)) / 2


def discernment(hits: int, misses: int, false_alarms: int, correct_rejections: int) -> Discernment:
    """Raw rates and log-linear-corrected d' and c for one set of counts (rule 6)."""
    if min(hits, misses, false_alarms, correct_rejections) < 0:
        raise ValueError("counts must not be negative")
    hit_rate = float(_rate(hits, hits + misses))
    false_alarm_rate = float(_rate(false_alarms, false_alarms + correct_rejections))
    corrected_hit_rate = (hits + 0.5) / (hits + misses + 1)
    corrected_false_alarm_rate = (false_alarms + 0.5) / (false_alarms + correct_rejections + 1)
    return Discernment(
        hit_rate=hit_rate,
        false_alarm_rate=false_alarm_rate,
        difference=hit_rate - false_alarm_rate,
        d_prime=d_prime(corrected_hit_rate, corrected_false_alarm_rate),
        criterion=criterion(corrected_hit_rate, corrected_false_alarm_rate),
    )


# Rule 7: no group reading below this many players who took both checks.
MIN_GROUP = 10


@dataclass(frozen=True)
class Interval:
    """A mean change with its 95 % interval."""

    mean: float
    low: float
    high: float

    @property
    def above_zero(self) -> bool:
        return self.low > 0

    @property
    def below_zero(self) -> bool:
        return self.high < 0


def t_quantile_975(df: int) -> float:
    """The 0.975 quantile of Student's t with df degrees of freedom (df >= 1), by the
    Cornish-Fisher expansion in 1/df (Abramowitz and Stegun 26.7.5): within 0.001 of the
    tables from df = 5 on; rule 7 uses it from df = 9."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df!r}")
    z = NormalDist().inv_cdf(0.975)
    v = df
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


def paired_interval(changes: Sequence[float]) -> Interval:
    """The mean of the changes with its 95 % paired-t interval (rule 7); two at least."""
    n = len(changes)
    if n < 2:
        raise ValueError("an interval needs at least two changes")
    mean = fmean(changes)
    half = t_quantile_975(n - 1) * stdev(changes, mean) / math.sqrt(n)
    return Interval(mean, mean - half, mean + half)


class DiscernmentChange(StrEnum):
    MORE_DISCERNING = "more_discerning"
    LESS_DISCERNING = "less_discerning"
    MORE_SUSPICIOUS = "more_suspicious"
    MORE_TRUSTING = "more_trusting"
    CANT_TELL = "cant_tell"
    TOO_FEW = "too_few"


@dataclass(frozen=True)
class GroupChange:
    """A group's discernment at two checks, read by rule 7."""

    players: int
    d_prime_before: float | None  # mean of the players' d', None without players
    d_prime_after: float | None
    criterion_before: float | None
    criterion_after: float | None
    d_prime: Interval | None  # the change; None below MIN_GROUP players
    criterion: Interval | None
    reading: DiscernmentChange

    @property
    def players_needed(self) -> int:
        """How many more players a reading needs."""
        return max(0, MIN_GROUP - self.players)


def group_change(pairs: Sequence[tuple[Discernment, Discernment]]) -> GroupChange:
    """Rule 7: the group's change from each player's (before, after) discernment."""
    n = len(pairs)

    def mean(values: list[float]) -> float | None:
        return fmean(values) if values else None

    d_before = [before.d_prime for before, _after in pairs]
    d_after = [after.d_prime for _before, after in pairs]
    c_before = [before.criterion for before, _after in pairs]
    c_after = [after.criterion for _before, after in pairs]
    d_interval = c_interval = None
    reading = DiscernmentChange.TOO_FEW
    if n >= MIN_GROUP:
        d_interval = paired_interval([a - b for b, a in zip(d_before, d_after, strict=True)])
        c_interval = paired_interval([a - b for b, a in zip(c_before, c_after, strict=True)])
        reading = _reading(d_interval, c_interval)
    return GroupChange(
        players=n,
        d_prime_before=mean(d_before),
        d_prime_after=mean(d_after),
        criterion_before=mean(c_before),
        criterion_after=mean(c_after),
        d_prime=d_interval,
        criterion=c_interval,
        reading=reading,
    )


def _reading(d_interval: Interval, c_interval: Interval) -> DiscernmentChange:
    if d_interval.above_zero:
        return DiscernmentChange.MORE_DISCERNING
    if d_interval.below_zero:
        return DiscernmentChange.LESS_DISCERNING
    if c_interval.below_zero:
        return DiscernmentChange.MORE_SUSPICIOUS
    if c_interval.above_zero:
        return DiscernmentChange.MORE_TRUSTING
    return DiscernmentChange.CANT_TELL


def module_score(scenario_scores: Iterable[int]) -> int | None:
    """The score of a module run from the scores of its scenarios (rule 8)."""
    scores = list(scenario_scores)
    if not scores:
        return None
    if any(not 0 <= score <= 100 for score in scores):
        raise ValueError(f"scenario scores must lie between 0 and 100, got {scores!r}")
    return round_half_up(Fraction(sum(scores), len(scores)))


# Rule 10: the share of the after-check to get right, and of false alarms allowed at most.
CHECK_RIGHT_SHARE = Fraction(3, 4)
CHECK_FALSE_ALARM_SHARE = Fraction(3, 20)


def after_check_needs(size: int) -> tuple[int, int]:
    """Rule 10 for a check of `size` items: (right answers needed, false alarms allowed)."""
    return math.ceil(CHECK_RIGHT_SHARE * size), math.floor(CHECK_FALSE_ALARM_SHARE * size)


def after_check_passed(right: int, false_alarms: int, size: int) -> bool:
    """Whether the check after the scenarios earns its part of a certificate (rule 10)."""
    needed, allowed = after_check_needs(size)
    return right >= needed and false_alarms <= allowed


def module_passed(score: int | None, pass_mark: int) -> bool:
    """Whether a module score earns a certificate (rule 8)."""
    return score is not None and score >= pass_mark


# Rule 9: no reading of a red-flag type with fewer messages than this on either side.
MIN_MESSAGES = 10


class Retention(StrEnum):
    IMPROVED = "improved"
    KEPT = "kept"  # no clear change: the interval includes 0
    FADED = "faded"
    TOO_FEW = "too_few"  # of a red-flag type: fewer than MIN_MESSAGES on a side


_RETENTION_OF_CHANGE = {
    DiscernmentChange.MORE_DISCERNING: Retention.IMPROVED,
    DiscernmentChange.LESS_DISCERNING: Retention.FADED,
}


def retention_of_discernment(change: DiscernmentChange) -> Retention | None:
    """Rule 9, discernment: rule 7's group reading as improved, faded or no clear change;
    None with too few linked players."""
    if change == DiscernmentChange.TOO_FEW:
        return None
    return _RETENTION_OF_CHANGE.get(change, Retention.KEPT)


def share_change_interval(earlier: tuple[int, int], later: tuple[int, int]) -> Interval:
    """The change of a share caught, later - earlier, with Agresti and Caffo's 95 %
    interval (one caught and one missed added to each side)."""
    z = NormalDist().inv_cdf(0.975)
    p1 = (earlier[0] + 1) / (earlier[1] + 2)
    p2 = (later[0] + 1) / (later[1] + 2)
    half = z * math.sqrt(p1 * (1 - p1) / (earlier[1] + 2) + p2 * (1 - p2) / (later[1] + 2))
    raw = later[0] / later[1] - earlier[0] / earlier[1] if earlier[1] and later[1] else p2 - p1
    return Interval(raw, p2 - p1 - half, p2 - p1 + half)


def retention_of_share(earlier: tuple[int, int], later: tuple[int, int]) -> Retention | None:
    """Rule 9, one red-flag type: from (caught, shown) in the session to (caught, shown) in
    its follow-up; None when either showed none, too few under MIN_MESSAGES on a side."""
    if not (0 <= earlier[0] <= earlier[1] and 0 <= later[0] <= later[1]):
        raise ValueError(f"not a share caught of shown: {earlier!r}, {later!r}")
    if not earlier[1] or not later[1]:
        return None
    if earlier[1] < MIN_MESSAGES or later[1] < MIN_MESSAGES:
        return Retention.TOO_FEW
    interval = share_change_interval(earlier, later)
    if interval.above_zero:
        return Retention.IMPROVED
    if interval.below_zero:
        return Retention.FADED
    return Retention.KEPT


def retention_overall(
    discernment: Retention | None, types: Iterable[Retention | None]
) -> Retention | None:
    """Rule 9, overall: the discernment reading, else the types' readings weighed."""
    if discernment is not None:
        return discernment
    readings = Counter(reading for reading in types if reading not in (None, Retention.TOO_FEW))
    if not readings:
        return None
    balance = readings[Retention.IMPROVED] - readings[Retention.FADED]
    return Retention.IMPROVED if balance > 0 else Retention.FADED if balance < 0 else Retention.KEPT
