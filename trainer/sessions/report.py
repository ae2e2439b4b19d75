"""A session's report: per player, per scenario, per red-flag type, and the group's
discernment before and after the module's check.

A fixed number of queries whatever the size of the group: the scenarios, the players, the
attempts, their answers and the check answers, each read once; the scoring is
trainer.scoring's, on the same answers the players' debriefs were built from.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from scenarios.content import flag_types, version_content
from trainer.models import Attempt, Certificate, StepAnswer, TrainingSession
from trainer.play.answers import answers_by_attempt
from trainer.play.services import attempt_score
from trainer.scoring import mean_rounded
from trainer.sessions.check import CheckReport, PlayerCheck, check_report, player_checks
from trainer.sessions.group import EndingShare, Share, ending_shares

FINISHED, PLAYING, NOT_STARTED = "finished", "playing", "not_started"


@dataclass(frozen=True)
class PlayerScenario:
    """One player at one scenario: a row of the CSV."""

    nickname: str
    number: int
    title: str
    status: str  # FINISHED, PLAYING or NOT_STARTED
    steps_answered: int
    ending: str  # the ending's kind once finished, else ""
    score: int | None  # once finished
    hits: int
    misses: int
    false_alarms: int
    decisions: float | None
    finished_at: datetime | None


@dataclass(frozen=True)
class PlayerSummary:
    nickname: str
    finished: int
    mean_score: int | None
    hits: int
    misses: int
    false_alarms: int
    scores: list[int | None]  # per scenario in order; None where not finished
    certificate: bool = False  # earned one for the session's module
    check: PlayerCheck | None = None  # the module's check before and after; None untaken


@dataclass(frozen=True)
class ScenarioSummary:
    number: int
    title: str
    started: int
    finished: int
    mean_score: int | None
    endings: list[EndingShare]
    caught: Share  # red flags marked, out of red flags shown


@dataclass(frozen=True)
class FlagSummary:
    code: str
    name: str
    caught: Share  # hits out of hits + misses


@dataclass(frozen=True)
class Report:
    session: TrainingSession
    titles: list[str]  # the scenarios' titles in order
    players: list[PlayerSummary]
    cells: list[PlayerScenario]
    scenarios: list[ScenarioSummary]
    flags: list[FlagSummary]
    check: CheckReport | None  # the group's reading: players who took both checks only

    @property
    def cell_players(self) -> list[PlayerSummary]:
        """Beside `cells`: each row's player."""
        return [player for player in self.players for _title in self.titles]

    @property
    def certificates(self) -> int:
        return sum(player.certificate for player in self.players)


def session_report(session: TrainingSession) -> Report:
    entries = list(session.entries.select_related("version").order_by("number"))
    players = list(
        session.players.order_by("joined_at", "id").values_list("player_key", "nickname")
    )
    attempts = {(a.player_key, a.scenario_id): a for a in Attempt.objects.filter(session=session)}
    answers = answers_by_attempt(StepAnswer.objects.filter(attempt__session=session))

    cells, by_type = [], defaultdict(Counter)
    for key, nickname in players:
        for entry in entries:
            attempt = attempts.get((key, entry.scenario_id))
            cell = _cell(nickname, entry, attempt, answers, by_type)
            cells.append(cell)
    types = flag_types(by_type) if by_type else {}
    flags = [
        FlagSummary(
            code,
            # In the facilitator's language: the report is theirs.
            types[code].name_in() if code in types else code,
            Share(tally["hits"], tally["hits"] + tally["misses"]),
        )
        for code, tally in sorted(by_type.items())
    ]
    certified = set(
        Certificate.objects.filter(run__session=session).values_list("run__player_key", flat=True)
    )
    checks = player_checks(session)
    summaries = [
        replace(summary, certificate=key in certified, check=checks.get(key))
        for summary, (key, _nickname) in zip(_players(cells, len(entries)), players, strict=False)
    ]
    return Report(
        session=session,
        titles=[entry.version.title for entry in entries],
        players=summaries,
        cells=cells,
        scenarios=[_scenario_summary(entry, cells) for entry in entries],
        flags=flags,
        check=check_report(checks),
    )


def _cell(nickname, entry, attempt: Attempt | None, answers, by_type) -> PlayerScenario:
    title = entry.version.title
    if attempt is None:
        return PlayerScenario(
            nickname, entry.number, title, NOT_STARTED, 0, "", None, 0, 0, 0, None, None
        )
    content = version_content(attempt.version_id)
    rows = answers.get(attempt.id, [])
    score = attempt_score(content, rows)
    for code, tally in score.by_type.items():
        by_type[code]["hits"] += tally.hits
        by_type[code]["misses"] += tally.misses
    finished = attempt.finished_at is not None
    return PlayerScenario(
        nickname=nickname,
        number=entry.number,
        title=title,
        status=FINISHED if finished else PLAYING,
        steps_answered=len(rows),
        ending=content.step_by_id(attempt.current_step_id).ending if finished else "",
        score=attempt.score if finished else None,
        hits=score.hits,
        misses=score.misses,
        false_alarms=score.false_alarms,
        decisions=score.decisions,
        finished_at=attempt.finished_at,
    )


def _players(cells: list[PlayerScenario], per_player: int) -> list[PlayerSummary]:
    summaries = []
    for start in range(0, len(cells), per_player or 1):
        own = cells[start : start + per_player]
        if not own:
            continue
        scores = [cell.score for cell in own if cell.score is not None]
        summaries.append(
            PlayerSummary(
                nickname=own[0].nickname,
                finished=sum(cell.status == FINISHED for cell in own),
                mean_score=_mean(scores),
                hits=sum(cell.hits for cell in own),
                misses=sum(cell.misses for cell in own),
                false_alarms=sum(cell.false_alarms for cell in own),
                scores=[cell.score for cell in own],
            )
        )
    return summaries


def _scenario_summary(entry, cells: list[PlayerScenario]) -> ScenarioSummary:
    own = [cell for cell in cells if cell.number == entry.number]
    scores = [cell.score for cell in own if cell.score is not None]
    hits = sum(cell.hits for cell in own)
    return ScenarioSummary(
        number=entry.number,
        title=entry.version.title,
        started=sum(cell.status != NOT_STARTED for cell in own),
        finished=len(scores),
        mean_score=_mean(scores),
        endings=ending_shares(Counter(cell.ending for cell in own if cell.ending)),
        caught=Share(hits, hits + sum(cell.misses for cell in own)),
    )


def _mean(values: list[int]) -> int | None:
    return mean_rounded(values)
