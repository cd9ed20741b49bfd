"""What closing a vote costs in-process: ``.venv/bin/python bench/close_cost.py``.

A declaration holding the corep-letter (or a generated text of its size) with N pending
amendments (random 1-3 word edits, proposed through the services); the executive opens a vote
on a one-word amendment, two sections vote yes, and the close (tally, new version, carrying the
N others) is timed. Run on SQLite (a temporary file) and, when ``BENCH_DATABASE_URL`` or
``TEST_DATABASE_URL`` names a PostgreSQL server, on a fresh database there (dropped after).
Afterwards the audit chain and the version chain are verified.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))
sys.path.insert(0, str(REPOSITORY / "bench"))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from text_engine import amend, text_of_20_kb  # noqa: E402

from corep_drafts import create_app  # noqa: E402
from corep_drafts.extensions import db  # noqa: E402
from corep_drafts.services import accounts, amendments, declarations, record, votes  # noqa: E402

PASSWORD = "correct horse battery staple"
COUNTS = (10, 300, 1000)


def config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "RATELIMIT_ENABLED": False,
    }


def close_once(database_url: str, pending: int, base_text: str) -> tuple[float, int, bool]:
    """Seconds the close took, how many amendments it left conflicted, whether the chains
    verify afterwards."""
    app = create_app(config(database_url))
    with app.app_context():
        upgrade(directory=str(REPOSITORY / "migrations"))  # as deployed: lz4 on PostgreSQL
        accounts.add_section("Argentina", language="es")
        accounts.add_section("Austria", language="de")
        executive = accounts.add_user("exec@example.org", "Exec", ["executive"], PASSWORD)
        delegates = [
            accounts.add_user(
                f"d{n}@example.org", f"D{n}", ["delegate"], PASSWORD, section_name=section
            )
            for n, section in enumerate(("Argentina", "Austria"))
        ]
        declaration = declarations.create_declaration("Bench", base_text, created_by=executive)
        declarations.transition(executive, declaration.id, "amending")
        rng = random.Random(pending)
        adopted = amendments.propose(
            delegates[0], declaration.id, 1, base_text.replace(" the ", " all the ", 1), ""
        )
        for number in range(pending):
            amended = amend(base_text, rng)
            while amended == base_text:
                amended = amend(base_text, rng)
            amendments.propose(delegates[number % 2], declaration.id, 1, amended, "")
        vote = votes.open_amendment_vote(executive, adopted.id)
        for delegate in delegates:
            votes.cast_ballot(delegate, vote.id, "yes")
        db.session.expire_all()
        db.session.commit()
        started = time.perf_counter()
        votes.close_vote(executive, vote.id)
        elapsed = time.perf_counter() - started
        statuses = [a.status for a in amendments.list_amendments(executive, declaration.id)]
        intact = record.verify_declaration(declaration.id).ok
        db.session.remove()
        db.engine.dispose()
    return elapsed, statuses.count("conflicted"), intact


def postgres_database(server_url: str) -> tuple[str, str]:
    name = f"corep_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False), name


def drop_postgres_database(server_url: str, name: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    base_text, source = text_of_20_kb(random.Random(20250101))
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    print(f"text: {source}, {len(base_text):,} characters; target: close < 0.5 s at 1,000")
    print(f"{'database':<12}| {'pending':>7} | {'close':>9} | conflicted | chains")
    for count in COUNTS:
        with tempfile.TemporaryDirectory() as folder:
            url = "sqlite:///" + str(Path(folder) / "bench.sqlite3")
            report("SQLite", count, *close_once(url, count, base_text))
        if server:
            url, name = postgres_database(server)
            try:
                report("PostgreSQL", count, *close_once(url, count, base_text))
            finally:
                drop_postgres_database(server, name)


def report(database: str, count: int, elapsed: float, conflicted: int, intact) -> None:
    chains = {True: "verified", False: "BROKEN", None: "not checked"}[intact]
    print(f"{database:<12}| {count:>7} | {elapsed * 1000:>6.0f} ms | {conflicted:>10} | {chains}")


if __name__ == "__main__":
    main()
