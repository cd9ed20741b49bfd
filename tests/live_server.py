"""A real multi-worker gunicorn serving the app on 127.0.0.1, for the race and crash tests.

The database is prepared in-process (migrations, then the services), the server gets it through
DATABASE_URL as in production, and the test talks to it over HTTP only. Every server is killed
(its whole process group) when the `with` block ends, whatever happened inside.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from corep_testing import config_for_tests
from flask import session
from flask_login import login_user
from flask_migrate import upgrade
from flask_wtf.csrf import generate_csrf
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from corep_drafts import create_app
from corep_drafts.extensions import db
from corep_drafts.models import User

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
USER_AGENT = "corep-live-test"
START_DEADLINE = 30.0


def migrated_app(database_url: str):
    """An app on ``database_url`` whose schema comes from the migrations, as the server's does."""
    app = create_app(config_for_tests(database_url))
    with app.app_context():
        upgrade()
    return app


@dataclass(frozen=True)
class Answer:
    status: int
    body: object
    at: float  # time.monotonic() when the answer arrived

    @property
    def error_code(self) -> str | None:
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return self.body["error"].get("code")
        return None


class LiveServer:
    """gunicorn on a free port of 127.0.0.1; its log is kept to show a traceback on failure."""

    def __init__(
        self, database_url: str, secret_key: str, workers: int = 4, options: tuple[str, ...] = ()
    ):
        self.database_url = database_url
        self.secret_key = secret_key
        self.workers = workers
        self.options = options  # more gunicorn options, e.g. the worker class
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.log: list[str] = []
        self._listening = threading.Event()

    def start(self) -> LiveServer:
        environment = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": self.secret_key,
        }
        environment.pop("COREP_ENV", None)
        environment.pop("FLASK_DEBUG", None)
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                str(self.workers),
                "--bind",
                "127.0.0.1:0",
                "--preload",
                "--timeout",
                "120",
                "--graceful-timeout",
                "1",
                "--no-control-socket",  # its default path in $HOME is shared by every server
                *self.options,
                "app:app",
            ],
            cwd=REPO_ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, so the workers die with it
        )
        threading.Thread(target=self._read_log, daemon=True).start()
        if not self._listening.wait(START_DEADLINE):
            self.kill()
            raise RuntimeError("gunicorn did not start:\n" + self.log_text())
        deadline = time.monotonic() + START_DEADLINE
        while True:  # the workers answer once booted
            try:
                if self.call("GET", "/api/v1/openapi.json", timeout=5).status == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.kill()
                raise RuntimeError("gunicorn did not answer:\n" + self.log_text())
            time.sleep(0.05)

    def _read_log(self) -> None:
        for line in self.process.stderr:
            self.log.append(line)
            match = LISTENING.search(line)
            if match and self.port is None:
                self.port = int(match.group(1))
                self._listening.set()

    def worker_pids(self) -> list[int]:
        """The master's children: the workers now serving (a killed one is replaced at once)."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children if not _is_zombie(int(child))]

    def wait_for_workers(self, count: int | None = None) -> list[int]:
        """Wait until ``count`` (default: all) workers run and one answers; their pids."""
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) >= (count or self.workers):
                try:
                    if self.call("GET", "/api/v1/openapi.json", timeout=5).status == 200:
                        return pids
                except OSError:
                    pass
            time.sleep(0.01)
        raise RuntimeError("gunicorn did not bring its workers back:\n" + self.log_text())

    def log_text(self) -> str:
        return "".join(self.log[-200:])

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no shutdown code runs."""
        if self.process is None or self.process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: dict | None = None,
        form: dict | None = None,
        cookie: str | None = None,
        timeout: float = 120,
    ) -> Answer:
        headers = {"User-Agent": USER_AGENT, "Accept-Language": "en"}
        payload = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if form is not None:
            from urllib.parse import urlencode

            payload = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if cookie:
            headers["Cookie"] = f"session={cookie}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return Answer(response.status, parsed, time.monotonic())


def _is_zombie(pid: int) -> bool:
    """A killed worker its master has not reaped yet."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@contextmanager
def live_server(
    database_url: str, secret_key: str, workers: int = 4, options: tuple[str, ...] = ()
):
    server = LiveServer(database_url, secret_key, workers, options)
    try:
        yield server.start()
    finally:
        server.kill()


def signed_in_browser(app, user_id: int) -> tuple[str, str]:
    """The session cookie and CSRF token a browser signed in as this user would hold, made with
    the app's own machinery (the same SECRET_KEY as the server), not through the login form.
    A fresh app context each time: Flask-WTF keeps the CSRF token in `g`."""
    with (
        app.app_context(),
        app.test_request_context(
            environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}
        ),
    ):
        login_user(db.session.get(User, user_id))
        csrf_token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return cookie, csrf_token


def drop_database(url: str, server_url: str | None) -> None:
    if make_url(url).get_backend_name() == "sqlite":
        return  # under the test's tmp_path
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


class DatabaseCopies:
    """The prepared database's content put back at ``copy_url`` before each run, while nobody is
    connected to it. On SQLite a file copy. On PostgreSQL the copy is made once (CREATE DATABASE
    ... TEMPLATE, which took up to three seconds a time on a busy machine) with a copy of every
    table in a schema of its own, and each run gets the tables and sequences restored from it
    in one transaction."""

    def __init__(self, prepared_url: str, copy_url: str, server_url: str | None):
        self.prepared_url, self.copy_url = prepared_url, copy_url
        self.sqlite = make_url(prepared_url).get_backend_name() == "sqlite"
        if self.sqlite:
            return
        source, target = make_url(prepared_url).database, make_url(copy_url).database
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
        admin.dispose()
        self.engine = create_engine(copy_url, poolclass=NullPool)
        with self.engine.begin() as connection:
            self.tables = (
                connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
                .scalars()
                .all()
            )
            self.sequences = connection.execute(
                text(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
                )
            ).all()
            connection.execute(text("CREATE SCHEMA pristine"))
            for table in self.tables:
                connection.execute(text(f'CREATE TABLE pristine."{table}" AS TABLE "{table}"'))

    def put_in_place(self) -> None:
        if self.sqlite:
            target = make_url(self.copy_url).database
            for suffix in ("-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
            shutil.copyfile(make_url(self.prepared_url).database, target)
            return
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '30s'"))
            connection.execute(text("SET LOCAL session_replication_role = replica"))  # no FKs
            names = ", ".join(f'"{table}"' for table in self.tables)
            connection.execute(text(f"TRUNCATE {names}"))
            for table in self.tables:
                connection.execute(text(f'INSERT INTO "{table}" SELECT * FROM pristine."{table}"'))
            for name, last_value in self.sequences:  # last_value is NULL before the first
                connection.execute(
                    text("SELECT setval(:name, :value, :called)"),
                    {
                        "name": f'public."{name}"',
                        "value": last_value or 1,
                        "called": bool(last_value),
                    },
                )

    def close(self) -> None:
        if not self.sqlite:
            self.engine.dispose()
