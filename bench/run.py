"""`make bench`: how fast the play pages are, next to a bare page on the same server.

Starts the site under gunicorn (2 sync workers, DEBUG off, a throwaway database: SQLite in
bench/out/, or a new PostgreSQL database when DATABASE_URL names a PostgreSQL server)
on a free loopback port and drives it with wrk in three phases, all with the
same wrk settings:

  bare  GET a tiny template through the same middleware (the baseline, see trainer/urls.py)
  page  GET the play page of one attempt, again and again
  walk  whole walks through a scenario: POST start, per step GET page + POST answer, result

Then a session run (bench/session.py): a hall of simulated players joins one session at once
and plays the scenario through, while the facilitator's board is asked for.

It prints each phase's requests per second and the page and walk figures as a ratio to the
bare page, which cancels out most of the machine's own speed. The phases take turns in
rounds (bare, page, walk, bare, page, walk, ...) so that a burst of other work on the
machine hits them alike. Missing a target is reported, not fatal; any error response or
socket error fails the run (exit 1), because figures measured on errors mean nothing.
See bench/README.md.
"""

import argparse
import contextlib
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import session as session_bench
from database import BackendCpu, throwaway

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
DATABASE = OUT / "bench.sqlite3"
HOST = "127.0.0.1"
WORKERS = 2

PAGE_TARGET = 0.6
WALK_TARGET = 0.3

# The same patterns as walk.lua's: the step form's fields.
POSITION = re.compile(r'name="position" value="(\d+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')
MARK = re.compile(r'name="mark" value="(\d+)"')
PLAY_PATH = re.compile(r"/play/[0-9a-f-]+/$")


class BenchError(Exception):
    """The benchmark cannot give honest figures; the message says why."""


@dataclass
class Load:
    """How one phase drives the server: a wrk script, its URL path and its arguments."""

    script: str
    path: str
    headers: list[str]
    script_args: list[str]


@dataclass
class Phase:
    """A phase's figures, summed over its rounds."""

    requests: int  # the requests the figure counts (for the walk: those of complete walks)
    served: int  # all requests answered, complete walks or not
    seconds: float
    walks: int
    server_cpu_seconds: float | None  # gunicorn workers' CPU time, where /proc tells it
    database_cpu_seconds: float | None  # PostgreSQL backends' CPU time (None on SQLite)
    rounds_rps: list[float]
    bad_statuses: int  # responses neither 2xx nor 3xx
    unexpected: int  # responses the script did not expect (wrong status, no form...)
    socket_errors: int  # connect, read, write errors and timeouts
    errors: list[str]  # what went wrong, in words; empty on a valid run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_seconds is None or not self.served:
            return None
        return 1000 * self.server_cpu_seconds / self.served

    @property
    def database_cpu_ms_per_request(self) -> float | None:
        if self.database_cpu_seconds is None or not self.served:
            return None
        return 1000 * self.database_cpu_seconds / self.served


def main() -> int:
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if shutil.which("wrk") is None:
        print("make bench needs wrk: sudo apt-get install wrk", file=sys.stderr)
        return 2
    # Ctrl-C raises KeyboardInterrupt; make a plain kill do the same, so the `finally`
    # that stops gunicorn always runs.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        phases, about, session, session_setup = run(args)
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench interrupted; the server is stopped", file=sys.stderr)
        return 130
    print_report(phases, about)
    failures = [f"{name}: {message}" for name, p in phases.items() for message in p.errors]
    if session:
        print(*session_bench.report(session, session_setup), sep="\n")
        failures += [f"session: {message}" for message in session.errors[:5]]
    if failures:
        print("\nERRORS (the figures above are not valid):", *failures, sep="\n  ")
        print("server log: bench/out/gunicorn.log")
        return 1
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=2, help="seconds per round (2)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of every phase (5)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per phase (3)")
    parser.add_argument(
        "--connections",
        type=int,
        default=4,
        help="wrk connections, one per wrk thread, in every phase (4: two per worker)",
    )
    parser.add_argument(
        "--scenario", help="SLUG/LANGUAGE to walk (default: the catalogue's first scenario)"
    )
    parser.add_argument(
        "--session-players",
        type=int,
        default=200,
        help="players who join one session at once and play the scenario (200; 0: no session run)",
    )
    parser.add_argument(
        "--session-think",
        type=float,
        default=0.0,
        help="seconds each session player reads a step before answering (0: none, the worst case)",
    )
    return parser.parse_args()


def run(args: argparse.Namespace) -> tuple[dict[str, Phase], str]:
    """On a throwaway database (dropped after, whatever happens): prepare, serve, measure."""
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    server_url = os.environ.get("DATABASE_URL")
    with throwaway(server_url, DATABASE) as (database_url, label):
        print(f"database: {label}")
        try:
            phases, about, session, session_setup = run_on(args, database_url, server_url)
        finally:
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()  # so the throwaway database can be dropped
        return phases, f"{label}; {about}", session, session_setup


def run_on(args: argparse.Namespace, database_url: str, server_url: str | None):
    """Prepare the database, serve it, measure the three phases; gunicorn always stops."""
    prepare_environment(database_url)
    start_path = prepare_database(args.scenario)
    session_setup = session_bench.prepare(start_path) if args.session_players else None
    # One browser for the page phase, one per wrk thread for the walk.
    page_player, *walk_players = player_cookies(args.connections + 1)
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    port = free_port()
    with gunicorn(port) as server_pid:
        page_path = prepare_page(port, start_path, cookie(page_player, csrf), csrf)
        get_headers = ["-H", f"Cookie: {cookie(page_player, csrf)}"]
        loads = {
            "bare": Load("get.lua", "/bench/bare/", get_headers, []),
            "page": Load("get.lua", page_path, get_headers, []),
            "walk": Load("walk.lua", start_path, [], [start_path, csrf, *walk_players]),
        }
        backends = BackendCpu(database_url, server_url)
        try:
            runs = measure(port, server_pid, loads, args, backends)
        finally:
            backends.close()
        session = None
        if session_setup:
            cpu_before = server_cpu_seconds(server_pid)
            session = session_bench.run(
                port, session_setup, args.session_players, args.session_think
            )
            cpu_after = server_cpu_seconds(server_pid)
            if cpu_before is not None and cpu_after is not None:
                session.server_cpu_seconds = cpu_after - cpu_before
    phases = {name: phase_figures(name, counts) for name, counts in runs.items()}
    walk = phases["walk"]
    per_walk = walk.requests / walk.walks if walk.walks else 0
    about = (
        f"gunicorn, {WORKERS} sync workers, on {HOST}; wrk -t{args.connections} "
        f"-c{args.connections}, {args.rounds} rounds × {args.seconds} s per phase; "
        f"walk: {start_path}, {per_walk:.0f} requests a walk"
    )
    return phases, about, session, session_setup


def measure(
    port: int, server_pid: int, loads: dict[str, Load], args: argparse.Namespace, backends
) -> dict[str, list[dict]]:
    """Warm every phase up, then run them in turns; each phase's counts, round by round."""
    # Warm-up fills the template and content caches and opens the database in both workers.
    for name, load in loads.items():
        counts = wrk(port, name, load, args.warmup, args.connections)
        if counts["unexpected"] or any(counts["socket_errors"].values()):
            problems = counts["messages"][:3] or [f"socket errors {counts['socket_errors']}"]
            raise BenchError(
                f"errors while warming up {name} ({counts['unexpected']} unexpected responses, "
                f"server log in bench/out/gunicorn.log):\n  " + "\n  ".join(problems)
            )
    runs: dict[str, list[dict]] = {name: [] for name in loads}
    for _ in range(args.rounds):
        for name, load in loads.items():
            cpu_before, db_before = server_cpu_seconds(server_pid), backends.seconds()
            counts = wrk(port, name, load, args.seconds, args.connections)
            cpu_after, db_after = server_cpu_seconds(server_pid), backends.seconds()
            known = cpu_before is not None and cpu_after is not None
            counts["server_cpu_seconds"] = cpu_after - cpu_before if known else None
            known = db_before is not None and db_after is not None
            counts["database_cpu_seconds"] = db_after - db_before if known else None
            runs[name].append(counts)
    return runs


# --- The database and the browsers ------------------------------------------------------


def prepare_environment(database_url: str) -> None:
    """The server's settings, shared with this process so signed cookies match its key."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "trainer.settings",
            "SAQ_PRODUCTION": "0",  # no HTTPS redirect on loopback
            "SAQ_DEBUG": "0",
            "SAQ_BENCH": "1",
            "ALLOWED_HOSTS": HOST,
            # The site's own database settings apply (on SQLite: IMMEDIATE transactions, WAL).
            "DATABASE_URL": database_url,
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database(scenario: str | None) -> str:
    """Migrate, fill with the built-in packs (or a 6-scene scenario); the start path to walk."""
    from django.core.management import call_command, get_commands
    from django.db import connections
    from django.urls import reverse

    from scenarios.models import Scenario

    call_command("migrate", interactive=False, verbosity=0)
    packs = sorted(str(path) for path in (ROOT / "content").glob("*.json"))
    if packs and "import_scenarios" in get_commands():
        call_command("import_scenarios", *packs, verbosity=0, stdout=io.StringIO())
    else:
        print("(no import_scenarios command or no packs: walking a built 6-scene scenario)")
        from tests.factories import build_scenario

        build_scenario(slug="bench-phone-seller", scenes=6)
    published = Scenario.objects.published().order_by(
        "current_version__difficulty", "slug", "language"
    )
    if scenario:
        slug, _, language = scenario.partition("/")
        published = published.filter(slug=slug, language=language)
    chosen = published.first()
    if chosen is None:
        raise BenchError(f"no published scenario {scenario or ''} in the bench database")
    path = reverse("scenario_start", args=[chosen.slug, chosen.language])
    connections.close_all()  # the server gets the database to itself
    return path


def player_cookies(count: int) -> list[str]:
    """Signed player cookies, made by the site's own code so they are exactly what it sets."""
    from django.conf import settings
    from django.http import HttpResponse

    from trainer.web.player import new_player_key, remember_player

    values = []
    for _ in range(count):
        response = HttpResponse()
        remember_player(response, new_player_key())
        values.append(response.cookies[settings.PLAYER_COOKIE_NAME].value)
    return values


def cookie(player: str, csrf: str) -> str:
    return f"csrftoken={csrf}; saq_player={player}"


# --- The server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(port: int):
    """gunicorn on HOST:port, up and answering; yields its pid; stopped whatever happens."""
    log_path = OUT / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
            + ["--worker-class", "sync", "--bind", f"{HOST}:{port}", "trainer.wsgi"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: the terminal's Ctrl-C comes to us, and we stop it in order.
            start_new_session=True,
        )
        try:
            wait_until_up(server, port, log_path)
            yield server.pid
        finally:
            stop(server)
    if "Traceback" in log_path.read_text():
        print(f"(the server logged a traceback: see {log_path.relative_to(ROOT)})")


def wait_until_up(server: subprocess.Popen, port: int, log_path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited at start:\n{log_path.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            status, _, _ = fetch(port, "GET", "/bench/bare/", "")
            if status == 200:
                return
            raise BenchError(
                f"GET /bench/bare/ answered {status}: is the SAQ_BENCH page in trainer/urls.py?"
            )
        time.sleep(0.1)
    raise BenchError(f"gunicorn did not answer within {seconds:.0f} s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()  # gunicorn's graceful stop: the master stops its workers
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # the group we started, nothing else
        server.wait()


def server_cpu_seconds(master_pid: int) -> float | None:
    """CPU time (user + system) used so far by the master's workers; None without /proc.

    Unlike requests per second it hardly moves when other work shares the machine.
    """
    ticks = 0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                # After the "(name)" field: state, ppid, ... utime and stime are the 12th and 13th.
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == master_pid:
                    ticks += int(fields[11]) + int(fields[12])
    except OSError:
        return None
    return ticks / os.sysconf("SC_CLK_TCK") if ticks else None


def fetch(port: int, method: str, path: str, cookies: str, form=None) -> tuple[int, str, str]:
    """One request, redirects not followed: (status, Location, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {"Cookie": cookies}
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Location", ""), response.read().decode()
    finally:
        connection.close()


def prepare_page(port: int, start_path: str, cookies: str, csrf: str) -> str:
    """Start an attempt and answer its first step, as walk.lua does; the play page's path.

    The measured page is thus a typical mid-walk page, with the last answer's feedback.
    Doing it here also checks, before any load, that the cookies, the CSRF secret and the
    form patterns work.
    """
    status, location, _ = fetch(port, "POST", start_path, cookies, {"csrfmiddlewaretoken": csrf})
    play = urlsplit(location).path
    if status != 303 or not PLAY_PATH.search(play):
        raise BenchError(
            f"POST {start_path} answered {status} {location!r}, not 303 to a play page"
        )
    status, _, html = fetch(port, "GET", play, cookies)
    position, choice, mark = (pattern.search(html) for pattern in (POSITION, CHOICE, MARK))
    if status != 200 or not (position and choice):
        raise BenchError(f"GET {play} answered {status} without the step form")
    form = {"csrfmiddlewaretoken": csrf, "position": position[1], "choice": choice[1]}
    if mark:
        form["mark"] = mark[1]
    status, location, _ = fetch(port, "POST", play, cookies, form)
    if status != 303:
        raise BenchError(f"POST {play} (an answer) answered {status}, not 303")
    status, location, _ = fetch(port, "GET", play, cookies)
    if status != 200:
        raise BenchError(f"GET {play} after one answer answered {status} {location!r}, not 200")
    return play


# --- Load and figures ---------------------------------------------------------------------


def wrk(port: int, name: str, load: Load, seconds: int, connections: int) -> dict:
    """One wrk run; its script prints one line "BENCH {json}" with the counts."""
    command = [
        "wrk",
        f"-t{connections}",
        f"-c{connections}",  # one connection per thread: walk.lua relies on it
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(BENCH / load.script),
        *load.headers,
        f"http://{HOST}:{port}{load.path}",
        "--",
        *load.script_args,
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 30, check=False
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk ({name}) did not finish within {seconds + 30} s") from None
    (OUT / f"wrk-{name}.txt").write_text(done.stdout + done.stderr)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line.removeprefix("BENCH "))
    raise BenchError(f"wrk ({name}) gave no figures:\n{done.stdout}{done.stderr}")


def phase_figures(name: str, runs: list[dict]) -> Phase:
    """A phase's rounds added up, with everything that makes its figures invalid."""
    counted = "walk_requests" if name == "walk" else "requests"
    statuses: dict[str, int] = {}
    sockets: dict[str, int] = {}
    messages: list[str] = []
    for counts in runs:
        for status, n in counts["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
        for kind, n in counts["socket_errors"].items():
            sockets[kind] = sockets.get(kind, 0) + n
        messages += counts["messages"]
    errors = messages[:5]
    unexpected = sum(counts["unexpected"] for counts in runs)
    if unexpected > len(errors):
        errors.append(f"... {unexpected} unexpected responses in all")
    bad_statuses = {s: n for s, n in statuses.items() if not 200 <= int(s) < 400}
    if bad_statuses:
        errors.append(f"non-2xx/3xx responses by status: {bad_statuses}")
    if any(sockets.values()):
        errors.append(f"socket errors: {sockets}")
    cpu = [counts["server_cpu_seconds"] for counts in runs]
    db_cpu = [counts["database_cpu_seconds"] for counts in runs]
    return Phase(
        requests=sum(counts[counted] for counts in runs),
        served=sum(counts["requests"] for counts in runs),
        seconds=sum(counts["duration_us"] for counts in runs) / 1e6,
        walks=sum(counts["walks"] for counts in runs),
        server_cpu_seconds=None if None in cpu else sum(cpu),
        database_cpu_seconds=None if None in db_cpu else sum(db_cpu),
        rounds_rps=[counts[counted] / counts["duration_us"] * 1e6 for counts in runs],
        bad_statuses=sum(bad_statuses.values()),
        unexpected=unexpected,
        socket_errors=sum(sockets.values()),
        errors=errors,
    )


def print_report(phases: dict[str, Phase], about: str) -> None:
    bare, page, walk = phases["bare"], phases["page"], phases["walk"]
    print(f"\n{about}\n")

    def line(label: str, phase: Phase, target: float | None = None) -> str:
        text = f"{label:<11}{phase.rps:8.1f} req/s"
        if target is not None:
            ratio = phase.rps / bare.rps
            text += f"   ratio {ratio:.2f} (target ≥ {target})"
            text += "" if ratio >= target else "  BELOW TARGET"
        return text

    print(line("bare view", bare))
    print(line("play page", page, PAGE_TARGET))
    print(line("full walk", walk, WALK_TARGET) + f"   {walk.walks / walk.seconds:.1f} walks/s")
    print(
        f"errors     non-2xx/3xx {sum(p.bad_statuses for p in phases.values())}, "
        f"unexpected {sum(p.unexpected for p in phases.values())}, "
        f"socket {sum(p.socket_errors for p in phases.values())}"
    )

    # The context for judging the figures: how steady they were and what they cost the server.
    print(
        "\nper round (req/s):  "
        + "   ".join(
            f"{name} " + ", ".join(f"{rps:.0f}" for rps in p.rounds_rps)
            for name, p in phases.items()
        )
    )
    if all(p.cpu_ms_per_request for p in phases.values()):
        print(
            "server CPU per request:  "
            + "   ".join(f"{name} {p.cpu_ms_per_request:.2f} ms" for name, p in phases.items())
            + f"   (CPU ratio page {bare.cpu_ms_per_request / page.cpu_ms_per_request:.2f}, "
            f"walk {bare.cpu_ms_per_request / walk.cpu_ms_per_request:.2f})"
        )
    if all(p.database_cpu_ms_per_request is not None for p in phases.values()):
        print(
            "database CPU per request:  "
            + "   ".join(
                f"{name} {p.database_cpu_ms_per_request:.2f} ms" for name, p in phases.items()
            )
            + "   (PostgreSQL's backends, on the same machine)"
        )


if __name__ == "__main__":
    sys.exit(main())
