"""`make scale`: several app servers behind nginx on one PostgreSQL database, on loopback.

Starts two gunicorn app servers of this code (2 sync workers each) on a throwaway
PostgreSQL database and nginx in front of them (round robin: each player's requests go to
both servers in turn), then drives a hall of simulated players through a module's session:
join, the check before, the module's scenarios, the check after, the result. A facilitator
follows the live board through nginx the whole time. When half the players have finished
their first scenario, one app server is stopped: nginx sends its players to the other.
Then the same hall again with one app server, for comparison.

Printed for each run: players finished, answers sent (confirmed to the player), stored
(rows in the database), lost and doubled (both must be 0), requests per second, p50/p95
of an answer, and the ratio of two servers to one. Exit 1 on any loss, double or failure.
See bench/README.md ("make scale").
"""

import argparse
import contextlib
import http.client
import os
import random
import re
import secrets
import signal
import statistics
import string
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from database import throwaway
from run import BenchError, fetch, free_port, stop

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "scale"
HOST = "127.0.0.1"
WORKERS = 2
RETRIES = 20  # a player presses again after an error page, at most this often
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"

POSITION = re.compile(r'name="position" value="(\d+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')
MARK = re.compile(r'name="mark" value="(\d+)"')
CHECK_LINK = re.compile(r'href="(/run/[0-9a-f-]+/check/(?:before|after)/)"')
START_FORM = re.compile(r'action="(/run/[0-9a-f-]+/play/[\w-]+/)"')
CONTINUE_LINK = re.compile(r'class="button button-primary" href="(/play/[0-9a-f-]+/)"')
RESULT_LINK = re.compile(r'href="(/run/[0-9a-f-]+/result/)"')
ITEM = re.compile(r'name="(item-\d+)"')
SET_COOKIE = re.compile(r"^([^=;]+)=([^;]*)")


@dataclass
class Figures:
    players: int
    servers: int
    requests: int = 0
    seconds: float = 0.0
    seconds_both: float | None = None  # until one server was stopped
    requests_both: int = 0
    answer_ms: list[float] = field(default_factory=list)
    board_ms: list[float] = field(default_factory=list)
    finished: int = 0
    sent: dict[str, int] = field(default_factory=dict)  # nickname -> answers confirmed
    retried: int = 0
    statuses_retried: dict[int, int] = field(default_factory=dict)
    both_servers: int = 0  # players served by both app servers
    errors: list[str] = field(default_factory=list)
    stopped_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class Problem(Exception):
    pass


class Browser:
    """One phone: its cookies, one request at a time; an error page or a refused connection
    is pressed again after a moment, as a person would (every write acts once)."""

    def __init__(self, port: int, figures: Figures):
        self.port = port
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.cookies = {"csrftoken": self.csrf}
        self.figures = figures
        self.upstreams: set[str] = set()

    def request(self, method: str, path: str, form=None, expect=(200,)):
        for attempt in range(RETRIES + 1):
            try:
                status, location, text, ms = self._once(method, path, form)
            except OSError as error:
                status, location, text, ms = f"{type(error).__name__}", "", "", 0.0
            if status in expect:
                return status, location, text, ms
            if attempt == RETRIES or status not in (502, 503, 504) and isinstance(status, int):
                raise Problem(f"{method} {path}: {status}, expected {expect}")
            with self.figures.lock:
                self.figures.retried += 1
                key = status if isinstance(status, int) else 0
                self.figures.statuses_retried[key] = self.figures.statuses_retried.get(key, 0) + 1
            time.sleep(0.5)
        raise AssertionError("unreachable")

    def _once(self, method: str, path: str, form):
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
        with self.figures.lock:
            self.figures.requests += 1
        upstream = response.getheader("X-Saq-Upstream")
        if upstream:
            self.upstreams.add(upstream)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = SET_COOKIE.match(header).groups()
            if name != "csrftoken":
                self.cookies[name] = value
        location = urlsplit(response.getheader("Location", "")).path
        return response.status, location, text, elapsed


def play_module(browser: Browser, code: str, nickname: str, think: float, hall) -> None:
    """Join, then do what the session's page offers next until the result is shown."""
    join = f"/join/{code}/"
    browser.request("GET", join)
    _, to, _, _ = browser.request("POST", join, {"nickname": nickname}, expect=(303,))
    if to != join:
        raise Problem(f"joining led to {to!r}")
    sent = 0
    scenarios = 0
    for _ in range(40):  # a module has far fewer steps than this
        _, _, page, _ = browser.request("GET", join)
        if check := CHECK_LINK.search(page):
            _, _, form_page, _ = browser.request("GET", check[1])
            items = sorted(set(ITEM.findall(form_page)))
            if not items:
                raise Problem(f"{check[1]}: no items")
            pause(think)
            form = {item: random.choice(("scam", "genuine")) for item in items}  # noqa: S311
            _, _, _, ms = browser.request("POST", check[1], form, expect=(303,))
            sent += len(items)
            hall.answered(ms)
        elif start := START_FORM.search(page) or CONTINUE_LINK.search(page):
            play = start[1]
            if play.startswith("/run/"):
                _, play, _, _ = browser.request("POST", play, {}, expect=(303,))
            sent += play_scenario(browser, play, think, hall)
            scenarios += 1
            if scenarios == 1:
                hall.first_scenario_done()
        elif result := RESULT_LINK.search(page):
            browser.request("GET", result[1])
            break
        else:
            raise Problem("the session's page offers nothing to do")
    else:
        raise Problem("the module never ended")
    with browser.figures.lock:
        browser.figures.sent[nickname] = sent
        browser.figures.finished += 1
        if len(browser.upstreams) > 1:
            browser.figures.both_servers += 1


def play_scenario(browser: Browser, play: str, think: float, hall) -> int:
    answers = 0
    while True:
        status, to, page, _ = browser.request("GET", play, expect=(200, 302))
        if status == 302:  # finished already (an answer confirmed by a retry)
            browser.request("GET", to)
            return answers
        position, choice, mark = (pattern.search(page) for pattern in (POSITION, CHOICE, MARK))
        if not (position and choice):
            raise Problem(f"GET {play}: no step form")
        pause(think)
        form = {"position": position[1], "choice": choice[1], "mark": mark[1] if mark else []}
        _, to, _, ms = browser.request("POST", play, form, expect=(303,))
        answers += 1
        hall.answered(ms)
        if to.endswith("/result/"):
            browser.request("GET", to)
            return answers


def pause(think: float) -> None:
    if think:
        time.sleep(think * random.uniform(0.5, 1.5))  # noqa: S311 (pacing, not secrets)


class Hall:
    """What the players tell the run: answer times, and when to stop a server midway."""

    def __init__(self, figures: Figures, players: int, on_midway):
        self.figures = figures
        self.half = players // 2
        self.first_done = 0
        self.on_midway = on_midway

    def answered(self, ms: float) -> None:
        with self.figures.lock:
            self.figures.answer_ms.append(ms)

    def first_scenario_done(self) -> None:
        with self.figures.lock:
            self.first_done += 1
            midway = self.first_done == self.half
        if midway and self.on_midway:
            self.on_midway()


# --- The servers -------------------------------------------------------------------------


@contextlib.contextmanager
def app_server(port: int, name: str):
    log_path = OUT / f"{name}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--worker-class"]
            + ["sync", "--bind", f"{HOST}:{port}", "--graceful-timeout", "20", "trainer.wsgi"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_healthy(server, port, log_path)
            yield server
        finally:
            stop(server)


def wait_until_healthy(server: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited at start:\n{log_path.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            if fetch(port, "GET", "/healthz", "")[0] == 200:
                return
        time.sleep(0.1)
    raise BenchError("gunicorn did not answer /healthz within 30 s")


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {out}/nginx.pid;
error_log {out}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {out}/tmp-body;
    proxy_temp_path {out}/tmp-proxy;
    fastcgi_temp_path {out}/tmp-fastcgi;
    uwsgi_temp_path {out}/tmp-uwsgi;
    scgi_temp_path {out}/tmp-scgi;
    upstream saq_app {{
{servers}
    }}
    server {{
        listen {host}:{port};
        gzip off;
        location / {{
            proxy_pass http://saq_app;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            proxy_next_upstream error timeout http_502 http_503;
            add_header X-Saq-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(port: int, app_ports: list[int]):
    nginx_path = shutil_which("nginx")
    servers = "\n".join(
        f"        server {HOST}:{p} max_fails=1 fail_timeout=10s;" for p in app_ports
    )
    conf = OUT / "nginx.conf"
    conf.write_text(NGINX_CONF.format(out=OUT, servers=servers, host=HOST, port=port))
    if os.geteuid() == 0:  # workers would otherwise run as nobody, without its temp files
        conf.write_text("user root;\n" + conf.read_text())
    log = (OUT / "nginx.out").open("w")
    server = subprocess.Popen(
        [nginx_path, "-c", str(conf), "-p", str(OUT)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise BenchError(f"nginx exited: {(OUT / 'nginx-error.log').read_text()[-1500:]}")
            with contextlib.suppress(OSError):
                socket_probe(port)
                break
            time.sleep(0.1)
        yield
    finally:
        server.send_signal(signal.SIGQUIT)  # nginx's graceful stop
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def shutil_which(name: str) -> str:
    import shutil

    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not found:
        raise BenchError("make scale needs nginx: sudo apt-get install nginx")
    return found


def socket_probe(port: int) -> None:
    import socket

    with socket.create_connection((HOST, port), timeout=1):
        pass


# --- The database --------------------------------------------------------------------------


def prepare(database_url: str, module_slug: str) -> tuple[str, str, str, str]:
    """Migrate, import the built-in packs, make a facilitator and a session of the module:
    (join code, session id, username, password)."""
    import io

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "trainer.settings",
            "SAQ_PRODUCTION": "0",
            "SAQ_DEBUG": "0",
            "SAQ_BEHIND_PROXY": "1",
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from scenarios.models import Module
    from trainer.models import Membership, Organisation, Role
    from trainer.sessions.services import session_create

    call_command("migrate", interactive=False, verbosity=0)
    packs = sorted(str(path) for path in (ROOT / "content").glob("*.json"))
    call_command("import_scenarios", *packs, verbosity=0, stdout=io.StringIO())
    slug, _, language = module_slug.partition("/")
    module = Module.objects.get(slug=slug, language=language or "en")
    password = secrets.token_urlsafe(16)
    user = get_user_model().objects.create_user("scale-facilitator", password=password)
    organisation = Organisation.objects.create(name="Scale school", slug="scale-school")
    Membership.objects.create(user=user, organisation=organisation, role=Role.FACILITATOR)
    scenarios = [entry.scenario for entry in module.entries.order_by("order")]
    sessions = []
    for title in ("Two servers", "One server"):
        sessions.append(
            session_create(
                organisation=organisation,
                created_by=user,
                title=title,
                language=module.language,
                scenarios=scenarios,
                module=module,
            )
        )
    connections.close_all()
    return sessions, user.username, password, module.title


def stored(session) -> dict[str, int]:
    """Answers in the database per nickname: steps of the session's attempts and items of
    its runs' checks."""
    from django.db import connections
    from django.db.models import Count

    from trainer.models import CheckAnswer, SessionPlayer, StepAnswer

    players = dict(
        SessionPlayer.objects.filter(session=session).values_list("player_key", "nickname")
    )
    counts = dict.fromkeys(players.values(), 0)
    steps = (
        StepAnswer.objects.filter(attempt__session=session)
        .values("attempt__player_key")
        .annotate(n=Count("id"))
    )
    for row in steps:
        counts[players[row["attempt__player_key"]]] += row["n"]
    checks = (
        CheckAnswer.objects.filter(run__session=session)
        .values("run__player_key")
        .annotate(n=Count("id"))
    )
    for row in checks:
        counts[players[row["run__player_key"]]] += row["n"]
    connections.close_all()
    return counts


# --- A run ---------------------------------------------------------------------------------


def run_hall(args, session, username, password, servers: int) -> Figures:
    app_ports = [free_port() for _ in range(servers)]
    lb_port = free_port()
    figures = Figures(players=args.players, servers=servers)
    with contextlib.ExitStack() as stack:
        apps = [
            stack.enter_context(app_server(port, f"app{n + 1}-{servers}"))
            for n, port in enumerate(app_ports)
        ]
        stack.enter_context(nginx(lb_port, app_ports))
        began = [0.0]

        def stop_one() -> None:
            figures.stopped_at = time.perf_counter()
            figures.seconds_both = figures.stopped_at - began[0]
            figures.requests_both = figures.requests
            threading.Thread(target=stop, args=(apps[-1],), daemon=True).start()

        hall = Hall(figures, args.players, stop_one if servers > 1 else None)
        facilitator = Browser(lb_port, figures)
        facilitator.request("GET", "/accounts/login/")
        facilitator.request(
            "POST", "/accounts/login/", {"username": username, "password": password}, (302,)
        )
        board = f"/facilitator/sessions/{session.id}/board/"
        done = threading.Event()

        def follow_board() -> None:
            while not done.wait(1.0):
                try:
                    _, _, _, ms = facilitator.request("GET", board + "live/")
                    figures.board_ms.append(ms)
                except Exception as error:  # noqa: BLE001 (every problem is reported)
                    figures.errors.append(f"board: {error}")

        def player(number: int) -> None:
            # The hall arrives over the first seconds, as people scanning a QR code do.
            time.sleep(args.arrival * number / args.players)
            try:
                play_module(Browser(lb_port, figures), session.code, f"P{number}", args.think, hall)
            except Exception as error:  # noqa: BLE001 (every problem is reported)
                with figures.lock:
                    figures.errors.append(f"player {number}: {error}")

        threads = [
            threading.Thread(target=player, args=(n,), daemon=True) for n in range(args.players)
        ]
        began[0] = time.perf_counter()
        for thread in threads:
            thread.start()
        watcher = threading.Thread(target=follow_board, daemon=True)
        watcher.start()
        deadline = time.monotonic() + args.timeout
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        figures.seconds = time.perf_counter() - began[0]
        done.set()
        if any(thread.is_alive() for thread in threads):
            figures.errors.append(f"players still playing after {args.timeout} s")
        _, _, html, _ = facilitator.request("GET", board)
        listed = html.count('class="nickname"')
        if listed != args.players:
            figures.errors.append(f"the board lists {listed} players, not {args.players}")
    return figures


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(figures: Figures, in_db: dict[str, int]) -> tuple[list[str], bool]:
    sent = sum(figures.sent.values())
    stored_total = sum(in_db.get(name, 0) for name in figures.sent)
    lost = sum(max(0, n - in_db.get(name, 0)) for name, n in figures.sent.items())
    doubled = sum(max(0, in_db.get(name, 0) - n) for name, n in figures.sent.items())
    answers = figures.answer_ms
    label = f"{figures.servers} app server{'s' if figures.servers > 1 else ''}"
    lines = [
        f"\n{label}: {figures.players} players, {figures.requests} requests in "
        f"{figures.seconds:.1f} s: {figures.requests / figures.seconds:.1f} req/s",
        f"  players finished   {figures.finished} of {figures.players}"
        + (f" ({figures.both_servers} served by both servers)" if figures.servers > 1 else ""),
        f"  answers            sent {sent}, stored {stored_total}, lost {lost}, doubled {doubled}",
        f"  answer request     p50 {percentile(answers, 0.5):.0f} ms   "
        f"p95 {percentile(answers, 0.95):.0f} ms   ({len(answers)} answer requests)",
        f"  board              p50 {percentile(figures.board_ms, 0.5):.0f} ms   "
        f"p95 {percentile(figures.board_ms, 0.95):.0f} ms   ({len(figures.board_ms)} requests)",
    ]
    if figures.seconds_both:
        lines.append(
            f"  one server stopped after {figures.seconds_both:.1f} s (half the players past "
            f"their first scenario); before that {figures.requests_both / figures.seconds_both:.1f}"
            " req/s"
        )
    if figures.retried:
        lines.append(
            f"  pressed again      {figures.retried} requests after an error "
            f"{dict(sorted(figures.statuses_retried.items()))} (0: connection refused or reset)"
        )
    ok = not figures.errors and lost == 0 and doubled == 0
    ok = ok and figures.finished == figures.players
    lines += [f"  ERROR {error}" for error in figures.errors[:5]]
    return lines, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--players", type=int, default=500, help="players in the hall (500)")
    parser.add_argument(
        "--module", default="older-people/en", help="SLUG/LANGUAGE (older-people/en)"
    )
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds a player reads before answering (1)"
    )
    parser.add_argument(
        "--arrival", type=float, default=10.0, help="seconds the hall takes to join (10)"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds a run may take (900)")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if not server_url.startswith("postgres"):
        print("make scale runs on PostgreSQL: make scale DATABASE_URL=postgres://user@host/db")
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    try:
        with throwaway(server_url, OUT / "unused.sqlite3") as (database_url, label):
            try:
                sessions, username, password, title = prepare(database_url, args.module)
                print(
                    f"database: {label}; nginx round robin over gunicorn app servers "
                    f"({WORKERS} sync workers each); module “{title}”, players read "
                    f"{args.think:g} s a step"
                )
                two = run_hall(args, sessions[0], username, password, servers=2)
                two_lines, two_ok = report(two, stored(sessions[0]))
                print(*two_lines, sep="\n", flush=True)
                one = run_hall(args, sessions[1], username, password, servers=1)
                one_lines, one_ok = report(one, stored(sessions[1]))
                print(*one_lines, sep="\n")
            finally:
                with contextlib.suppress(Exception):
                    from django.db import connections

                    connections.close_all()
    except BenchError as error:
        print(f"scale failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("scale interrupted; the servers are stopped", file=sys.stderr)
        return 130
    rps_two = (
        two.requests_both / two.seconds_both if two.seconds_both else two.requests / two.seconds
    )
    rps_one = one.requests / one.seconds
    print(
        f"\ntwo servers ÷ one: {rps_two / rps_one:.2f} × the requests per second "
        f"(two servers counted until one was stopped; all on this machine's {os.cpu_count()} CPUs)"
    )
    return 0 if two_ok and one_ok else 1


if __name__ == "__main__":
    sys.exit(main())
