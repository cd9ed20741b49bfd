"""Backups of the whole database (CONTRACT.md: `backup create FILE`, `backup restore FILE`).

SQLite: the online backup API copies a consistent snapshot while the app keeps running.
PostgreSQL: `pg_dump --format=custom` of DATABASE_URL's database, `pg_restore` in one transaction
to restore. The connection settings reach pg_dump and pg_restore through libpq's environment
variables, never their arguments, so the password never shows in the process list.

A restore goes only into an empty database (no table at all: create a new database, do not
`db upgrade` it first) and changes nothing when it fails. The messages are for the operator at
the command line, in English like the rest of the command line's own messages.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404  # runs pg_dump and pg_restore: fixed arguments, no shell
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from corep_drafts.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# Tables every corep-drafts database has; a file without them is someone else's database.
CORE_TABLES = ("declaration", "version", "audit_event")
# The libpq settings a SQLAlchemy URL may carry in its query, and their environment variables.
LIBPQ_QUERY_SETTINGS = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
PG_TOOL_TIMEOUT_SECONDS = 3600


class BackupError(Exception):
    """A backup or restore that could not be done; one line for the operator (never shown on a
    page, so not a ServiceError and not translated, like the command line's own messages)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BackupDone:
    engine: str  # sqlite | postgresql
    path: Path
    size: int

    @property
    def engine_name(self) -> str:
        return _ENGINE_NAMES[self.engine]


def create_backup(path: Path) -> BackupDone:
    """Write a consistent copy of the whole database to ``path`` (mode 600: it holds password
    hashes), replacing it only once the copy is complete."""
    url = db.engine.url
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"cannot write {path}: no directory {path.parent}")
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        if _engine_of(url) == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial, path)
        else:
            _run_pg_tool(["pg_dump", "--format=custom", "--no-password", f"--file={partial}"], url)
        os.replace(partial, path)
    except OSError as error:
        raise BackupError(f"cannot write {path}: {error.strerror or error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return BackupDone(_engine_of(url), path, path.stat().st_size)


def restore_backup(path: Path) -> BackupDone:
    """Restore the backup at ``path`` into the empty database of DATABASE_URL."""
    url = db.engine.url
    path = Path(path)
    engine = _engine_of(url)
    found = _engine_of_backup(path)
    if found != engine:
        raise BackupError(
            f"{path} is a backup of a {_ENGINE_NAMES[found]} database; DATABASE_URL names "
            f"a {_ENGINE_NAMES[engine]} one"
        )
    if engine == "sqlite":
        _sqlite_restore(path, _sqlite_path(url))
    else:
        _pg_restore(path, url)
    return BackupDone(engine, path, path.stat().st_size)


_ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _engine_of(url: URL) -> str:
    name = url.get_backend_name()
    if name not in _ENGINE_NAMES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def _engine_of_backup(path: Path) -> str:
    try:
        with path.open("rb") as backup:
            start = backup.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror or error}") from error
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is not a backup made by `backup create` (neither SQLite nor pg_dump's format)"
    )


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("backups need an SQLite database in a file (DATABASE_URL)")
    return Path(url.database)


def _sqlite_tables(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows}


def _sqlite_backup(source: Path, target: Path, named: Path) -> None:
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    try:
        with _closing(sqlite3.connect(source)) as live, _closing(sqlite3.connect(target)) as copy:
            # One step: the whole snapshot under one read transaction, so it is consistent even
            # while the app writes (WAL lets it go on writing meanwhile).
            live.backup(copy)
            # The copy stands alone in one file, without a -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"cannot back up {source} to {named}: {error}") from error


def _sqlite_restore(backup: Path, target: Path) -> None:
    try:
        _sqlite_restore_checked(backup, target)
    except sqlite3.Error as error:
        raise BackupError(f"cannot restore {backup} into {target}: {error}") from error


def _sqlite_restore_checked(backup: Path, target: Path) -> None:
    with _closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as source:
        try:
            intact = source.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            tables = _sqlite_tables(source)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{backup} is damaged: {error}") from error
        if not intact:
            raise BackupError(f"{backup} is damaged: SQLite's quick_check fails")
        if not set(CORE_TABLES) <= tables:
            raise BackupError(f"{backup} is an SQLite database, but not one of corep-drafts")
        with _closing(sqlite3.connect(target)) as database:
            present = _sqlite_tables(database)
            if present:
                raise BackupError(
                    f"the database at {target} is not empty ({len(present)} tables); "
                    "restore needs an empty one: point DATABASE_URL to a new file"
                )
            # The backup API replaces the target's pages in one transaction: all or nothing.
            source.backup(database)
            database.execute("PRAGMA journal_mode=WAL")


class _closing:
    """sqlite3's own context manager commits but does not close."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *_exc) -> None:
        self.connection.close()


# --- PostgreSQL -------------------------------------------------------------------------------


def libpq_environment(url: URL) -> dict[str, str]:
    """The environment that makes pg_dump and pg_restore connect where ``url`` does."""
    settings = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    for key, value in url.query.items():
        if key not in LIBPQ_QUERY_SETTINGS:
            raise BackupError(f"DATABASE_URL's setting {key!r} cannot be passed to pg_dump")
        settings[LIBPQ_QUERY_SETTINGS[key]] = value if isinstance(value, str) else value[-1]
    # The rest of libpq's environment applies as it does to the app's own connections.
    return dict(os.environ) | {k: v for k, v in settings.items() if v}


def _run_pg_tool(arguments: list[str], url: URL) -> subprocess.CompletedProcess:
    program = shutil.which(arguments[0])
    if program is None:
        raise BackupError(f"{arguments[0]} is not installed (Debian: postgresql-client)")
    try:
        finished = subprocess.run(  # nosec B603  # fixed program and arguments, no shell
            [program, *arguments[1:]],
            env=libpq_environment(url),
            capture_output=True,
            text=True,
            timeout=PG_TOOL_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BackupError(f"{arguments[0]} took longer than {error.timeout:.0f} s") from error
    if finished.returncode != 0:
        lines = [line for line in finished.stderr.splitlines() if line.strip()]
        raise BackupError(f"{arguments[0]} failed: {lines[0] if lines else finished.returncode}")
    return finished


def _pg_relations() -> int:
    """Tables, views and sequences outside PostgreSQL's own schemas."""
    return db.session.scalar(
        text(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%'"
        )
    )


def _pg_restore(backup: Path, url: URL) -> None:
    listing = _run_pg_tool(["pg_restore", "--list", str(backup)], url).stdout
    if not all(f"TABLE public {table} " in listing for table in CORE_TABLES):
        raise BackupError(f"{backup} is a pg_dump archive, but not one of corep-drafts")
    try:
        present = _pg_relations()
    except SQLAlchemyError as error:
        raise BackupError(
            f"cannot reach the database {url.database}: {error.orig or error}"
        ) from error
    finally:
        db.session.rollback()
    if present:
        raise BackupError(
            f"the database {url.database} is not empty ({present} tables, views or "
            "sequences); restore needs an empty one: create a new database for it"
        )
    db.engine.dispose()  # pg_restore's transaction must not wait on our idle connection
    _run_pg_tool(
        [
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--dbname={url.database}",
            str(backup),
        ],
        url,
    )
