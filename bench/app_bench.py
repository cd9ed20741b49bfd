"""The application benchmark: ``.venv/bin/python bench/app_bench.py [--quick] [--sqlite-only]``.

For each database (SQLite, and PostgreSQL on 127.0.0.1:5432 in a fresh database dropped at the
end), the data is seeded through the services, then the app and the bare baseline
(bench/bare_app.py) are served by gunicorn with 2 sync workers on 127.0.0.1 and measured in the
same run, interleaved where they are compared. One table at the end: figure, target, measured,
bare baseline, ratio, met/MISSED and why. See bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from sqlalchemy import func, select  # noqa: E402

from bench import bare_app, seeding  # noqa: E402
from bench.harness import (  # noqa: E402
    call,
    in_parallel,
    percentile,
    postgres_reachable,
    served,
    throwaway_database,
)
from bench.text_engine import text_of_20_kb, text_of_200_kb  # noqa: E402
from corep_drafts.extensions import db  # noqa: E402
from corep_drafts.models import Ballot  # noqa: E402


@dataclass(frozen=True)
class Size:
    proposals: int  # measured proposals per level
    levels: tuple[int, ...]  # pending amendments when proposing is measured
    draft_pending: int
    list_pending: int
    close_pending: int
    closes: int
    delegates: int
    ballot_votes: int
    page_requests: int
    large_pending: int


FULL = Size(60, (10, 300, 1000), 200, 1000, 1000, 3, 200, 10, 60, 200)
# Unmeasured requests of each measured kind per server before any measured figure: the first
# requests after gunicorn starts import modules, fill caches and open connections.
WARM_UP = 10
QUICK = Size(20, (10, 100, 300), 100, 300, 300, 1, 80, 4, 20, 100)


# The groups of rows `--only` selects; "large" (200 KB) also measures the 20 KB draft page.
GROUPS = frozenset({"propose", "pages", "close", "ballots", "large"})


@dataclass
class Row:
    figure: str
    target: str
    measured: str
    bare: str = ""
    ratio: str = ""
    met: bool | None = None
    note: str = ""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def check(row: Row, met: bool, why_not: str) -> Row:
    row.met = met
    if not met and not row.note:
        row.note = why_not
    return row


class Bench:
    def __init__(
        self, database: str, url: str, size: Size, rows: list[Row], only: frozenset = GROUPS
    ):
        self.database, self.url, self.size, self.rows = database, url, size, rows
        self.only = only
        self.rng = random.Random(11)
        self.warm_up_requests = WARM_UP

    def row(self, figure: str, *args, **kwargs) -> Row:
        row = Row(f"{figure} [{self.database}]", *args, **kwargs)
        self.rows.append(row)
        return row

    # --- seeding ------------------------------------------------------------------------------

    def seed(self) -> None:
        started = time.perf_counter()
        self.app = seeding.migrated_app(self.url)
        self.small, self.source = text_of_20_kb(random.Random(1))
        self.large = text_of_200_kb(self.small, random.Random(2))
        with self.app.app_context():
            self.people = seeding.add_people(self.size.delegates)
            self.executive = self.people["executive"]
            self.delegates = self.people["delegates"]
            self.delegate_ids = [d for d, _ in self.delegates]
            self.letter = seeding.new_declaration("Letter", self.small, self.executive[0])
            self.programme = seeding.new_declaration("Programme", self.large, self.executive[0])
            self.ballot_declaration = seeding.new_declaration(
                "Ballots", self.small, self.executive[0]
            )
            self.ballot_amendments = seeding.paragraph_amendments(
                self.ballot_declaration, self.size.ballot_votes, self.delegate_ids
            )
            self.reading = seeding.adopted_declaration(self.small, self.people, 10)
        self.cookie = seeding.browser_cookie(self.app, self.delegate_ids[0])
        self.pending = {self.letter: 0, self.programme: 0}
        print(f"  [{self.database}] seeded in {time.perf_counter() - started:.1f} s", flush=True)

    def grow(self, declaration_id: int, to: int) -> None:
        missing = to - self.pending[declaration_id]
        if missing > 0:
            started = time.perf_counter()
            with self.app.app_context():
                seeding.propose_random(
                    declaration_id, missing, self.delegate_ids, seed=declaration_id * 7 + to
                )
            self.pending[declaration_id] = to
            print(
                f"  [{self.database}] {to} pending on declaration {declaration_id} "
                f"(+{missing} in {time.perf_counter() - started:.1f} s)",
                flush=True,
            )

    # --- measurements -------------------------------------------------------------------------

    def proposing(self, port: int, declaration_id: int, count: int) -> list[float]:
        """``count`` proposals through the API, one after another; each is withdrawn again
        (not timed), so the number pending stays what it was."""
        with self.app.app_context():
            number, text = seeding.current(declaration_id)
        samples = []
        for index in range(count):
            _, token = self.delegates[index % len(self.delegates)]
            answer = call(
                port,
                "POST",
                f"/api/v1/declarations/{declaration_id}/amendments",
                token=token,
                body={
                    "base_version": number,
                    "text": seeding.amended(text, self.rng),
                    "rationale": "",
                },
            )
            if answer.status != 201:
                raise RuntimeError(f"proposing answered {answer.status}: {answer.body!r:.300}")
            samples.append(answer.seconds)
            withdrawn = call(
                port, "POST", f"/api/v1/amendments/{answer.body['id']}/withdraw", token=token
            )
            if withdrawn.status != 200:
                raise RuntimeError(f"withdrawing answered {withdrawn.status}")
        return samples

    def pages(self, port: int, bare_port: int, path: str, count: int) -> tuple[list, list]:
        """The page and the bare page, alternately, so both see the same machine."""
        mine, bare = [], []
        for _ in range(count):
            answer = call(port, "GET", path, cookie=self.cookie)
            if answer.status != 200:
                raise RuntimeError(f"{path} answered {answer.status}")
            mine.append(answer.seconds)
            if bare_port:
                bare.append(call(bare_port, "GET", "/page").seconds)
        return mine, bare

    def run(self) -> None:
        size = self.size
        self.seed()
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as page_text:
            page_text.write(self.small)
        bare_app.prepare(self.url, size.list_pending)
        environment = {"DATABASE_URL": self.url, "COREP_SECURE_COOKIES": "0"}
        bare_environment = {**environment, "BENCH_PAGE_TEXT": page_text.name}
        with (
            served("app:app", environment, "/api/v1/openapi.json") as server,
            served("bench.bare_app:create_app()", bare_environment, "/page") as bare,
        ):
            self.warm_up(server.port, bare.port)
            self.measure(server.port, bare.port)
        Path(page_text.name).unlink()

    def warm_up(self, port: int, bare_port: int) -> None:
        """Requests of the kinds measured, not measured: proposals (withdrawn again: the list
        of the letter's amendments has these ten more), draft pages, and the bare app's page
        and rows."""
        count = self.warm_up_requests
        if not count:
            return
        measured_rng, self.rng = self.rng, random.Random(7)
        self.proposing(port, self.letter, count)
        self.rng = measured_rng
        self.pages(port, bare_port, f"/declarations/{self.letter}", count)
        for _ in range(count):
            call(bare_port, "GET", "/rows")
        print(f"  [{self.database}] {count} warm-up requests of each kind", flush=True)

    def measure(self, port: int, bare_port: int) -> None:
        size = self.size
        p50 = {}
        wanted = self.only
        if not wanted & {"propose", "pages", "large"}:
            self.after_proposing(port, bare_port, p50)
            return
        for level in size.levels:
            draft_due = self.pending[self.letter] < size.draft_pending <= level
            if draft_due and wanted & {"pages", "large"}:
                self.draft_pages(port, bare_port)
            self.grow(self.letter, level)
            if level == size.list_pending and "pages" in wanted:
                self.amendment_list(port, bare_port)
            if "propose" not in wanted:
                continue
            samples = self.proposing(port, self.letter, size.proposals)
            p50[level] = percentile(samples, 0.5)
            p99 = percentile(samples, 0.99)
            slowest = sorted(range(len(samples)), key=samples.__getitem__, reverse=True)[:3]
            print(
                f"  [{self.database}] propose at {level:,} pending, slowest: "
                + ", ".join(f"{ms(samples[i])} (#{i + 1} of {len(samples)})" for i in slowest),
                flush=True,
            )
            row = self.row(
                f"propose, {level:,} pending, 20 KB",
                "p99 < 30 ms",
                f"p50 {ms(p50[level])}, p99 {ms(p99)}",
            )
            check(row, p99 < 0.030, "p99 over 30 ms")
        if "propose" not in wanted:
            self.after_proposing(port, bare_port, p50)
            return
        low, high = size.levels[0], size.levels[-1]
        ratio = p50[high] / p50[low]
        check(
            self.row(
                f"propose p50, {high:,} / {low} pending",
                "<= 1.5x",
                f"{ms(p50[high])} / {ms(p50[low])}",
                ratio=f"{ratio:.2f}x",
            ),
            ratio <= 1.5,
            "the cost grows with the number pending",
        )
        self.after_proposing(port, bare_port, p50)

    def after_proposing(self, port: int, bare_port: int, p50: dict) -> None:
        if "pages" in self.only:
            self.reading_view(port)
        if "close" in self.only:
            self.closing(port)
        if "ballots" in self.only:
            self.ballots(port, bare_port)
        if "large" in self.only:
            self.large_programme(port, p50)

    def draft_pages(self, port: int, bare_port: int) -> None:
        self.grow(self.letter, self.size.draft_pending)
        mine, bare = self.pages(
            port, bare_port, f"/declarations/{self.letter}", self.size.page_requests
        )
        self.draft_p50 = percentile(mine, 0.5)
        bare_p50 = percentile(bare, 0.5)
        share = bare_p50 / self.draft_p50
        row = self.row(
            f"draft page, {self.size.draft_pending} pending, 20 KB, p50",
            "< 50 ms; >= 25% of bare page",
            ms(self.draft_p50),
            ms(bare_p50),
            f"{share:.0%} of bare",
        )
        check(
            row,
            self.draft_p50 < 0.050 and share >= 0.25,
            "slower than 50 ms" if self.draft_p50 >= 0.050 else "under 25% of the bare page",
        )
        samples = self.proposing(port, self.letter, self.size.proposals)
        self.propose_at_draft = (percentile(samples, 0.5), percentile(samples, 0.99))

    def amendment_list(self, port: int, bare_port: int) -> None:
        _, token = self.delegates[0]
        path = f"/api/v1/declarations/{self.letter}/amendments"
        mine, bare = [], []
        listed = 0
        for _ in range(self.size.page_requests // 2):
            answer = call(port, "GET", path, token=token)
            listed = len(answer.body)
            mine.append(answer.seconds)
            bare.append(call(bare_port, "GET", "/rows").seconds)
        p50, bare_p50 = percentile(mine, 0.5), percentile(bare, 0.5)
        row = self.row(
            f"amendment list API, {listed:,} amendments ({self.size.list_pending:,} pending), p50",
            "< 100 ms",
            ms(p50),
            f"{ms(bare_p50)} ({self.size.list_pending:,} rows)",
            f"{p50 / bare_p50:.1f}x bare",
        )
        check(row, p50 < 0.100, "over 100 ms")

    def reading_view(self, port: int) -> None:
        mine, _ = self.pages(port, 0, f"/read/{self.reading}", self.size.page_requests)
        p50 = percentile(mine, 0.5)
        row = self.row("reading view with provenance (10 adopted), p50", "< 30 ms", ms(p50))
        check(row, p50 < 0.030, "over 30 ms")

    def closing(self, port: int) -> None:
        """Open a vote on a ready amendment, one yes per section, and time the close that adopts
        it and carries every other pending amendment onto the new version."""
        executive_token = self.executive[1]
        voters = self.delegates[: len(seeding.SECTIONS)]
        timings = []
        for _ in range(self.size.closes):
            listed = call(
                port,
                "GET",
                f"/api/v1/declarations/{self.letter}/amendments",
                token=executive_token,
            ).body
            current = max(a["base_version"] for a in listed)
            ready = next(
                a for a in listed if a["status"] == "submitted" and a["base_version"] == current
            )
            pending = sum(a["status"] in ("submitted", "conflicted") for a in listed)
            opened = call(
                port, "POST", f"/api/v1/amendments/{ready['id']}/vote", token=executive_token
            )
            vote_id = opened.body["vote_id"]
            for _, token in voters:
                call(
                    port,
                    "POST",
                    f"/api/v1/votes/{vote_id}/ballots",
                    token=token,
                    body={"choice": "yes"},
                )
            closed = call(port, "POST", f"/api/v1/votes/{vote_id}/close", token=executive_token)
            if closed.status != 200 or closed.body["result"]["outcome"] != "adopted":
                raise RuntimeError(f"closing answered {closed.status}: {closed.body!r:.300}")
            timings.append(closed.seconds)
        worst = max(timings)
        row = self.row(
            f"close a vote adopting 1, carrying ~{pending - 1:,} pending",
            "< 0.5 s",
            f"{', '.join(ms(t) for t in timings)}",
        )
        check(row, worst < 0.5, "over 0.5 s")

    def ballots(self, port: int, bare_port: int) -> None:
        """Every delegate casts a first ballot in every open vote, 16 connections at once;
        the bare app inserts the same rows. Two rounds each, alternating."""
        executive_token = self.executive[1]
        vote_ids = []
        for amendment_id in self.ballot_amendments:
            answer = call(
                port, "POST", f"/api/v1/amendments/{amendment_id}/vote", token=executive_token
            )
            if answer.status != 201:
                raise RuntimeError(f"opening a vote answered {answer.status}: {answer.body!r:.200}")
            vote_ids.append(answer.body["vote_id"])
        jobs = [(vote, delegate) for vote in vote_ids for delegate in self.delegates]
        random.Random(3).shuffle(jobs)
        halves = (jobs[: len(jobs) // 2], jobs[len(jobs) // 2 :])

        def cast(job):
            vote_id, (_, token) = job
            return call(
                port,
                "POST",
                f"/api/v1/votes/{vote_id}/ballots",
                token=token,
                body={"choice": "yes"},
            )

        def bare_insert(job):
            vote_id, (delegate_id, _) = job
            return call(
                bare_port,
                "POST",
                "/ballots",
                body={"vote": vote_id, "delegate": delegate_id, "choice": "yes"},
            )

        answers, bare_answers, seconds, bare_seconds = [], [], 0.0, 0.0
        for half in halves:
            results, wall = in_parallel(half, 16, cast)
            answers += results
            seconds += wall
            results, wall = in_parallel(half, 16, bare_insert)
            bare_answers += results
            bare_seconds += wall
        accepted = sum(1 for a in answers if not isinstance(a, Exception) and a.status == 201)
        errors = len(answers) - accepted
        bare_errors = sum(1 for a in bare_answers if isinstance(a, Exception) or a.status != 201)
        throughput, bare_throughput = accepted / seconds, (len(jobs) - bare_errors) / bare_seconds
        latencies = [a.seconds for a in answers if not isinstance(a, Exception)]
        p99 = percentile(latencies, 0.99)
        with self.app.app_context():
            stored = db.session.scalar(
                select(func.count(Ballot.id)).where(Ballot.vote_id.in_(vote_ids))
            )
            distinct = db.session.scalar(
                select(func.count()).select_from(
                    select(Ballot.vote_id, Ballot.delegate_id)
                    .where(Ballot.vote_id.in_(vote_ids))
                    .distinct()
                    .subquery()
                )
            )
        ratio = throughput / bare_throughput
        row = self.row(
            f"ballots, 16 connections, {len(jobs):,} ballots",
            ">= 50% of bare insert",
            f"{throughput:.0f}/s",
            f"{bare_throughput:.0f}/s",
            f"{ratio:.2f}x",
        )
        check(row, ratio >= 0.5, "under half the bare insert's throughput")
        row = self.row(
            "ballots p99 / errors / counted once",
            "< 50 ms / 0 / all",
            f"{ms(p99)} / {errors} errors / {stored:,} stored of {accepted:,} accepted "
            f"({distinct:,} distinct)",
            f"{bare_errors} errors",
        )
        counted = stored == accepted == distinct
        check(
            row,
            p99 < 0.050 and errors == 0 and counted,
            "p99 over 50 ms" if p99 >= 0.050 else "errors or miscounted ballots",
        )

    def large_programme(self, port: int, p50_small: dict) -> None:
        """The 200 KB programme with as many pending as the draft-page row, against 20 KB."""
        pending = self.size.large_pending
        self.grow(self.programme, pending)
        samples = self.proposing(port, self.programme, self.size.proposals)
        large_p50, large_p99 = percentile(samples, 0.5), percentile(samples, 0.99)
        small_p50, small_p99 = self.propose_at_draft
        ratio = large_p99 / small_p99
        row = self.row(
            f"propose, 200 KB, {pending} pending (20 KB: {self.size.draft_pending})",
            "<= ~10x the 20 KB figure",
            f"p50 {ms(large_p50)}, p99 {ms(large_p99)}",
            f"20 KB: p50 {ms(small_p50)}, p99 {ms(small_p99)}",
            f"p99 {ratio:.1f}x",
        )
        check(row, ratio <= 10, "more than 10x the 20 KB figure")
        mine, _ = self.pages(port, 0, f"/declarations/{self.programme}", self.size.page_requests)
        large_page = percentile(mine, 0.5)
        ratio = large_page / self.draft_p50
        row = self.row(
            f"draft page, 200 KB, {pending} pending, p50",
            "<= ~10x the 20 KB figure",
            ms(large_page),
            f"20 KB: {ms(self.draft_p50)}",
            f"{ratio:.1f}x",
        )
        check(row, ratio <= 10, "more than 10x the 20 KB figure")


def verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "MISSED")


def print_table(rows: list[Row]) -> None:
    header = ("figure", "target", "measured", "bare baseline", "ratio", "verdict", "note")
    lines = [
        (r.figure, r.target, r.measured, r.bare, r.ratio, verdict(r.met), r.note) for r in rows
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for line in lines:
        print("| " + " | ".join(line) + " |")


def measure_rows(
    databases: list[str], size: Size = FULL, only: frozenset = GROUPS, warm_up: int = WARM_UP
) -> list[Row]:
    """Every row of the table, measured on a throwaway database of each kind in turn."""
    rows: list[Row] = []
    for database in databases:
        with throwaway_database(database) as url:
            bench = Bench(database, url, size, rows, only)
            bench.warm_up_requests = warm_up
            bench.run()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run (about a minute)")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(GROUPS),
        help="measure only these rows (repeatable); every row by default",
    )
    parser.add_argument(
        "--warm-up",
        type=int,
        default=WARM_UP,
        help=f"unmeasured requests of each kind per server first ({WARM_UP}; 0: none)",
    )
    options = parser.parse_args()
    only = frozenset(options.only) if options.only else GROUPS
    size = QUICK if options.quick else FULL
    databases = ["sqlite"]
    if not options.sqlite_only:
        if postgres_reachable():
            databases.append("postgresql")
        else:
            print("PostgreSQL on 127.0.0.1:5432 is not reachable: SQLite only.")
    started = time.perf_counter()
    rows = measure_rows(databases, size, only, options.warm_up)
    source = text_of_20_kb(random.Random(1))[1]
    print(
        f"\nApplication benchmark ({'quick' if options.quick else 'full'} run, text: {source}, "
        f"2 gunicorn sync workers, {time.perf_counter() - started:.0f} s)\n"
    )
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
