"""The bench's throwaway database: a fresh SQLite file, or a fresh PostgreSQL database on
the server DATABASE_URL names (created for the run, dropped after it, whatever happens).

The database DATABASE_URL names is only used to connect: nothing in it is touched.
"""

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@contextlib.contextmanager
def throwaway(server_url: str | None, sqlite_path: Path) -> Iterator[tuple[str, str]]:
    """Yields (DATABASE_URL for the site, a label for the report)."""
    if not server_url or server_url.startswith("sqlite"):
        for leftover in sqlite_path.parent.glob(sqlite_path.name + "*"):
            leftover.unlink()  # a fresh database every run
        yield f"sqlite:///{sqlite_path}", "SQLite (WAL)"
        return
    parts = urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ValueError(f"make bench runs on SQLite or PostgreSQL, not {parts.scheme}")
    import psycopg

    name = f"saq_bench_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as admin:
        version = admin.execute("SHOW server_version").fetchone()[0]
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), f"PostgreSQL {version} ({name})"
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class BackendCpu:
    """CPU time used so far by the PostgreSQL backends serving the bench's database (the
    server runs on this machine: /proc tells). With SQLite the database works inside the
    gunicorn workers, whose CPU the bench counts already: seconds() is then None."""

    def __init__(self, database_url: str, server_url: str | None):
        self.connection = None
        if database_url.startswith("postgres"):
            import psycopg

            self.name = urlsplit(database_url).path.lstrip("/")
            # Connected to the database DATABASE_URL named, so this backend is not counted.
            self.connection = psycopg.connect(server_url, autocommit=True)

    def seconds(self) -> float | None:
        if self.connection is None:
            return None
        pids = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]
        ).fetchall()
        ticks = 0
        for (pid,) in pids:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
