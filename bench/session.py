"""`make bench`, the session run: a hall of simulated players joins one session at once and
plays a scenario through, while the facilitator's board is asked for, as its script does.

Each player is a thread with its own cookies, doing what a phone does: open the join link,
send a nickname, open the session's page, press Play, then per step GET the page and POST
an answer (the first choice, the first message marked), and GET the result. Every response
is checked (status, redirect, the form on the page); any other answer is an error.

Printed: requests per second over the whole run, p50 and p95 of the answer request, and the
board's time with every player in it (p50 and p95, while they play and after).
"""

import http.client
import random
import re
import secrets
import statistics
import string
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
BOARD_POLL_SECONDS = 1.0  # the board as a facilitator's screen asks for it, only faster
QUIET_BOARD_REQUESTS = 20

POSITION = re.compile(r'name="position" value="(\d+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')
MARK = re.compile(r'name="mark" value="(\d+)"')
PLAY_FORM = re.compile(r'action="(/join/[A-Z0-9]+/play/1/)"')
SET_COOKIE = re.compile(r"^([^=;]+)=([^;]*)")


@dataclass(frozen=True)
class SessionSetup:
    code: str
    session_id: str
    username: str
    password: str
    title: str


@dataclass
class SessionFigures:
    players: int
    requests: int = 0
    seconds: float = 0.0
    answer_ms: list[float] = field(default_factory=list)
    board_while_playing_ms: list[float] = field(default_factory=list)
    board_after_ms: list[float] = field(default_factory=list)
    finished: int = 0
    errors: list[str] = field(default_factory=list)
    think_seconds: float = 0.0
    server_cpu_seconds: float | None = None


def prepare(scenario_path: str) -> SessionSetup:
    """In the bench's database (Django is set up): an organisation, a facilitator and a
    session of the scenario walked by the other phases."""
    from django.contrib.auth import get_user_model
    from django.db import connections

    from scenarios.models import Scenario
    from trainer.models import Membership, Organisation, Role
    from trainer.sessions.services import session_create

    _, _, slug, language, _ = scenario_path.split("/")
    scenario = Scenario.objects.published().get(slug=slug, language=language)
    password = secrets.token_urlsafe(16)
    user = get_user_model().objects.create_user("bench-facilitator", password=password)
    organisation = Organisation.objects.create(name="Bench school", slug="bench-school")
    Membership.objects.create(user=user, organisation=organisation, role=Role.FACILITATOR)
    session = session_create(
        organisation=organisation,
        created_by=user,
        title="Bench hall",
        language=language,
        scenarios=[scenario],
    )
    title = scenario.current_version.title
    connections.close_all()  # the server gets the database to itself
    return SessionSetup(session.code, str(session.id), user.username, password, title)


class Browser:
    """One simulated phone (or the facilitator's laptop): its cookies, one request at a time."""

    def __init__(self, port: int, figures: SessionFigures, lock: threading.Lock):
        self.port = port
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.cookies = {"csrftoken": self.csrf}
        self.figures = figures
        self.lock = lock

    def request(self, method: str, path: str, form: dict | None = None, expect=(200,)):
        """(status, Location path, body, milliseconds); an unexpected status raises."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf, **form}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = SET_COOKIE.match(header).groups()
            if name != "csrftoken":
                self.cookies[name] = value
        with self.lock:
            self.figures.requests += 1
        if response.status not in expect:
            raise BenchProblem(f"{method} {path}: status {response.status}, expected {expect}")
        location = urlsplit(response.getheader("Location", "")).path
        return response.status, location, text, elapsed


class BenchProblem(Exception):
    pass


def play_one(
    browser: Browser, setup: SessionSetup, number: int, start: threading.Barrier, think: float
):
    join = f"/join/{setup.code}/"
    start.wait()
    browser.request("GET", join)
    _, to, _, _ = browser.request("POST", join, {"nickname": f"Player {number}"}, expect=(303,))
    if to != join:
        raise BenchProblem(f"joining led to {to!r}, not the session's page")
    _, _, page, _ = browser.request("GET", join)
    play_form = PLAY_FORM.search(page)
    if not play_form:
        raise BenchProblem("the session's page has no Play button")
    _, play, _, _ = browser.request("POST", play_form[1], {}, expect=(303,))
    answers = []
    while True:
        _, _, page, _ = browser.request("GET", play)
        position, choice, mark = (pattern.search(page) for pattern in (POSITION, CHOICE, MARK))
        if not (position and choice):
            raise BenchProblem(f"GET {play}: no step form")
        form = {"position": position[1], "choice": choice[1], "mark": mark[1] if mark else []}
        if think:  # reading the messages before answering: between 0.5 and 1.5 × think
            time.sleep(think * random.uniform(0.5, 1.5))  # noqa: S311 (pacing, not secrets)
        _, to, _, ms = browser.request("POST", play, form, expect=(303,))
        answers.append(ms)
        if to.endswith("/result/"):
            break
        if to != play:
            raise BenchProblem(f"an answer led to {to!r}")
    browser.request("GET", to)
    with browser.lock:
        browser.figures.answer_ms += answers
        browser.figures.finished += 1


def run(port: int, setup: SessionSetup, players: int, think: float = 0.0) -> SessionFigures:
    figures = SessionFigures(players=players, think_seconds=think)
    lock = threading.Lock()
    facilitator = Browser(port, figures, lock)
    facilitator.request("GET", "/accounts/login/")
    facilitator.request(
        "POST",
        "/accounts/login/",
        {"username": setup.username, "password": setup.password},
        expect=(302,),
    )
    board = f"/facilitator/sessions/{setup.session_id}/board/"
    fragment = board + "live/"
    facilitator.request("GET", board)  # logged in: the board answers 200

    start = threading.Barrier(players + 1)
    done = threading.Event()

    def player(number: int) -> None:
        try:
            play_one(Browser(port, figures, lock), setup, number, start, think)
        except Exception as error:  # noqa: BLE001 (every problem is reported)
            with lock:
                figures.errors.append(f"player {number}: {error}")

    threads = [threading.Thread(target=player, args=(n,)) for n in range(players)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    watcher = threading.Thread(
        target=_poll_board, args=(facilitator, fragment, figures, done), daemon=True
    )
    watcher.start()
    for thread in threads:
        thread.join(timeout=300)
    figures.seconds = time.perf_counter() - began
    done.set()
    watcher.join(timeout=60)
    for _ in range(QUIET_BOARD_REQUESTS):
        _, _, html, ms = facilitator.request("GET", board)
        figures.board_after_ms.append(ms)
    listed = html.count('class="nickname"')
    if figures.finished == players and listed != players:
        figures.errors.append(f"the board lists {listed} players, not {players}")
    return figures


def _poll_board(facilitator: Browser, fragment: str, figures: SessionFigures, done) -> None:
    while not done.wait(BOARD_POLL_SECONDS):
        try:
            _, _, _, ms = facilitator.request("GET", fragment)
            figures.board_while_playing_ms.append(ms)
        except Exception as error:  # noqa: BLE001 (every problem is reported)
            figures.errors.append(f"board: {error}")


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(figures: SessionFigures, setup: SessionSetup) -> list[str]:
    answers = figures.answer_ms
    pace = f", {figures.think_seconds:g} s to read each step" if figures.think_seconds else ""
    lines = [
        f"\nsession: {figures.players} players join {setup.code} at once and play "
        f"“{setup.title}” through{pace}",
        f"session requests   {figures.requests} in {figures.seconds:.1f} s: "
        f"{figures.requests / figures.seconds:.1f} req/s, "
        f"{figures.finished} of {figures.players} players finished, "
        f"errors {len(figures.errors)}",
        f"answer request     p50 {percentile(answers, 0.5):.0f} ms   "
        f"p95 {percentile(answers, 0.95):.0f} ms   ({len(answers)} answers)",
    ]
    if figures.server_cpu_seconds is not None and figures.requests:
        lines.append(
            f"server CPU         {1000 * figures.server_cpu_seconds / figures.requests:.2f} ms "
            "per request of the session run"
        )
    for label, times in (
        ("board, playing", figures.board_while_playing_ms),
        ("board, after", figures.board_after_ms),
    ):
        lines.append(
            f"{label:<19}p50 {percentile(times, 0.5):.0f} ms   p95 {percentile(times, 0.95):.0f} ms"
            f"   ({len(times)} requests, {figures.players} players on it)"
        )
    return lines
