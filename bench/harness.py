"""What the application benchmarks share: a throwaway database (SQLite file or a fresh
PostgreSQL database, dropped at the end), real gunicorn servers on 127.0.0.1 (killed with their
whole process group at the end, whatever happened), HTTP calls and percentiles.

Only the standard library talks to the servers (http.client in threads), so the benchmarks need
no dependency beyond the application's own.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

REPOSITORY = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
START_DEADLINE = 60.0
POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SECRET_KEY = "bench-secret-" + secrets.token_hex(24)


def app_config(database_url: str) -> dict:
    """The in-process app that seeds the database: the server's secret, cheap password hashing
    (the benchmark's accounts sign in by token, never by password)."""
    return {
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "RATELIMIT_ENABLED": False,
        "COREP_SECURE_COOKIES": False,
    }


@contextmanager
def throwaway_database(kind: str):
    """A database URL of ``kind`` ("sqlite" or "postgresql") that exists for the block only."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="corep-bench-") as directory:
            yield f"sqlite:///{directory}/bench.db"
        return
    name = "corep_bench_" + secrets.token_hex(4)
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable() -> bool:
    try:
        engine = create_engine(
            POSTGRES_SERVER, poolclass=NullPool, connect_args={"connect_timeout": 3}
        )
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means: run SQLite only, and say so
        return False


@dataclass
class Server:
    """gunicorn with ``workers`` workers serving ``target`` (``module:app``): sync ones, or
    ``gthread`` ones with ``threads`` threads each (what `make run` serves, for live pages)."""

    target: str
    environment: dict
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1
    process: subprocess.Popen | None = None
    port: int | None = None
    log: list[str] = field(default_factory=list)
    _listening: threading.Event = field(default_factory=threading.Event)

    def start(self, ready_path: str) -> Server:
        environment = {**os.environ, **self.environment, "SECRET_KEY": SECRET_KEY}
        environment.pop("COREP_ENV", None)
        environment.pop("FLASK_DEBUG", None)
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                str(self.workers),
                "--worker-class",
                self.worker_class,
                "--threads",
                str(self.threads),
                "--bind",
                "127.0.0.1:0",
                "--timeout",
                "120",
                "--graceful-timeout",
                "1",
                "--no-control-socket",
                self.target,
            ],
            cwd=REPOSITORY,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: the workers die with it
        )
        threading.Thread(target=self._read_log, daemon=True).start()
        if not self._listening.wait(START_DEADLINE):
            self.kill()
            raise RuntimeError("gunicorn did not start:\n" + "".join(self.log[-50:]))
        deadline = time.monotonic() + START_DEADLINE
        while len(self.worker_pids()) < self.workers or not self._answers(ready_path):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.kill()
                raise RuntimeError("gunicorn did not answer:\n" + "".join(self.log[-50:]))
            time.sleep(0.05)
        return self

    def _answers(self, path: str) -> bool:
        try:
            return call(self.port, "GET", path, timeout=5).status < 500
        except OSError:
            return False

    def _read_log(self) -> None:
        for line in self.process.stderr:
            self.log.append(line)
            del self.log[:-500]
            match = LISTENING.search(line)
            if match and self.port is None:
                self.port = int(match.group(1))
                self._listening.set()

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def resident_kib(self) -> int:
        """VmRSS of the master and its workers, in KiB."""
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            with suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total

    def kill(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@contextmanager
def served(
    target: str,
    environment: dict,
    ready_path: str,
    workers: int = 2,
    worker_class: str = "sync",
    threads: int = 1,
):
    server = Server(target, environment, workers, worker_class, threads)
    try:
        yield server.start(ready_path)
    finally:
        server.kill()


@dataclass(frozen=True)
class Answer:
    status: int
    body: object
    seconds: float


def call(
    port: int,
    method: str,
    path: str,
    *,
    token: str | None = None,
    cookie: str | None = None,
    body: dict | None = None,
    timeout: float = 120,
    connection: http.client.HTTPConnection | None = None,
) -> Answer:
    """One request; with ``connection`` it is reused (keep-alive is not spoken by gunicorn's
    sync workers, so a fresh connection per request is what every client gets anyway)."""
    headers = {"User-Agent": "corep-bench", "Accept-Language": "en"}
    payload = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        if own:
            connection.close()
    seconds = time.perf_counter() - started
    try:
        parsed = json.loads(raw) if raw and raw[:1] in (b"{", b"[") else raw
    except ValueError:
        parsed = raw
    return Answer(response.status, parsed, seconds)


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN without samples."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def in_parallel(jobs: list, threads: int, worker) -> tuple[list, float]:
    """Run ``worker(job)`` for every job on ``threads`` threads; (results, wall seconds)."""
    results: list = [None] * len(jobs)
    position = iter(range(len(jobs)))
    lock = threading.Lock()

    def run() -> None:
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                return
            try:
                results[index] = worker(jobs[index])
            except Exception as error:  # noqa: BLE001 - counted as an error in the table
                results[index] = error

    started = time.perf_counter()
    pool = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, time.perf_counter() - started
