"""Per-connection database settings: SQLite gets WAL, foreign keys and a busy timeout."""

import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # A writer waits for the one holding the write lock rather than answering "database is
    # locked" (a 500); a close carrying hundreds of amendments holds it for about a second on
    # a loaded machine, so the wait allowed is long, yet under gunicorn's 30 s worker timeout.
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def configure_engine_events(app: Flask) -> None:
    if not event.contains(Engine, "connect", _configure_sqlite_connection):
        event.listen(Engine, "connect", _configure_sqlite_connection)
