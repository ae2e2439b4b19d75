"""When the database is away, hung or restarted, players get a page that says so, in their
language and under the CSP, within a bounded time, and the site recovers by itself.

Every test runs on both databases with the fault that applies to it: on PostgreSQL a port
where nothing listens, a listener that never answers (the connect timeout), a lock held past
the statement timeout and the app's connections terminated under load; on SQLite a file
that cannot be opened and a write lock held past the busy timeout.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import build_scenario

ROOT = Path(__file__).resolve().parent.parent
RUSSIAN_TITLE = "Saq не может сейчас добраться до своих записей"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def database_settings(**changes):
    """The app's connection reopened with other settings (a dead port, short timeouts),
    then put back: what the site would do if DATABASE_URL pointed there."""
    saved = {key: connection.settings_dict[key] for key in changes if key != "OPTIONS"}
    saved_options = dict(connection.settings_dict.get("OPTIONS", {}))
    connection.close()
    for key, value in changes.items():
        if key == "OPTIONS":
            connection.settings_dict["OPTIONS"] = {**saved_options, **value}
        else:
            connection.settings_dict[key] = value
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        connection.settings_dict["OPTIONS"] = saved_options


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_friendly_503(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert RUSSIAN_TITLE in body, body[:500]
    assert "Internal Server Error" not in body and "Traceback" not in body
    assert response["Retry-After"] == "30"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_timeouts_and_health_checks_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; "
        "print(d['CONN_HEALTH_CHECKS'], d['OPTIONS']['connect_timeout'], d['OPTIONS']['options'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainer.settings",
        "DATABASE_URL": "postgres://saq@db.example:5432/saq",
    }
    run = [sys.executable, "-c", code]
    done = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "5", "-c", "statement_timeout=10000"]
    env |= {"DATABASE_CONNECT_TIMEOUT": "3", "DATABASE_STATEMENT_TIMEOUT_MS": "2500"}
    done = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "3", "-c", "statement_timeout=2500"]


def test_healthz_says_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_database_closed_gives_the_friendly_page_and_healthz_503(client, transactional_db):
    build_scenario()
    if is_postgres():
        closed = {"HOST": "127.0.0.1", "PORT": str(free_port())}  # nothing listens there
    else:
        closed = {"NAME": "/nonexistent-directory/saq.sqlite3"}
    with database_settings(**closed):
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
        health = client.get("/healthz")
    assert_friendly_503(page)
    assert (health.status_code, health.content) == (503, b"unavailable")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru").status_code == 200  # and back


def test_database_hung_gives_the_friendly_page_within_the_timeout(client, transactional_db):
    scenario = build_scenario()
    if is_postgres():
        # Accepts the connection (the kernel does) and never answers.
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            port = listener.getsockname()[1]
            hung = {"HOST": "127.0.0.1", "PORT": str(port), "OPTIONS": {"connect_timeout": 2}}
            with database_settings(**hung):
                started = time.monotonic()
                response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
                waited = time.monotonic() - started
        assert_friendly_503(response)
        assert 1.5 < waited < 8
    # A lock another connection holds past the statement timeout (PostgreSQL) or SQLite's
    # busy timeout: the write waits, gives up, and the player is told.
    start = f"/s/{scenario.slug}/{scenario.language}/"
    with holding_the_write_lock(), database_settings(OPTIONS=short_lock_wait()):
        started = time.monotonic()
        response = client.post(start, HTTP_ACCEPT_LANGUAGE="ru")
        waited = time.monotonic() - started
    assert_friendly_503(response)
    assert waited < 5
    assert client.post(start).status_code == 303  # the lock gone, the start works


def short_lock_wait() -> dict:
    if is_postgres():
        return {"options": "-c statement_timeout=300"}
    return {"timeout": 0.3}


@contextlib.contextmanager
def holding_the_write_lock():
    """A second connection that holds what a start of a scenario must write to."""
    from trainer.models import Attempt

    if is_postgres():
        import psycopg

        settings = connection.settings_dict
        other = psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            password=settings["PASSWORD"],
            dbname=settings["NAME"],
        )
        other.execute(f'LOCK TABLE "{Attempt._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
    else:
        import sqlite3

        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


@pytest.fixture
def server(transactional_db):
    """gunicorn on the test database as production runs it: one sync worker, connections
    kept for a minute (the default), DEBUG off."""
    build_scenario()
    port = free_port()
    settings = connection.settings_dict
    if is_postgres():
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        url = (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    else:
        url = f"sqlite:///{settings['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainer.settings",
        "DATABASE_URL": url,
        "SAQ_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "1"]
    command += ["--bind", f"127.0.0.1:{port}", "trainer.wsgi"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if status(port, "/healthz") == 200:
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


def status(port: int, path: str) -> int:
    import http.client

    client = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        client.request("GET", path, headers={"Accept-Language": "ru"})
        response = client.getresponse()
        response.read()
        return response.status
    finally:
        client.close()


def test_database_restarted_under_load_the_next_requests_are_served(server):
    """The database drops the app's kept connections (a restart, a fail-over) while
    players load pages: no 500, and every request after the drop is served."""
    statuses: list[int] = []
    stop = threading.Event()

    def player():
        while not stop.is_set():
            statuses.append(status(server, "/"))

    players = [threading.Thread(target=player) for _ in range(3)]
    for thread in players:
        thread.start()
    time.sleep(0.5)
    for _ in range(3):
        drop_the_apps_connections()
        time.sleep(0.3)
    stop.set()
    for thread in players:
        thread.join(timeout=30)
    # Sequentially now: a drop between two requests is never seen by the next.
    drop_the_apps_connections()
    after = [status(server, "/") for _ in range(5)]
    assert 500 not in statuses
    assert set(statuses) <= {200, 503}
    assert statuses.count(200) > 10
    assert after == [200] * 5


def drop_the_apps_connections() -> None:
    """PostgreSQL: terminate every other connection to the test database (gunicorn's),
    waiting up to 5 s for each to end, as a restart ends them before the server takes
    requests again. SQLite has no server to restart: take its write lock for a moment, as
    a backup or a second writer does; the app waits its turn."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    else:
        with holding_the_write_lock():
            time.sleep(0.2)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's own health check: runs in the suite's PostgreSQL pass (.ci/run)",
)
def test_the_health_check_finds_a_dropped_connection_without_a_query(transactional_db):
    """trainer/web/postgresql: a kept connection is checked by reading its socket, not by a
    `SELECT 1`; one the server ended is replaced before the request's first query."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        first_backend = cursor.fetchone()[0]
    with CaptureQueriesContext(connection) as captured:
        assert connection.is_usable()
    assert captured.captured_queries == []

    with connections.create_connection("default").cursor() as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [first_backend])
    assert not connection.is_usable()
    connection.health_check_done = False  # as at the start of a request
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != first_backend
