"""Scoring rule 1 with parts (trainer/scoring.py): a flagged message counts where its flag
sits, its words or its part; an innocent message with a part counts as two innocent ones.
Properties over random steps of random kinds."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from scenarios.content import ChoiceView, MessageView, StepView, VersionContent
from scenarios.message_kinds import KINDS
from trainer.play.answers import AnswerRow
from trainer.play.services import attempt_score

KIND_NAMES = sorted(KINDS)


@st.composite
def messages(draw, start_id: int = 1):
    count = draw(st.integers(min_value=1, max_value=6))
    found = []
    for n in range(count):
        kind = draw(st.sampled_from(KIND_NAMES))
        part = KINDS[kind].part
        needs_words = KINDS[kind].text_required or not part
        text = "words" if needs_words or draw(st.booleans()) else ""
        flag = draw(st.sampled_from([None, "prepayment", "pressure"]))
        on_part = bool(flag and part and (not text or draw(st.booleans())))
        found.append(
            MessageView(start_id + n, f"m{n}", text, flag, "", kind, {}, part if on_part else "")
        )
    return found


def content_of(step_messages: list[MessageView]) -> VersionContent:
    choice = ChoiceView(900, "Go on", "safe", "", "end")
    step = StepView(
        1, "s", "", "", False, "", "sms", "", "", None, tuple(step_messages), (choice,), 1
    )
    end = StepView(2, "end", "", "", False, "", "sms", "safe", "", None, (), (), 0)
    return VersionContent(
        1, 1, "x", "en", 1, True, "", "", "sms", False, 1, "", "", 1, "s", {"s": step, "end": end}
    )


def score(step_messages, words: set[int], parts: set[int]):
    answer = AnswerRow(1, 900, sorted(words), sorted(parts))
    return attempt_score(content_of(step_messages), [answer])


@given(messages(), st.data())
def test_spots_are_counted_each_as_a_message_is(step_messages, data):
    words = {m.id for m in step_messages if m.has_words and data.draw(st.booleans())}
    parts = {m.id for m in step_messages if m.part and data.draw(st.booleans())}
    result = score(step_messages, words, parts)
    # An independent count: every spot, words then part.
    hits = misses = false_alarms = rejections = 0
    for m in step_messages:
        on_part = bool(m.flag and m.part and (m.flag_part or not m.text))
        if m.flag:  # only where the flag sits counts
            spots = [(m.id in (parts if on_part else words), m.flag)]
        else:  # each innocent spot shown
            spots = [(m.id in words, None)] if m.text or not m.part else []
            spots += [(m.id in parts, None)] if m.part else []
        for marked, flag in spots:
            if flag:
                hits += marked
                misses += not marked
            else:
                false_alarms += marked
                rejections += not marked
    assert (result.hits, result.misses) == (hits, misses)
    assert (result.false_alarms, result.correct_rejections) == (false_alarms, rejections)


@given(messages())
def test_pointing_at_exactly_the_clues_scores_full_marks(step_messages):
    words = {m.id for m in step_messages for s in m.spots if s.flag and not s.on_part}
    parts = {m.id for m in step_messages for s in m.spots if s.flag and s.on_part}
    result = score(step_messages, words, parts)
    assert result.false_alarms == 0 and result.misses == 0
    assert result.score == 100


@given(messages())
def test_marking_every_control_spots_nothing_once_an_innocent_spot_was_shown(step_messages):
    words = {m.id for m in step_messages if m.has_words}
    parts = {m.id for m in step_messages if m.part}
    result = score(step_messages, words, parts)
    if result.false_alarms and result.hits:
        assert result.spotting == 0
        assert result.score == 50


@given(messages())
def test_marking_the_words_never_catches_a_flag_on_the_part_nor_raises_an_alarm(step_messages):
    on_parts = [m for m in step_messages if m.flag_on_part]
    words = {m.id for m in on_parts if m.has_words}
    result = score(step_messages, words, set())
    assert result.misses == sum(1 for m in step_messages if m.flag)
    assert result.false_alarms == 0


@given(messages())
def test_without_parts_a_message_is_one_spot_as_before(step_messages):
    plain = [MessageView(m.id, m.key, m.text or "words", m.flag, "", "text") for m in step_messages]
    words = {m.id for m in plain[::2]}
    result = score(plain, words, set())
    flagged = [m for m in plain if m.flag]
    hits = sum(1 for m in flagged if m.id in words)
    false_alarms = sum(1 for m in plain if not m.flag and m.id in words)
    innocent = len(plain) - len(flagged)
    assert (result.hits, result.misses) == (hits, len(flagged) - hits)
    if flagged:
        # Rule 2: hit rate minus false-alarm rate, not floored at 0 (guessing earns nothing).
        expected = Fraction(hits, len(flagged)) - (
            Fraction(false_alarms, innocent) if innocent else 0
        )
        assert result.spotting == float(expected)
