"""Back Saq's PostgreSQL database up: `backup.py --to DIR [--keep N]`.

Writes DIR/saq-<UTC time>.dump (pg_dump's custom format, for pg_restore) and beside it
DIR/saq-<UTC time>.counts.json, the number of rows of every table in the very snapshot
pg_dump saved, so that a restore can be checked (restore_drill.py). Keeps the newest N
dumps (14 by default). The database is the one DATABASE_URL names, as for the site.
Players can go on playing: pg_dump reads a snapshot and locks nothing they write.
"""

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg


def row_counts(cursor) -> dict[str, int]:
    tables = cursor.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    ).fetchall()
    return {
        table: cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (catalogue names)
        for (table,) in tables
    }


def backup(database_url: str, directory: Path, keep: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dump = directory / f"saq-{stamp}.dump"
    with psycopg.connect(database_url) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        # pg_dump reads the snapshot this transaction holds open; the counts come from it too.
        subprocess.run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"]
            + ["--no-owner", "--no-privileges", f"--dbname={database_url}"],
            check=True,
        )
        counts = row_counts(connection.cursor())
    dump.with_suffix(".counts.json").write_text(json.dumps(counts, indent=1, sort_keys=True))
    for old in sorted(directory.glob("saq-*.dump"))[:-keep]:
        old.unlink()
        old.with_suffix(".counts.json").unlink(missing_ok=True)
    return dump


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--to", type=Path, required=True, help="directory of the dumps")
    parser.add_argument("--keep", type=int, default=14, help="dumps to keep (14)")
    args = parser.parse_args()
    dump = backup(os.environ["DATABASE_URL"], args.to, max(args.keep, 1))
    print(f"backed up to {dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
