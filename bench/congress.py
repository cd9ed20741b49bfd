"""A congress afternoon: ``.venv/bin/python bench/congress.py [--quick] [--postgresql]``.

250 delegates in 5 sections vote on 100 amendments, one after another, over the JSON API against
a 2-worker gunicorn on 127.0.0.1, while 50 clients (delegates in the hall) follow the vote as
the live page does today: polling ``GET /api/v1/votes/{id}`` every 2 s (the live page's
interval; there is no push yet). For each amendment: a delegate proposes it on the current
version, the executive opens the vote, every delegate casts a ballot (16 connections at once),
every client is waited for until it has seen the full turnout, the executive closes the vote,
and the result must count every ballot.

Measured: the delay between a ballot that changes the turnout (the first of its section) being
accepted (its 201 answer) and each client seeing it (p50/p99/max), the ballots' latency, and the
gunicorn workers' resident memory (VmRSS) at the start, the middle and the end.
``--quick``: 50 delegates, 10 amendments, 10 clients.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from bench import seeding  # noqa: E402
from bench.harness import (  # noqa: E402
    call,
    in_parallel,
    percentile,
    postgres_reachable,
    served,
    throwaway_database,
)
from bench.text_engine import text_of_20_kb  # noqa: E402

POLL_INTERVAL = 2.0  # static/ live page: every 2 s
SEEN_DEADLINE = 15.0  # a client that has not seen the full turnout by then is a failure
CHOICES = ("yes", "yes", "yes", "no", "abstain")


class Clients:
    """``count`` threads polling the vote now being held; each notes when it first saw each
    number of sections voted."""

    def __init__(self, port: int, tokens: list[str], count: int):
        self.port, self.tokens, self.count = port, tokens, count
        self.vote_id: int | None = None
        self.seen: dict[tuple[int, int, int], float] = {}  # (client, vote, sections) -> time
        self.errors = 0
        self.polls = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.poll, args=(n,), daemon=True) for n in range(count)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def poll(self, client: int) -> None:
        time.sleep(random.Random(client).uniform(0, POLL_INTERVAL))  # browsers open at random
        while not self.stop.is_set():
            vote_id = self.vote_id
            if vote_id is not None:
                try:
                    answer = call(
                        self.port,
                        "GET",
                        f"/api/v1/votes/{vote_id}",
                        token=self.tokens[client % len(self.tokens)],
                    )
                    arrived = time.perf_counter()
                    voted = answer.body["turnout"]["sections_voted"]
                    with self.lock:
                        self.polls += 1
                        for sections in range(1, voted + 1):
                            self.seen.setdefault((client, vote_id, sections), arrived)
                except Exception as error:  # noqa: BLE001 - counted; the run goes on
                    with self.lock:
                        self.errors += 1
                        self.last_error = repr(error)[:300]
            self.stop.wait(POLL_INTERVAL)

    def wait_until_all_saw(self, vote_id: int, sections: int) -> bool:
        deadline = time.perf_counter() + SEEN_DEADLINE
        while time.perf_counter() < deadline:
            with self.lock:
                if all((c, vote_id, sections) in self.seen for c in range(self.count)):
                    return True
            time.sleep(0.05)
        return False

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)


def run(database_url: str, delegates: int, amendments: int, clients: int) -> dict:
    app = seeding.migrated_app(database_url)
    small, _ = text_of_20_kb(random.Random(1))
    with app.app_context():
        people = seeding.add_people(delegates)
        declaration_id = seeding.new_declaration("Congress", small, people["executive"][0])
    executive = people["executive"][1]
    voters = people["delegates"]
    rng = random.Random(250)
    delays: list[float] = []
    ballot_latencies: list[float] = []
    memory: list[tuple[str, int]] = []
    failures: list[str] = []
    ballots_accepted = ballots_counted = 0
    section_of = {token: n % len(seeding.SECTIONS) for n, (_, token) in enumerate(voters)}
    lock = threading.Lock()
    started = time.perf_counter()
    environment = {"DATABASE_URL": database_url, "COREP_SECURE_COOKIES": "0"}
    with ExitStack() as stack:
        server = stack.enter_context(served("app:app", environment, "/api/v1/openapi.json"))
        watchers = Clients(server.port, [token for _, token in voters], clients)
        stack.callback(watchers.finish)
        watchers.start()
        memory.append(("start", server.resident_kib()))
        for index in range(amendments):
            if index == amendments // 2:
                memory.append(("middle", server.resident_kib()))
            with app.app_context():
                number, text = seeding.current(declaration_id)
            proposer = voters[index % len(voters)][1]
            proposed = call(
                server.port,
                "POST",
                f"/api/v1/declarations/{declaration_id}/amendments",
                token=proposer,
                body={"base_version": number, "text": seeding.amended(text, rng), "rationale": ""},
            )
            opened = call(
                server.port,
                "POST",
                f"/api/v1/amendments/{proposed.body['id']}/vote",
                token=executive,
            )
            vote_id = opened.body["vote_id"]
            watchers.vote_id = vote_id
            order = list(voters)
            rng.shuffle(order)
            choices = {token: rng.choice(CHOICES) for _, token in order}
            first_of_section: dict[int, float] = {}

            def cast(token, vote_id=vote_id, choices=choices, first=first_of_section):
                answer = call(
                    server.port,
                    "POST",
                    f"/api/v1/votes/{vote_id}/ballots",
                    token=token,
                    body={"choice": choices[token]},
                )
                arrived = time.perf_counter()
                with lock:
                    if answer.status == 201 and section_of[token] not in first:
                        first[section_of[token]] = arrived
                return answer

            answers, _ = in_parallel([token for _, token in order], 16, cast)
            accepted = [a for a in answers if not isinstance(a, Exception) and a.status == 201]
            ballots_accepted += len(accepted)
            ballot_latencies += [a.seconds for a in accepted]
            if len(accepted) != len(order):
                failures.append(f"vote {vote_id}: {len(order) - len(accepted)} ballots refused")
            # The n-th section to vote raised the turnout to n: when each client saw n.
            for sections, at in enumerate(sorted(first_of_section.values()), start=1):
                if not watchers.wait_until_all_saw(vote_id, sections):
                    failures.append(
                        f"vote {vote_id}: a client never saw {sections} sections "
                        f"(last poll error: {getattr(watchers, 'last_error', None)})"
                    )
                    print(failures[-1], flush=True)
                    break
                with watchers.lock:
                    delays += [
                        max(0.0, watchers.seen[(c, vote_id, sections)] - at) for c in range(clients)
                    ]
            watchers.vote_id = None
            if index % 10 == 9:
                print(f"  {index + 1} votes held, {watchers.errors} poll errors", flush=True)
            closed = call(server.port, "POST", f"/api/v1/votes/{vote_id}/close", token=executive)
            counted = sum(
                s["yes"] + s["no"] + s["abstain"] for s in closed.body["result"]["sections"]
            )
            ballots_counted += counted
            if counted != len(accepted):
                failures.append(f"vote {vote_id}: {counted} counted of {len(accepted)} accepted")
        memory.append(("end", server.resident_kib()))
        poll_errors = watchers.errors
        polls = watchers.polls
    return {
        "delays": delays,
        "ballot_latencies": ballot_latencies,
        "memory": memory,
        "failures": failures,
        "accepted": ballots_accepted,
        "counted": ballots_counted,
        "poll_errors": poll_errors,
        "polls": polls,
        "seconds": time.perf_counter() - started,
    }


def report(database: str, figures: dict, delegates: int, amendments: int, clients: int) -> bool:
    delays = figures["delays"]
    p50, p99, worst = (percentile(delays, q) for q in (0.5, 0.99, 1.0))
    memory = ", ".join(f"{label} {kib / 1024:.0f} MiB" for label, kib in figures["memory"])
    # Judged on the second half: the first requests fill caches (templates, compiled queries),
    # which is growth but not a leak; the start is shown beside it.
    middle_kib, end_kib = figures["memory"][1][1], figures["memory"][-1][1]
    growth = (end_kib - middle_kib) / middle_kib
    every_ballot = figures["accepted"] == figures["counted"] == delegates * amendments
    seen_in_time = bool(delays) and worst <= 2.0
    flat = growth <= 0.10
    print(
        f"\nCongress [{database}]: {delegates} delegates in 5 sections, {amendments} amendments, "
        f"{clients} clients polling every {POLL_INTERVAL:.0f} s; {figures['seconds']:.0f} s\n"
    )
    print("| figure | target | measured | verdict |")
    print("|---|---|---|---|")
    rows = [
        (
            "ballots counted",
            "every ballot, once",
            f"{figures['counted']:,} counted of {figures['accepted']:,} accepted "
            f"({delegates * amendments:,} cast)",
            every_ballot,
        ),
        (
            "turnout seen by every client after the ballot",
            "within 2 s",
            f"p50 {p50:.2f} s, p99 {p99:.2f} s, max {worst:.2f} s ({len(delays):,} sightings)",
            seen_in_time,
        ),
        (
            "ballot latency under the polling",
            "",
            f"p50 {percentile(figures['ballot_latencies'], 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(figures['ballot_latencies'], 0.99) * 1000:.0f} ms",
            None,
        ),
        (
            "server memory (VmRSS, master + 2 workers)",
            "flat (middle to end within 10%)",
            f"{memory} ({growth:+.0%} middle to end)",
            flat,
        ),
        (
            "client polls",
            "",
            f"{figures['polls']:,} answered, {figures['poll_errors']} errors",
            figures["poll_errors"] == 0 or None,
        ),
    ]
    for figure, target, measured, met in rows:
        verdict = "" if met is None else ("met" if met else "MISSED")
        print(f"| {figure} | {target} | {measured} | {verdict} |")
    for failure in figures["failures"][:20]:
        print(f"- {failure}")
    if not seen_in_time and delays:
        print(
            f"- MISSED within 2 s: the clients poll every {POLL_INTERVAL:.0f} s, so a sighting "
            "waits up to one interval plus the answer; push (SSE) is what removes the interval."
        )
    return every_ballot and not figures["failures"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="50 delegates, 10 amendments, 10 clients"
    )
    parser.add_argument("--postgresql", action="store_true", help="on PostgreSQL, not SQLite")
    options = parser.parse_args()
    delegates, amendments, clients = (50, 10, 10) if options.quick else (250, 100, 50)
    database = "postgresql" if options.postgresql else "sqlite"
    if database == "postgresql" and not postgres_reachable():
        print("PostgreSQL on 127.0.0.1:5432 is not reachable.")
        return 2
    with throwaway_database(database) as url:
        figures = run(url, delegates, amendments, clients)
    return 0 if report(database, figures, delegates, amendments, clients) else 1


if __name__ == "__main__":
    sys.exit(main())
