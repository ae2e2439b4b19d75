"""The backup and the restore drill of docs/deploy.md, on a throwaway database: backup.py
dumps the database with pg_dump and counts every table's rows in the same snapshot;
restore_drill.py restores the dump into a new database and finds the same counts, and
says so when they differ. PostgreSQL's tools, so on PostgreSQL (CI's second pass)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import build_scenario
from trainer.models import Attempt

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore: runs in the suite's PostgreSQL pass (.ci/run)",
)


def database_url() -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url()}
    return subprocess.run(
        [sys.executable, str(ROOT / "deploy" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_backup_restores_with_every_row(transactional_db, tmp_path):
    scenario = build_scenario(scenes=4)
    for number in range(7):
        Attempt.objects.create(
            player_key=f"player-{number}",
            scenario=scenario,
            version=scenario.current_version,
            current_step=scenario.current_version.steps.get(is_start=True),
        )
    backup = run("backup.py", "--to", str(tmp_path), "--keep", "2")
    assert backup.returncode == 0, backup.stderr
    (dump,) = tmp_path.glob("saq-*.dump")
    counts = json.loads(dump.with_suffix(".counts.json").read_text())
    assert counts["public.trainer_attempt"] == 7
    assert sum(counts.values()) > 7

    drill = run("restore_drill.py", str(dump))
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert f"restore drill passed: {len(counts)} tables" in drill.stdout

    # A dump that lost rows is caught: the drill compares with the counts, not with itself.
    counts = {table: n + (table.endswith("trainer_attempt")) for table, n in counts.items()}
    dump.with_suffix(".counts.json").write_text(json.dumps(counts))
    drill = run("restore_drill.py", str(dump))
    assert drill.returncode == 1
    assert "trainer_attempt: 8 rows in the backup, 7 restored" in drill.stdout
    # And the drill's databases are gone.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'saq_restore_drill_%'")
        assert cursor.fetchone()[0] == 0
