"""Simulated players of known skill through Saq's real scoring code: how often the readings
are wrong, how often a real change is seen, and whether guessing passes a module.

Used by tests/test_measurement.py (a few cases, seeded, in seconds) and by `make measure`
(`python -m tests.measurement`: the whole table, which docs/measurement.md explains).

The players follow equal-variance signal detection, the model trainer/scoring.py reads
them with: a scam looks like N(+d′/2, 1), a genuine message like N(-d′/2, 1), and a player
calls a message a scam when what they see is above their criterion c. Each player has their
own d′ and c: d′ from N(1.0, 0.5) (about 14 of 20 right on a balanced check, as a typical
untrained group) and c from N(0, 0.3). A check is half scams, half genuine messages.

Random marking plays the built-in scenarios (content/*.json, the packs `make run` imports)
from their start to an ending: every message marked with probability 1/2, and either the
safe choice wherever there is one (the strongest guesser: the issue's case) or any choice
at random; scored by trainer.scoring (rules 1 to 4a and 8), passed at the module's mark.
"""

import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import NormalDist

from trainer import scoring

CONTENT = Path(__file__).resolve().parent.parent / "content"
SEED = 20261204
GROUP_SIZES = (10, 25, 50)
CHECK_SIZES = (8, 20, 40)
GAIN = 0.5  # a real gain in d′, the size the issue asks to be seen
SHIFT = -0.5  # a pure shift of criterion: calls more messages scams, tells them no better
_NORMAL = NormalDist()


@cache
def _discernment(hits: int, scams: int, false_alarms: int, genuine: int) -> scoring.Discernment:
    return scoring.discernment(hits, scams - hits, false_alarms, genuine - false_alarms)


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def check_answers(rng: random.Random, d: float, c: float, size: int) -> scoring.Discernment:
    """One simulated player's check of `size` items (half scams), read by scoring rule 6."""
    scams = size // 2
    genuine = size - scams
    hit = 1 - _NORMAL.cdf(c - d / 2)
    false_alarm = 1 - _NORMAL.cdf(c + d / 2)
    return _discernment(
        _binomial(rng, scams, hit), scams, _binomial(rng, genuine, false_alarm), genuine
    )


def group_reading(
    rng: random.Random, players: int, size: int, gain: float = 0.0, shift: float = 0.0
) -> scoring.DiscernmentChange:
    """Rule 7's reading of a simulated group whose every player's d′ moves by `gain` and
    c by `shift` between the checks."""
    pairs = []
    for _ in range(players):
        d, c = rng.gauss(1.0, 0.5), rng.gauss(0.0, 0.3)
        pairs.append(
            (check_answers(rng, d, c, size), check_answers(rng, d + gain, c + shift, size))
        )
    return scoring.group_change(pairs).reading


@dataclass(frozen=True)
class Rates:
    """Shares of simulated groups, each from 0 to 1."""

    no_change_discerning: float  # no change, read more or less discerning
    no_change_any: float  # no change, read as any change (discernment or criterion)
    gain_seen: float  # a gain of GAIN in d′ read more discerning
    shift_discerning: float  # a pure shift of criterion read more or less discerning
    shift_suspicious: float  # the same read more suspicious


DISCERNING = {
    scoring.DiscernmentChange.MORE_DISCERNING,
    scoring.DiscernmentChange.LESS_DISCERNING,
}
SILENT = {scoring.DiscernmentChange.CANT_TELL, scoring.DiscernmentChange.TOO_FEW}


def rates(players: int, size: int, groups: int, seed: int = SEED) -> Rates:
    """How groups of `players` with checks of `size` items are read, over `groups` each."""
    rng = random.Random(f"{seed}-{players}-{size}")
    still = [group_reading(rng, players, size) for _ in range(groups)]
    gained = [group_reading(rng, players, size, gain=GAIN) for _ in range(groups)]
    shifted = [group_reading(rng, players, size, shift=SHIFT) for _ in range(groups)]
    return Rates(
        no_change_discerning=sum(r in DISCERNING for r in still) / groups,
        no_change_any=sum(r not in SILENT for r in still) / groups,
        gain_seen=sum(r == scoring.DiscernmentChange.MORE_DISCERNING for r in gained) / groups,
        shift_discerning=sum(r in DISCERNING for r in shifted) / groups,
        shift_suspicious=sum(r == scoring.DiscernmentChange.MORE_SUSPICIOUS for r in shifted)
        / groups,
    )


# Random marking through the built-in content.


def _scenarios() -> dict[str, dict]:
    scenarios = {}
    for path in sorted(CONTENT.glob("*.json")):
        for scenario in json.loads(path.read_text()).get("scenarios", []):
            scenarios[(scenario["slug"], scenario["language"])] = scenario
    return scenarios


def modules(language: str = "en") -> list[tuple[str, int, list[dict]]]:
    """The built-in modules of a language: (slug, pass mark, their scenarios in order)."""
    scenarios = _scenarios()
    found = []
    for path in sorted(CONTENT.glob("module-*.json")):
        for module in json.loads(path.read_text())["modules"]:
            if module["language"] == language:
                own = [scenarios[(slug, language)] for slug in module["scenarios"]]
                found.append((module["slug"], module.get("pass_mark", 70), own))
    return found


def random_play(rng: random.Random, scenario: dict, safe_choices: bool) -> int:
    """One play of a scenario marking every message with probability 1/2: its score."""
    steps = {step["key"]: step for step in scenario["steps"]}
    step = steps[scenario["start"]]
    results = []
    while not step.get("ending"):
        marks = tuple(
            scoring.MessageMark(flag=message.get("flag"), marked=rng.random() < 0.5)
            for message in step.get("messages", [])
        )
        choices = step["choices"]
        safe = [choice for choice in choices if choice["verdict"] == "safe"]
        choice = rng.choice(safe) if safe_choices and safe else rng.choice(choices)
        results.append(scoring.StepResult(marks, choice["verdict"]))
        step = steps[choice["next"]]
    return scoring.score_attempt(results, ending=step["ending"]).score


def random_module_passes(runs: int, safe_choices: bool, seed: int = SEED) -> dict[str, float]:
    """Per built-in module, the share of random-marking runs whose score reaches its mark."""
    rng = random.Random(f"{seed}-random-{safe_choices}")
    shares = {}
    for slug, pass_mark, scenarios in modules():
        passed = 0
        for _ in range(runs):
            score = scoring.module_score(random_play(rng, s, safe_choices) for s in scenarios)
            passed += scoring.module_passed(score, pass_mark)
        shares[slug] = passed / runs
    return shares


def random_check_passes(size: int, runs: int, seed: int = SEED) -> float:
    """The share of checks of `size` items answered at random that pass rule 10."""
    rng = random.Random(f"{seed}-check-{size}")
    passed = 0
    for _ in range(runs):
        scams, genuine = size // 2, size - size // 2
        hits = _binomial(rng, scams, 0.5)
        false_alarms = _binomial(rng, genuine, 0.5)
        passed += scoring.after_check_passed(hits + genuine - false_alarms, false_alarms, size)
    return passed / runs


def _percent(share: float) -> str:
    return f"{100 * share:.1f} %"


def table(groups: int = 1000, runs: int = 2000) -> str:
    """The table `make measure` prints and docs/measurement.md shows."""
    lines = [
        f"Group readings ({groups} simulated groups per cell; each player's d′ ~ N(1.0, 0.5),"
        " c ~ N(0, 0.3))",
        "",
        "| players | check items | no change: read more/less discerning | no change: any"
        " reading | d′ +0.5: read more discerning | c −0.5 only: read more/less discerning"
        " | c −0.5 only: read more suspicious |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for players in GROUP_SIZES:
        for size in CHECK_SIZES:
            r = rates(players, size, groups)
            lines.append(
                f"| {players} | {size} | {_percent(r.no_change_discerning)} | "
                f"{_percent(r.no_change_any)} | {_percent(r.gain_seen)} | "
                f"{_percent(r.shift_discerning)} | {_percent(r.shift_suspicious)} |"
            )
    lines += [
        "",
        f"Random marking (every message marked with probability 1/2; {runs} runs per module)",
        "",
        "| module | passes, safe choices | passes, random choices |",
        "| --- | --- | --- |",
    ]
    safe = random_module_passes(runs, safe_choices=True)
    anyhow = random_module_passes(runs, safe_choices=False)
    for slug in safe:
        lines.append(f"| {slug} | {_percent(safe[slug])} | {_percent(anyhow[slug])} |")
    lines += [
        "",
        "Random answers to the check after the scenarios, passing rule 10 (a certificate's check)",
        "",
        "| check items | passes |",
        "| --- | --- |",
    ]
    for size in CHECK_SIZES:
        lines.append(f"| {size} | {_percent(random_check_passes(size, runs * 5))} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
