"""Scoring of one attempt at a scenario, and discernment for the before/after module check.

This module is pure: no Django, no database, standard library only.

Rules
-----
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
   spotting = max(0, hit rate - false-alarm rate).
   Flagging nothing gives 0. Flagging every message gives 0 as soon as one innocent message
   was shown. Flagging exactly the red flags gives 1.
   When the path had no red flag at all (a legitimate scenario), spotting is None.

3. decisions = the mean verdict weight over the steps where a choice was taken:
   safe 1.0, risky 0.5, harmful 0.0. It is None when no choice was taken.

4. score is a whole number from 0 to 100, rounded half up (computed exactly, with fractions):
   - on a path with red flags: 50 x spotting + 50 x decisions;
   - on a path without red flags there is nothing to spot, so the flag half rewards keeping
     calm: 50 x (1 - false-alarm rate) + 50 x decisions.
   A missing decision counts as 0 in the score, while the decisions field stays None.
   Consequences: with the same choices, flagging exactly the red flags scores exactly 50
   points more than flagging every message (when at least one innocent message was shown);
   on a legitimate scenario, flagging every message (at least one shown) scores at most 50;
   a false alarm never raises the score and a hit never lowers it.

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

7. A change in discernment from one check to a later one is read in plain words:
   - d' rose by at least 0.3: *more discerning* (better at telling scams from genuine
     messages), whatever happened to c;
   - d' fell by at least 0.3: *less discerning*;
   - otherwise, c fell by at least 0.3: *more suspicious* (calls more messages scams
     without telling them apart better); c rose by at least 0.3: *more trusting*;
   - otherwise *unchanged*.
   0.3 is about a third of the d' a single extra correct answer moves on a short check, so
   one lucky guess alone does not read as learning.

8. A module's score is the mean of the scores of the scenarios played in the run, rounded
   half up to a whole number from 0 to 100; None when none was played. The checks before
   and after do not count: they measure discernment, not the module's result. The run
   passes when its score is at least the module's pass mark.

9. A follow-up, weeks after a session, is read against it, for the group and for each
   player who linked the two, as *improved*, *kept* or *faded*:
   - discernment: from the session's last check (after its scenarios) to the follow-up's
     first check (before its own), read by rule 7: more discerning is improved, less
     discerning is faded; unchanged, more suspicious and more trusting are kept, since
     calling more (or fewer) messages scams is no gain (or loss) in telling them apart;
   - a red-flag type: the share of its red flags caught (caught / shown) rose by at least
     0.15: improved; fell by at least 0.15: faded; otherwise kept. No reading when either
     session showed no red flag of the type;
   - overall: the discernment reading when both sessions had a check; otherwise improved
     when more types improved than faded, faded when more faded than improved, else kept;
     no reading when no type has one.
   0.15 (about one red flag in seven) is what different stories alone can move a group's
   share; one player sees few flags of a type, so one more or fewer caught crosses it.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from statistics import NormalDist

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
    spotting: float | None  # 0..1, None when the path had no red flag
    decisions: float | None  # 0..1, mean verdict weight, None when no decision was taken
    score: int  # 0..100 overall
    by_type: dict[str, TypeTally]  # per red-flag code: hits and misses


@dataclass(frozen=True)
class Discernment:
    hit_rate: float
    false_alarm_rate: float
    difference: float  # hit_rate - false_alarm_rate (raw rates, no correction)
    d_prime: float  # z(H) - z(F) with the log-linear correction
    criterion: float  # c = -(z(H) + z(F)) / 2 with the same correction


def _rate(part: int, whole: int) -> Fraction:
    return Fraction(part, whole) if whole else Fraction(0)


def _round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _verdict_weight(verdict: str) -> Fraction:
    if verdict not in VERDICT_WEIGHTS:
        raise ValueError(f"unknown verdict {verdict!r}, expected one of {list(VERDICT_WEIGHTS)}")
    return Fraction(VERDICT_WEIGHTS[verdict])


def score_attempt(steps: Iterable[StepResult]) -> AttemptScore:
    """Score one attempt from the steps of its path (rules 1 to 5)."""
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
        spotting: Fraction | None = max(Fraction(0), _rate(hits, hits + misses) - false_alarm_rate)
        flag_half = spotting
    else:
        spotting = None
        flag_half = 1 - false_alarm_rate
    decisions = sum(weights, Fraction(0)) / len(weights) if weights else None
    score = _round_half_up(50 * flag_half + 50 * (decisions or 0))

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


# Rule 7: the smallest change of d' or c that is read as a change at all.
CHANGE_THRESHOLD = 0.3


class DiscernmentChange(StrEnum):
    MORE_DISCERNING = "more_discerning"
    LESS_DISCERNING = "less_discerning"
    MORE_SUSPICIOUS = "more_suspicious"
    MORE_TRUSTING = "more_trusting"
    UNCHANGED = "unchanged"


def discernment_change(before: Discernment, after: Discernment) -> DiscernmentChange:
    """Read the change from one check to a later one (rule 7)."""
    sensitivity = after.d_prime - before.d_prime
    bias = after.criterion - before.criterion
    if sensitivity >= CHANGE_THRESHOLD:
        return DiscernmentChange.MORE_DISCERNING
    if sensitivity <= -CHANGE_THRESHOLD:
        return DiscernmentChange.LESS_DISCERNING
    if bias <= -CHANGE_THRESHOLD:
        return DiscernmentChange.MORE_SUSPICIOUS
    if bias >= CHANGE_THRESHOLD:
        return DiscernmentChange.MORE_TRUSTING
    return DiscernmentChange.UNCHANGED


def module_score(scenario_scores: Iterable[int]) -> int | None:
    """The score of a module run from the scores of its scenarios (rule 8)."""
    scores = list(scenario_scores)
    if not scores:
        return None
    if any(not 0 <= score <= 100 for score in scores):
        raise ValueError(f"scenario scores must lie between 0 and 100, got {scores!r}")
    return _round_half_up(Fraction(sum(scores), len(scores)))


def module_passed(score: int | None, pass_mark: int) -> bool:
    """Whether a module score earns a certificate (rule 8)."""
    return score is not None and score >= pass_mark


# Rule 9: the smallest change of a share of red flags caught that is read as a change.
RATE_CHANGE_THRESHOLD = Fraction(15, 100)


class Retention(StrEnum):
    IMPROVED = "improved"
    KEPT = "kept"
    FADED = "faded"


_RETENTION_OF_CHANGE = {
    DiscernmentChange.MORE_DISCERNING: Retention.IMPROVED,
    DiscernmentChange.LESS_DISCERNING: Retention.FADED,
}


def retention_of_discernment(change: DiscernmentChange) -> Retention:
    """Rule 9, discernment: rule 7's reading of the change, as kept, faded or improved."""
    return _RETENTION_OF_CHANGE.get(change, Retention.KEPT)


def retention_of_share(earlier: tuple[int, int], later: tuple[int, int]) -> Retention | None:
    """Rule 9, one red-flag type: from (caught, shown) in the session to (caught, shown) in
    its follow-up; None when either showed none."""
    if not (0 <= earlier[0] <= earlier[1] and 0 <= later[0] <= later[1]):
        raise ValueError(f"not a share caught of shown: {earlier!r}, {later!r}")
    if not earlier[1] or not later[1]:
        return None
    change = Fraction(later[0], later[1]) - Fraction(earlier[0], earlier[1])
    if change >= RATE_CHANGE_THRESHOLD:
        return Retention.IMPROVED
    if change <= -RATE_CHANGE_THRESHOLD:
        return Retention.FADED
    return Retention.KEPT


def retention_overall(
    discernment: Retention | None, types: Iterable[Retention | None]
) -> Retention | None:
    """Rule 9, overall: the discernment reading, else the types' readings weighed."""
    if discernment is not None:
        return discernment
    readings = Counter(reading for reading in types if reading is not None)
    if not readings:
        return None
    balance = readings[Retention.IMPROVED] - readings[Retention.FADED]
    return Retention.IMPROVED if balance > 0 else Retention.FADED if balance < 0 else Retention.KEPT
