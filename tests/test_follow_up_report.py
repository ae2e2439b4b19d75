"""A session is played, then its follow-up weeks later with linked and unlinked players:
the follow-up report's figures, for the group and per linked player, are checked against
values worked out by hand here from the answers given.

Kinds of red flag: "prepayment" (P) and "urgency" (U). The earlier session's last check
and the follow-up's first check are the ones compared (trainer.scoring rule 9); the other
phase of each is answered too, differently, so reading the wrong one would show.
"""

from statistics import NormalDist

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import build_scenario
from tests.follow_up_factories import (
    check_answers,
    join_follow_up,
    player_key_of,
    pool_module,
    shown_return_code,
)
from tests.session_factories import facilitator, join, new_session, play, start_scenario
from trainer import scoring
from trainer.sessions.follow_up import follow_up_report
from trainer.sessions.return_codes import code_words, parse
from trainer.sessions.services import session_close

pytestmark = pytest.mark.django_db

z = NormalDist().inv_cdf
# Each check: two scams of each kind and four genuine messages; before and after apart, as
# a run never shows an item twice.
KINDS = {"p1": "prepayment", "p2": "prepayment", "u1": "urgency", "u2": "urgency"}
KINDS |= {"g1": None, "g2": None, "g3": None, "g4": None}
POOL = {f"{phase}-{key}": code for phase in ("before", "after") for key, code in KINDS.items()}


def by_hand(hits: int, misses: int, false_alarms: int, correct: int) -> tuple[float, float]:
    """d′ and c with the log-linear correction, written out."""
    hit_rate = (hits + 0.5) / (hits + misses + 1)
    false_alarm_rate = (false_alarms + 0.5) / (false_alarms + correct + 1)
    return z(hit_rate) - z(false_alarm_rate), -(z(hit_rate) + z(false_alarm_rate)) / 2


def answers(phase: str, caught: set[str], false_alarms: set[str]) -> dict[str, bool]:
    """A check's answers: the scams in `caught` called scams, the genuine ones in
    `false_alarms` called scams, every other item called genuine."""
    return {f"{phase}-{key}": key in caught | false_alarms for key in KINDS}


ALL_WRONG = answers("before", set(), {"g1", "g2", "g3", "g4"})


@pytest.fixture
def played():
    """The earlier session (module of A: 3 scenes of P, and B: 2 scenes of U), played:
    - Айгүл catches every red flag, then calls every scam of the last check a scam and
      nothing genuine;
    - Бекзат is scammed on A's first step marking nothing, marks only innocent messages in
      B; last check: both P scams caught, no U scam, two genuine messages called scams;
    - Sam plays A well and stops: no B, no last check, so no return code.
    The follow-up (module of C: 2 scenes of P, and D: 1 scene of U), weeks later:
    - Aigul types Айгүл's code: C all caught, D's red flag missed; first check: P1, P2, U1
      caught, one genuine message called a scam;
    - Бекзат types his code in English words: every red flag and every check item right;
    - Dana is new (no code): C with nothing marked, no D; calls everything genuine.
    - Someone types a wrong code, is told so, and joins without it as Erlan; plays nothing.
    """
    a = build_scenario(slug="a-phone", title="A", scenes=3, flag="prepayment")
    b = build_scenario(slug="b-boss", title="B", scenes=2, flag="urgency")
    first = new_session(
        scenarios=[a, b], module=pool_module("first", [a, b], POOL), title="Class 9B"
    )
    clients = {name: Client() for name in ("Айгүл", "Бекзат", "Sam")}
    for name, client in clients.items():
        join(client, first, name)
        check_answers(first, player_key_of(client), {"before": ALL_WRONG})
    aigul, bekzat, sam = clients.values()
    play(aigul, start_scenario(aigul, first, 1))
    play(aigul, start_scenario(aigul, first, 2))
    play(bekzat, start_scenario(bekzat, first, 1), choice_order=1, mark_flags=None)
    play(bekzat, start_scenario(bekzat, first, 2), mark_flags=False)
    play(sam, start_scenario(sam, first, 1))
    check_answers(
        first, player_key_of(aigul), {"after": answers("after", {"p1", "p2", "u1", "u2"}, set())}
    )
    check_answers(
        first, player_key_of(bekzat), {"after": answers("after", {"p1", "p2"}, {"g1", "g2"})}
    )
    codes = {name: shown_return_code(c, first) for name, c in clients.items()}
    session_close(session=first)

    c = build_scenario(slug="c-shop", title="C", scenes=2, flag="prepayment")
    d = build_scenario(slug="d-call", title="D", scenes=1, flag="urgency")
    pool = {f"second-{key}": code for key, code in POOL.items()}
    second = new_session(
        scenarios=[c, d],
        module=pool_module("second", [c, d], pool),
        title="Class 9B, a month on",
    )
    second.follow_up_of = first
    second.save(update_fields=["follow_up_of"])
    later = {name: Client() for name in ("Aigul", "Бекзат", "Dana", "Erlan")}
    kazakh_words = " ".join(codes["Айгүл"]).upper()
    assert join_follow_up(later["Aigul"], second, "Aigul", kazakh_words).status_code == 303
    english = code_words(parse(" ".join(codes["Бекзат"])), "en")
    assert join_follow_up(later["Бекзат"], second, "Бекзат", english).status_code == 303
    assert join_follow_up(later["Dana"], second, "Dana").status_code == 303
    wrong = join_follow_up(later["Erlan"], second, "Erlan", "horse dog cat bird")
    assert "No player of the earlier session was given this return code" in wrong.content.decode()
    assert join_follow_up(later["Erlan"], second, "Erlan").status_code == 303

    aigul, bekzat, dana = later["Aigul"], later["Бекзат"], later["Dana"]

    def second_answers(phase: str, caught: set[str], false_alarms: set[str]):
        said = answers(phase, caught, false_alarms)
        return {f"second-{key}": said_scam for key, said_scam in said.items()}

    for name, first_check in (
        ("Aigul", second_answers("before", {"p1", "p2", "u1"}, {"g1"})),
        ("Бекзат", second_answers("before", {"p1", "p2", "u1", "u2"}, set())),
        ("Dana", second_answers("before", set(), set())),
    ):
        check_answers(second, player_key_of(later[name]), {"before": first_check})
    play(aigul, start_scenario(aigul, second, 1))
    play(aigul, start_scenario(aigul, second, 2), mark_flags=None)
    play(bekzat, start_scenario(bekzat, second, 1))
    play(bekzat, start_scenario(bekzat, second, 2))
    play(dana, start_scenario(dana, second, 1), mark_flags=None)
    everything = second_answers("after", {"p1", "p2", "u1", "u2"}, {"g1", "g2", "g3", "g4"})
    for name in ("Aigul", "Бекзат", "Dana"):
        check_answers(second, player_key_of(later[name]), {"after": everything})
    return first, second, codes


def test_only_players_who_finished_everything_got_a_return_code(played):
    first, second, codes = played
    assert len(codes["Айгүл"]) == len(codes["Бекзат"]) == 4
    assert codes["Sam"] == []  # no B, no last check
    linked = dict(second.players.values_list("nickname", "returning_from__nickname"))
    assert linked == {"Aigul": "Айгүл", "Бекзат": "Бекзат", "Dana": None, "Erlan": None}


def test_only_the_linked_players_are_compared_and_two_are_too_few_for_a_reading(played):
    first, second, _ = played
    report = follow_up_report(second, first)
    group = report.group
    assert (report.earlier_players, report.players, report.linked) == (3, 4, 2)
    assert (report.unlinked_earlier, report.unlinked, report.linked_with_checks) == (1, 2, 2)
    # Linked: Айгүл's last check all right (4, 0, 0, 4), then as Aigul (3, 1, 1, 3);
    # Бекзат's (2, 2, 2, 2), then all right. Dana, Erlan and Sam are left out.
    change = group.change
    assert change.players == 2
    assert change.d_prime_before == pytest.approx(
        (by_hand(4, 0, 0, 4)[0] + by_hand(2, 2, 2, 2)[0]) / 2
    )
    assert change.d_prime_after == pytest.approx(
        (by_hand(3, 1, 1, 3)[0] + by_hand(4, 0, 0, 4)[0]) / 2
    )
    assert change.criterion_after == pytest.approx(by_hand(3, 1, 1, 3)[1] / 2)
    assert change.reading == scoring.DiscernmentChange.TOO_FEW and change.d_prime is None
    assert group.reading is None  # no reading from the check, none from too few flags


def test_the_linked_players_red_flag_types_pool_the_scenarios_and_the_check(played):
    first, second, _ = played
    types = {row.code: row for row in follow_up_report(second, first).group.types}
    assert list(types) == ["prepayment", "urgency"]
    p, u = types["prepayment"], types["urgency"]
    # P earlier: scenarios Айгүл 3/3, Бекзат 0/1 (scammed on the first step); last check
    # Айгүл 2/2, Бекзат 2/2. Follow-up: C Aigul 2/2, Бекзат 2/2; first check 2/2, 2/2.
    assert (p.earlier_scenarios.count, p.earlier_scenarios.of) == (3, 4)
    assert (p.earlier_check.count, p.earlier_check.of) == (4, 4)
    assert (p.earlier.count, p.earlier.of) == (7, 8)
    assert (p.later.count, p.later.of) == (8, 8)
    # U earlier: B Айгүл 2/2, Бекзат 0/2; last check 2/2, 0/2. Follow-up: D Aigul 0/1,
    # Бекзат 1/1; first check Aigul 1/2, Бекзат 2/2.
    assert (u.earlier.count, u.earlier.of) == (4, 8)
    assert (u.later_scenarios.count, u.later_scenarios.of) == (1, 2)
    assert (u.later_check.count, u.later_check.of) == (3, 4)
    # Fewer than 10 red flags on a side: too few to tell.
    assert p.reading == u.reading == scoring.Retention.TOO_FEW


def test_each_linked_player_is_shown_beside_their_earlier_self_without_a_reading(played):
    first, second, _ = played
    rows = {row.nickname: row for row in follow_up_report(second, first).rows}
    assert list(rows) == ["Aigul", "Бекзат"]  # Dana and Erlan did not link
    aigul, bekzat = rows["Aigul"], rows["Бекзат"]
    assert aigul.earlier_nickname == "Айгүл"
    assert (aigul.earlier_check.right, aigul.later_check.right) == (8, 6)
    assert (aigul.earlier_check.false_alarms, aigul.later_check.false_alarms) == (0, 1)
    assert (bekzat.earlier_check.right, bekzat.later_check.right) == (4, 8)
    types = {row.code: row for row in aigul.types}
    assert (types["urgency"].earlier.count, types["urgency"].earlier.of) == (4, 4)
    assert (types["urgency"].later.count, types["urgency"].later.of) == (1, 3)


def test_the_report_page_shows_the_figures_and_no_reading_from_too_few(played):
    first, second, _ = played
    client = Client()
    client.force_login(facilitator("alice"))
    response = client.get(reverse("facilitator:follow_up_report", args=[second.id]))
    html = " ".join(response.content.decode().split())
    assert "Follow-up report: Class 9B, a month on" in html
    assert "3 then, 4 now, 2 linked" in html
    assert "Only players who typed their return code are compared (2)" in html
    assert "whom nobody linked to (1)" in html and "without a return code (2)" in html
    assert "8 more players are needed" in html
    d_before = (by_hand(4, 0, 0, 4)[0] + by_hand(2, 2, 2, 2)[0]) / 2
    d_after = (by_hand(3, 1, 1, 3)[0] + by_hand(4, 0, 0, 4)[0]) / 2
    assert f"<td>{d_before:.2f}</td><td>{d_after:.2f}</td>" in html
    assert "earlier: 88% (7 of 8)" in html and "now: 100% (8 of 8)" in html  # P
    assert html.count("Too few to tell") == 2
    assert "Айгүл, now Aigul" in html and "<h3>Бекзат</h3>" in html
    assert "8 of 8 → 6 of 8" in html and "4 of 8 → 8 of 8" in html
    assert "Improved" not in html and "Faded" not in html and "discerning" not in html
    assert "Dana" not in html and "Erlan" not in html and "Sam" not in html
    ru = client.get(
        reverse("facilitator:follow_up_report", args=[second.id]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert f"<td>{d_before:.2f}</td>".replace(".", ",") in ru.content.decode()


def test_a_group_read_improved_is_read_over_the_returning_players_only():
    """The issue's case: the sessions' whole groups differ (new, weaker players earlier),
    while twelve returning players are unchanged: no reading of improvement."""
    from trainer.sessions.follow_up import Tally, compare

    def tally(hits, false_alarms, size=10):
        t = Tally()
        t.check.update(
            hits=hits,
            misses=size - hits,
            false_alarms=false_alarms,
            correct_rejections=size - false_alarms,
        )
        return t

    steady = [(tally(7, 3), tally(7, 3)), (tally(8, 2), tally(7, 2)), (tally(6, 3), tally(7, 3))]
    comparison = compare(steady * 4, {})
    assert comparison.change.players == 12
    assert comparison.change.d_prime.low < 0 < comparison.change.d_prime.high
    assert comparison.reading == scoring.Retention.KEPT
    learnt = [(tally(5, 5), tally(9, 1)), (tally(6, 4), tally(8, 1)), (tally(5, 4), tally(9, 2))]
    assert compare(learnt * 4, {}).reading == scoring.Retention.IMPROVED
