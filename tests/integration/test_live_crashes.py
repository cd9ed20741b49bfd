"""Crashes: a real gunicorn worker is killed (SIGKILL) at random moments of a close that adopts an
amendment and carries 200 others; the close must have happened wholly or not at all, and
`flask declarations verify` must pass, every time.

The database is prepared once (201 pending amendments, the vote on the first open) and copied
for each run. gunicorn replaces a killed worker at once, so the next run is served by a new
process on a new copy. The seed is printed; `COREP_CRASH_SEED=N` replays a run's delays and
`COREP_CRASH_RUNS=N` changes their number. Run with -s to see the table.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from corep_testing import PASSWORD, config_for_tests, postgres_server_url
from live_server import Answer, DatabaseCopies, drop_database, live_server, migrated_app
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from corep_drafts import create_app
from corep_drafts.extensions import db
from corep_drafts.models import Amendment, AmendmentRevision, AuditEvent, Version, Vote
from corep_drafts.services import accounts, amendments, declarations, votes

RUNS = int(os.environ.get("COREP_CRASH_RUNS", "50"))
SEED = int(os.environ.get("COREP_CRASH_SEED") or random.randrange(2**32))
TIME_LIMIT = 240.0  # seconds for all the runs on one database; the test fails beyond it
PARAGRAPHS = 200
COMPETING = 20  # change the adopted amendment's words: conflicted by the adoption
BESIDE = 180  # change other paragraphs: carried onto the new version
SECTIONS = ("Argentina", "Austria", "France", "Spanish State", "Türkiye")

pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index")


def paragraph_text() -> str:
    return "\n\n".join(f"Paragraph {n} asks for measure {n}." for n in range(PARAGRAPHS)) + "\n"


def changed(text: str, paragraph: int, words: str) -> str:
    return text.replace(f"Paragraph {paragraph} asks", f"Paragraph {paragraph} {words}", 1)


@dataclass
class Prepared:
    declaration_id: int
    vote_id: int
    adopted_id: int
    competing_ids: list[int]
    beside_ids: list[int]
    executive_token: str
    amendments_before: dict = field(default_factory=dict)


def fingerprint() -> dict[int, tuple]:
    revisions = dict(
        db.session.execute(
            select(AmendmentRevision.amendment_id, func.count()).group_by(
                AmendmentRevision.amendment_id
            )
        ).all()
    )
    return {
        a.id: (a.status, a.base_version_id, a.text, a.conflict_reason, revisions[a.id])
        for a in db.session.scalars(select(Amendment))
    }


def prepare(app) -> Prepared:
    with app.app_context():
        for name in SECTIONS:
            accounts.add_section(name)
        delegates = [
            accounts.add_user(
                f"delegate{n}@example.org", f"Delegate {n}", ["delegate"], PASSWORD, name
            )
            for n, name in enumerate(SECTIONS)
        ]
        executive = accounts.add_user("executive@example.org", "Executive", ["executive"], PASSWORD)
        text = paragraph_text()
        declaration = declarations.create_declaration("Crash", text, created_by=executive)
        declarations.transition(executive, declaration.id, "amending")

        def propose(number: int, amended: str) -> int:
            proposer = delegates[number % len(delegates)]
            return amendments.propose(proposer, declaration.id, 1, amended, "").id

        adopted_id = propose(0, changed(text, 0, "demands"))
        competing_ids = [
            propose(n, changed(text, 0, f"pleads {n} times for")) for n in range(1, COMPETING + 1)
        ]
        beside_ids = [propose(n, changed(text, n, "insists on")) for n in range(1, BESIDE + 1)]
        vote = votes.open_amendment_vote(executive, adopted_id)
        for delegate in delegates:
            votes.cast_ballot(delegate, vote.id, "yes")
        prepared = Prepared(
            declaration.id,
            vote.id,
            adopted_id,
            competing_ids,
            beside_ids,
            accounts.create_token(executive),
        )
        prepared.amendments_before = fingerprint()
        db.session.remove()
        db.engine.dispose()  # nobody connected: the copies need it
        return prepared


def state_after_crash(checker, prepared: Prepared) -> str:
    """'open' or 'closed' if the close happened not at all or wholly; fails on anything else.
    `flask declarations verify` must pass either way."""
    with checker.app_context():
        try:
            vote = db.session.get(Vote, prepared.vote_id)
            versions = db.session.scalars(
                select(Version)
                .where(Version.declaration_id == prepared.declaration_id)
                .order_by(Version.number)
            ).all()
            closings = db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "vote.closed", AuditEvent.object_id == vote.id)
            )
            if vote.state == "open":
                assert vote.result_json is None and vote.closed_at is None
                assert [v.number for v in versions] == [1] and closings == 0
                assert fingerprint() == prepared.amendments_before
                state = "open"
            else:
                assert vote.state == "closed" and vote.outcome == "adopted" and closings == 1
                assert [v.number for v in versions] == [1, 2]
                first, second = versions
                assert second.amendment_id == prepared.adopted_id
                found = {a.id: a for a in db.session.scalars(select(Amendment))}
                assert found[prepared.adopted_id].status == "adopted"
                assert {found[i].status for i in prepared.competing_ids} == {"conflicted"}
                assert {found[i].base_version_id for i in prepared.competing_ids} == {first.id}
                assert {found[i].status for i in prepared.beside_ids} == {"submitted"}
                assert {found[i].base_version_id for i in prepared.beside_ids} == {second.id}
                state = "closed"
            result = checker.test_cli_runner().invoke(
                args=["declarations", "verify", str(prepared.declaration_id)]
            )
            assert result.exit_code == 0 and result.output.startswith("ok"), result.output
            return state
        finally:
            db.session.remove()
            db.engine.dispose()  # the next run replaces the database


@pytest.fixture
def crash_databases(fresh_database_url, tmp_path):
    prepared_url = fresh_database_url("crash")
    server = postgres_server_url()
    if server:
        run_url = (
            make_url(prepared_url)
            .set(database=make_url(prepared_url).database + "_run")
            .render_as_string(hide_password=False)
        )
    else:
        run_url = "sqlite:///" + str(tmp_path / "run.sqlite3")
    try:
        yield prepared_url, run_url, server
    finally:
        drop_database(run_url, server)


def restart_on_a_new_copy(server, copies: DatabaseCopies) -> int:
    """Kill the worker (it holds the previous copy open), copy the prepared database while no
    one is connected, and return the pid of the new worker."""
    (worker,) = server.worker_pids()
    os.kill(worker, signal.SIGKILL)
    server.wait_for_workers()
    return new_copy(server, copies)


def new_copy(server, copies: DatabaseCopies) -> int:
    """Copy the prepared database (the worker has not connected yet); the worker's pid."""
    copies.put_in_place()
    (worker,) = server.worker_pids()
    return worker


def close_in_background(server, prepared: Prepared) -> tuple[threading.Thread, list]:
    answers: list = []

    def close():
        try:
            answers.append(
                server.call(
                    "POST",
                    f"/api/v1/votes/{prepared.vote_id}/close",
                    token=prepared.executive_token,
                    timeout=60,
                )
            )
        except (OSError, http.client.HTTPException) as error:  # the worker died mid-answer
            answers.append(error)

    thread = threading.Thread(target=close, daemon=True)
    thread.start()
    return thread, answers


def test_a_close_killed_at_any_moment_happened_wholly_or_not_at_all_and_verifies(
    crash_databases,
):
    prepared_url, run_url, server_url = crash_databases
    label = "postgresql" if server_url else "sqlite"
    started = time.monotonic()
    app = migrated_app(prepared_url)
    prepared = prepare(app)
    preparing = time.monotonic() - started
    checker = create_app(config_for_tests(run_url))
    rng = random.Random(SEED)
    print(f"\ncrashes[{label}] seed={SEED} (replay: COREP_CRASH_SEED={SEED})")

    copies = DatabaseCopies(prepared_url, run_url, server_url)
    try:
        copies.put_in_place()  # the server starts on it
        with live_server(run_url, app.config["SECRET_KEY"], workers=1) as server:
            # Whole closes first, each by a new worker on a new copy as in the runs: their
            # median is the first estimate of a close's duration; then each run nudges it up
            # when the close was killed before its commit and down otherwise, so that the
            # estimate follows the machine's load and the kills fall on both sides of the commit.
            durations = []
            for _measure in range(3):
                restart_on_a_new_copy(server, copies)
                measuring = time.monotonic()
                answer = server.call(
                    "POST",
                    f"/api/v1/votes/{prepared.vote_id}/close",
                    token=prepared.executive_token,
                )
                durations.append(answer.at - measuring)
                if answer.status != 200:
                    print(server.log_text())
                assert answer.status == 200, answer.body
                assert state_after_crash(checker, prepared) == "closed"
            restart_on_a_new_copy(server, copies)
            estimate = statistics.median(durations)

            outcomes = Counter()
            runs_started = time.monotonic()
            for run in range(RUNS):
                assert time.monotonic() - runs_started < TIME_LIMIT, f"only {run} runs in time"
                (worker,) = server.worker_pids()
                # Anywhere in the close, or (every other run) around its commit at the end.
                delay = estimate * (rng.uniform(0, 1.2) if run % 2 else rng.uniform(0.8, 1.2))
                thread, answers = close_in_background(server, prepared)
                time.sleep(delay)  # the experiment's random moment, not a wait for something
                os.kill(worker, signal.SIGKILL)
                thread.join(timeout=60)
                assert not thread.is_alive()
                server.wait_for_workers()  # the restart: a new process on the same database
                answered = isinstance(answers[0], Answer)
                if answered:
                    assert answers[0].status == 200, (run, delay, answers[0].body)
                try:
                    state = state_after_crash(checker, prepared)
                except AssertionError as error:
                    raise AssertionError(
                        f"run {run} (seed {SEED}, kill after {delay:.3f} s)"
                    ) from error
                outcomes[state if state == "open" or not answered else "answered"] += 1
                estimate *= 1.05 if state == "open" else 0.95
                if run % 5 == 0:  # the new process serves the vote as the check found it
                    seen = server.call(
                        "GET", f"/api/v1/votes/{prepared.vote_id}", token=prepared.executive_token
                    )
                    assert seen.status == 200 and seen.body["state"] == state, seen.body
                    outcomes["served after the restart"] += 1
                    restart_on_a_new_copy(server, copies)
                else:  # the new worker has not connected yet
                    new_copy(server, copies)
            elapsed = time.monotonic() - runs_started

    finally:
        copies.close()

    print(
        f"crashes[{label}] prepared 201 amendments in {preparing:.1f} s; a whole close took "
        f"{statistics.median(durations) * 1000:.0f} ms (median of {len(durations)}), "
        f"{estimate * 1000:.0f} ms estimated at the end; kills drawn over 0-120 % of the "
        f"estimate, every other run over 80-120 %\n"
        f"crashes[{label}] | runs | killed before commit | killed after commit "
        f"| answered before the kill | verify failures | seconds |\n"
        f"crashes[{label}] | {RUNS} | {outcomes['open']} | {outcomes['closed']} "
        f"| {outcomes['answered']} | 0 | {elapsed:.1f} |\n"
        f"crashes[{label}] the restarted server served the vote as found "
        f"{outcomes['served after the restart']} times"
    )
    assert outcomes["open"] + outcomes["closed"] + outcomes["answered"] == RUNS
