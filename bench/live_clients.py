"""How many live vote pages one gunicorn instance holds: K event streams (`/votes/N/events`)
opened against one instance (gthread workers), then one ballot cast through the API, timed until
each stream has its event; an ordinary request is timed meanwhile. Bounded: one server per K,
killed afterwards, every wait has a deadline.

    .venv/bin/python bench/live_clients.py [--clients 50,100,200] [--workers 2] [--threads 64]
        [--streams-per-worker 48] [--database-url postgresql+psycopg://postgres@127.0.0.1/x]

Without --database-url, an SQLite file in a temporary directory (then use --workers 1: the
in-process broadcast reaches only the worker that committed). With a PostgreSQL URL, a fresh
database is created beside the one named and dropped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from live_server import USER_AGENT, LiveServer, migrated_app, signed_in_browser  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from corep_drafts.extensions import db  # noqa: E402
from corep_drafts.services import accounts, amendments, declarations, votes  # noqa: E402

PASSWORD = "bench-password-long-enough"
TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"
CONNECT_DEADLINE = 30.0
EVENT_DEADLINE = 10.0


class StreamClient(threading.Thread):
    """One EventSource: connects, then records when each event arrives."""

    def __init__(self, port: int, path: str, cookie: str):
        super().__init__(daemon=True)
        self.port, self.path, self.cookie = port, path, cookie
        self.status: int | None = None
        self.events: list[float] = []
        self.first_event = threading.Event()
        self.connection: http.client.HTTPConnection | None = None

    def run(self) -> None:
        try:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(
                "GET",
                self.path,
                headers={"User-Agent": USER_AGENT, "Cookie": f"session={self.cookie}"},
            )
            response = self.connection.getresponse()
            self.status = response.status
            if response.status != 200:
                self.first_event.set()
                return
            while line := response.readline():
                if line.startswith(b"data: "):
                    self.events.append(time.monotonic())
                    self.first_event.set()
        except OSError:
            pass
        finally:
            self.first_event.set()

    def stop(self) -> None:
        if self.connection is not None and self.connection.sock is not None:
            with contextlib.suppress(OSError):
                self.connection.sock.shutdown(socket.SHUT_RDWR)


def prepare(url: str):
    app = migrated_app(url)
    with app.app_context():
        for name in ("Argentina", "Austria", "France", "Spanish State", "Türkiye"):
            accounts.add_section(name)
        executive = accounts.add_user("exec@example.org", "Executive", ["executive"], PASSWORD)
        delegate = accounts.add_user(
            "delegate@example.org", "Delegate", ["delegate"], PASSWORD, section_name="France"
        )
        declaration = declarations.create_declaration("Bench", TEXT, created_by=executive)
        declarations.transition(executive, declaration.id, "amending")
        amendment = amendments.propose(delegate, declaration.id, 1, TEXT.replace("paid", "p"), "")
        vote_id = votes.open_amendment_vote(executive, amendment.id).id
        token = accounts.create_token(delegate)
        executive_id = executive.id
    cookie, _csrf = signed_in_browser(app, executive_id)
    return app, vote_id, token, cookie


def worker_memory_mb(server: LiveServer) -> float:
    total = 0
    for pid in server.worker_pids():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def one_round(url, app, vote_id, token, cookie, clients, options, choice) -> dict:
    server = LiveServer(url, app.config["SECRET_KEY"], options.workers, options.gunicorn)
    server.start()
    try:
        memory_before = worker_memory_mb(server)
        streams = [StreamClient(server.port, f"/votes/{vote_id}/events", cookie)]
        streams += [
            StreamClient(server.port, f"/votes/{vote_id}/events", cookie)
            for _ in range(clients - 1)
        ]
        started = time.monotonic()
        for stream in streams:
            stream.start()
        for stream in streams:
            stream.first_event.wait(max(0.0, started + CONNECT_DEADLINE - time.monotonic()))
        connected = [s for s in streams if s.status == 200 and s.events]
        refused = [s for s in streams if s.status == 503]
        connect_seconds = time.monotonic() - started

        page_times = []
        for _ in range(20):
            begun = time.monotonic()
            answer = server.call("GET", f"/votes/{vote_id}/live", cookie=cookie, timeout=30)
            assert answer.status == 200, answer
            page_times.append(answer.at - begun)

        seen = {id(s): len(s.events) for s in connected}
        cast_at = time.monotonic()
        answer = server.call(
            "POST", f"/api/v1/votes/{vote_id}/ballots", token=token, body={"choice": choice}
        )
        assert answer.status in (200, 201), answer
        deadline = cast_at + EVENT_DEADLINE
        while time.monotonic() < deadline and any(len(s.events) == seen[id(s)] for s in connected):
            time.sleep(0.01)
        delays = sorted(
            s.events[seen[id(s)]] - cast_at for s in connected if len(s.events) > seen[id(s)]
        )
        memory_after = worker_memory_mb(server)
        for stream in streams:
            stream.stop()
        return {
            "clients": clients,
            "streaming": len(connected),
            "refused (poll)": len(refused),
            "connect all, s": connect_seconds,
            "ballot answered, ms": 1000 * (answer.at - cast_at),
            "event p50, ms": 1000 * statistics.median(delays) if delays else float("nan"),
            "event max, ms": 1000 * delays[-1] if delays else float("nan"),
            "events missed": len(connected) - len(delays),
            "page p50 / max, ms": f"{1000 * statistics.median(page_times):.0f}"
            f" / {1000 * max(page_times):.0f}",
            "workers RSS, MB": f"{memory_before:.0f} -> {memory_after:.0f}",
        }
    finally:
        server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="50,100,200")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=64)
    parser.add_argument("--streams-per-worker", type=int, default=48)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    options = parser.parse_args()
    options.gunicorn = ("--worker-class", "gthread", "--threads", str(options.threads))
    os.environ["COREP_LIVE_STREAMS_PER_WORKER"] = str(options.streams_per_worker)

    server_url, url = options.database_url, None
    temporary = tempfile.TemporaryDirectory()
    if server_url:
        name = f"corep_bench_live_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    else:
        url = "sqlite:///" + str(Path(temporary.name) / "bench.sqlite3")
    try:
        app, vote_id, token, cookie = prepare(url)
        print(
            f"one instance: {options.workers} gthread workers x {options.threads} threads, "
            f"at most {options.streams_per_worker} streams per worker; "
            f"{make_url(url).get_backend_name()}"
        )
        rows = [
            one_round(url, app, vote_id, token, cookie, int(k), options, ("yes", "no")[i % 2])
            for i, k in enumerate(options.clients.split(","))
        ]
        columns = list(rows[0])
        print("| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        for row in rows:
            cells = [f"{v:.0f}" if isinstance(v, float) else str(v) for v in row.values()]
            print("| " + " | ".join(cells) + " |")
        with app.app_context():
            db.engine.dispose()
    finally:
        if server_url:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        temporary.cleanup()


if __name__ == "__main__":
    main()
