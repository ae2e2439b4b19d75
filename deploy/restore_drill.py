"""The restore drill: `restore_drill.py DUMP` restores a backup into a new database on the
same PostgreSQL server, checks that every table has the rows backup.py counted when it
made the dump, and drops that database again. Nothing of the live database is touched.

Run it after every change of PostgreSQL version and at least monthly: a backup that has
never been restored is a hope, not a backup. tests/test_backup_restore.py runs it.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from backup import row_counts


def drill(database_url: str, dump: Path) -> list[str]:
    """The differences between the dump's counts and the restored tables (none: passed)."""
    expected = json.loads(dump.with_suffix(".counts.json").read_text())
    name = f"saq_restore_drill_{secrets.token_hex(4)}"
    restored_url = urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
            + [f"--dbname={restored_url}", str(dump)],
            check=True,
        )
        with psycopg.connect(restored_url) as restored:
            found = row_counts(restored.cursor())
    finally:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    problems = [
        f"{table}: {expected.get(table)} rows in the backup, {found.get(table)} restored"
        for table in sorted(set(expected) | set(found))
        if expected.get(table) != found.get(table)
    ]
    if not expected:
        problems.append("the backup counted no tables")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dump", type=Path, help="a .dump made by backup.py")
    args = parser.parse_args()
    problems = drill(os.environ["DATABASE_URL"], args.dump)
    counts = json.loads(args.dump.with_suffix(".counts.json").read_text())
    if problems:
        print("RESTORE DRILL FAILED:", *problems, sep="\n  ")
        return 1
    print(f"restore drill passed: {len(counts)} tables, {sum(counts.values())} rows as backed up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
