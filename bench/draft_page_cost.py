"""What the draft page costs in-process:
``.venv/bin/python bench/draft_page_cost.py [--profile] [--save PAGE.html]
[--postgresql] [--page draft|read|list]``.

The seed letter (../shared/corpus/corep-letter/letter.md) in a declaration open for amendments
with 200 pending amendments (random 1-3 word edits, proposed through the services as
bench/seeding.py does), on a temporary SQLite file or, with ``--postgresql``, a throwaway
database on the server bench/harness.py names (BENCH_POSTGRES_URL). A delegate signed in
through the test client asks for ``/declarations/{id}`` ~20 times; the table gives p50, p90 and
the SQL statements of one request. ``--profile`` adds a cProfile of one request, sorted by
cumulative time.

``--page read``: the reading view ``/read/{id}`` of the letter adopted through ten amendments
(bench/seeding.py's adopted_declaration, as bench/app_bench.py measures it). ``--page list``:
``GET /api/v1/declarations/{id}/amendments`` with 1,000 pending, signed in by a delegate's token.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from sqlalchemy import event  # noqa: E402

from bench import seeding  # noqa: E402
from bench.harness import throwaway_database  # noqa: E402
from corep_drafts.extensions import db  # noqa: E402

LETTER = REPOSITORY.parent / "shared" / "corpus" / "corep-letter" / "letter.md"
PENDING = 200
LISTED = 1000
REQUESTS = 20
REQUEST = {
    "headers": {"User-Agent": seeding.USER_AGENT},
    "environ_base": {"REMOTE_ADDR": "127.0.0.1"},
}


def seeded(database_url: str, page: str):
    app = seeding.migrated_app(database_url)
    with app.app_context():
        people = seeding.add_people(10)
        executive_id = people["executive"][0]
        delegate_ids = [d for d, _ in people["delegates"]]
        if page == "read":
            declaration_id = seeding.adopted_declaration(LETTER.read_text(), people, 10)
        else:
            declaration_id = seeding.new_declaration("Letter", LETTER.read_text(), executive_id)
            pending = LISTED if page == "list" else PENDING
            seeding.propose_random(declaration_id, pending, delegate_ids, seed=11)
    return app, declaration_id, people["delegates"][0]


PATHS = {
    "draft": "/declarations/{}",
    "read": "/read/{}",
    "list": "/api/v1/declarations/{}/amendments",
}


def main() -> None:
    profile = "--profile" in sys.argv
    kind = "postgresql" if "--postgresql" in sys.argv else "sqlite"
    page = sys.argv[sys.argv.index("--page") + 1] if "--page" in sys.argv else "draft"
    with throwaway_database(kind) as database_url:
        app, declaration_id, (delegate_id, token) = seeded(database_url, page)
        client = app.test_client()
        client.set_cookie(
            app.config.get("SESSION_COOKIE_NAME", "session"),
            seeding.browser_cookie(app, delegate_id),
        )
        if page == "list":
            REQUEST["headers"]["Authorization"] = f"Bearer {token}"
        path = PATHS[page].format(declaration_id)
        statements = []
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        first = client.get(path, **REQUEST)
        assert first.status_code == 200, (first.status_code, first.data[:500])
        assert b"amendment" in first.data.lower() or page != "draft"
        timings = []
        for _ in range(REQUESTS):
            statements.clear()
            started = time.perf_counter()
            response = client.get(path, **REQUEST)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        timings.sort()
        print(f"{'page':>8} {'requests':>9} {'p50 ms':>8} {'p90 ms':>8} {'SQL/request':>12}")
        print(
            f"{page:>8} {REQUESTS:>9} {1000 * statistics.median(timings):>8.1f} "
            f"{1000 * timings[int(0.9 * (len(timings) - 1))]:>8.1f} {len(statements):>12}"
        )
        print(f"page size: {len(response.data)} bytes")
        if "--save" in sys.argv:  # to compare the page before and after a change
            Path(sys.argv[sys.argv.index("--save") + 1]).write_bytes(response.data)
        if profile:
            profiler = cProfile.Profile()
            statements.clear()
            profiler.enable()
            client.get(path, **REQUEST)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            distinct = sorted(set(statements), key=statements.count, reverse=True)
            for statement in distinct[:8]:
                print(statements.count(statement), " ".join(statement.split())[:150])


if __name__ == "__main__":
    main()
