"""Every benchmark target in one table: ``.venv/bin/python bench/all.py [--quick] [--sqlite-only]
[--congress-full]`` (what `make bench` runs).

In turn: the text engine's targeted figures (bench/text_engine.py), the application beside the
bare baseline (bench/app_bench.py) and the congress with its live pages (bench/congress.py,
``--quick`` size unless ``--congress-full``), each on SQLite and, when 127.0.0.1:5432 answers, on
PostgreSQL. Each script still runs alone and prints its own table; this prints one Markdown
table (figure, target, measured, bare baseline, ratio, verdict, note) and a line with the
command, the date, the load average and the total time.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from bench import app_bench, congress, text_engine  # noqa: E402
from bench.app_bench import Row, print_table  # noqa: E402
from bench.harness import postgres_reachable  # noqa: E402


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smaller application run")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument(
        "--congress-full",
        action="store_true",
        help="the full congress (250 delegates, 100 votes, 50 pages: about 5 min a database)",
    )
    options = parser.parse_args()
    started = time.perf_counter()
    began = datetime.datetime.now(datetime.UTC)
    load_at_start = load()
    databases = ["sqlite"]
    skipped = []
    if options.sqlite_only:
        skipped.append("PostgreSQL skipped (--sqlite-only).")
    elif postgres_reachable():
        databases.append("postgresql")
    else:
        skipped.append("PostgreSQL on 127.0.0.1:5432 is not reachable: SQLite only.")
    for line in skipped:
        print(line, flush=True)

    print("text engine ...", flush=True)
    rows = [Row(**row) for row in text_engine.target_rows()]
    print("application beside the bare baseline ...", flush=True)
    size = app_bench.QUICK if options.quick else app_bench.FULL
    rows += app_bench.measure_rows(databases, size)
    for database in databases:
        print(f"congress [{database}] ...", flush=True)
        rows += congress.measure(database, quick=not options.congress_full)

    print()
    print_table(rows)
    print()
    for line in skipped:
        print(line)
    command = shlex.join([".venv/bin/python", "bench/all.py", *sys.argv[1:]])
    print(
        f"`{command}`: {began:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
        f"{load_at_start} at the start and {load()} at the end (1, 5, 15 min), "
        f"{time.perf_counter() - started:.0f} s in all; "
        f"{sum(r.met is True for r in rows)} met, {sum(r.met is False for r in rows)} MISSED."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
