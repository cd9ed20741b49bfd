"""Live vote pages: who must look again, told across processes and servers.

A service calls `announce(vote_id)` inside the transaction that casts a ballot or closes a vote.
On PostgreSQL that is a `NOTIFY` on one channel with the vote's id as payload: the database
delivers it only if the transaction commits, to every server listening. Each worker process
holds one listening connection (a thread, started when its first live page subscribes) and
wakes that process's streams. On SQLite there is no such channel: the announcement is published
at once in the process that committed, and every other process learns of a commit from the file
itself: one thread per process asks SQLite five times a second whether another connection has
committed (`PRAGMA data_version`), and if so wakes its streams, which read the database again.

Nothing here holds state another process needs: a stream that misses a notification (listener
reconnecting) still finds the change at its next check, since it reads the database each time.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time

from flask import Flask
from sqlalchemy import String, bindparam, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from corep_drafts.extensions import db

CHANNEL = "corep_vote_changes"
PENDING_KEY = "corep_live_vote_ids"
LISTENER_READY_WAIT = 5.0
RECONNECT_DELAY = 1.0
SQLITE_WATCH_INTERVAL = 0.2  # seconds between two looks at the SQLite file's data_version

log = logging.getLogger(__name__)


class Broadcast:
    """Per vote, a counter that grows with each announcement; streams wait for it to move."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generations: dict[int, int] = {}
        self._subscribers: dict[int, int] = {}

    def publish(self, vote_id: int) -> None:
        with self._condition:
            if vote_id in self._subscribers:
                self._generations[vote_id] = self._generations.get(vote_id, 0) + 1
                self._condition.notify_all()

    def publish_everywhere(self) -> None:
        """After the listener reconnects: anything may have been missed, every stream looks."""
        with self._condition:
            for vote_id in self._subscribers:
                self._generations[vote_id] = self._generations.get(vote_id, 0) + 1
            self._condition.notify_all()

    def subscribe(self, vote_id: int) -> int:
        with self._condition:
            self._subscribers[vote_id] = self._subscribers.get(vote_id, 0) + 1
            return self._generations.get(vote_id, 0)

    def unsubscribe(self, vote_id: int) -> None:
        with self._condition:
            remaining = self._subscribers.get(vote_id, 0) - 1
            if remaining > 0:
                self._subscribers[vote_id] = remaining
            else:  # so that the maps stay as small as the number of votes being watched
                self._subscribers.pop(vote_id, None)
                self._generations.pop(vote_id, None)

    def streams(self) -> int:
        with self._condition:
            return sum(self._subscribers.values())

    def wait(self, vote_id: int, seen: int, timeout: float) -> int:
        """The vote's generation once it differs from ``seen``, or ``seen`` after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._generations.get(vote_id, 0) == seen:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._condition.wait(remaining)
            return self._generations.get(vote_id, 0)


class PostgresListener(threading.Thread):
    """One `LISTEN` connection per process, turning notifications into local publications."""

    def __init__(self, conninfo: str, broadcast: Broadcast) -> None:
        super().__init__(name="corep-live-listener", daemon=True)
        self.conninfo = conninfo
        self.broadcast = broadcast
        self.ready = threading.Event()

    def run(self) -> None:
        import psycopg

        reconnecting = False
        while True:
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    if reconnecting:
                        self.broadcast.publish_everywhere()
                    for notification in connection.notifies():
                        if notification.payload.isdigit():
                            self.broadcast.publish(int(notification.payload))
            except Exception:  # noqa: BLE001 - the listener must outlive a lost connection
                log.warning("live updates: listening connection lost, reconnecting", exc_info=True)
            self.ready.clear()
            reconnecting = True
            time.sleep(RECONNECT_DELAY)


class SqliteWatcher(threading.Thread):
    """One read-only connection per process to an SQLite file, waking the streams after a commit.

    `PRAGMA data_version` changes when any other connection, in this process or another, has
    committed to the file; this connection never writes, so every change counts."""

    def __init__(self, path: str, broadcast: Broadcast) -> None:
        super().__init__(name="corep-live-sqlite-watcher", daemon=True)
        self.path = path
        self.broadcast = broadcast
        self.ready = threading.Event()

    def run(self) -> None:
        while True:
            try:
                connection = sqlite3.connect(self.path, isolation_level=None)
                try:
                    self._watch(connection)
                finally:
                    connection.close()
            except sqlite3.Error:
                log.warning("live updates: cannot watch %s, retrying", self.path, exc_info=True)
            self.ready.clear()
            time.sleep(RECONNECT_DELAY)

    def _watch(self, connection: sqlite3.Connection) -> None:
        last = connection.execute("PRAGMA data_version").fetchone()[0]
        self.ready.set()
        while True:
            time.sleep(SQLITE_WATCH_INTERVAL)
            version = connection.execute("PRAGMA data_version").fetchone()[0]
            if version != last:
                last = version
                self.broadcast.publish_everywhere()


class LiveUpdates:
    """This process's broadcast and its one listening thread per database (tests use many)."""

    def __init__(self) -> None:
        self.broadcast = Broadcast()
        self._listeners: dict[str, PostgresListener | SqliteWatcher] = {}
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def listener_for(self, url) -> PostgresListener | SqliteWatcher | None:
        """The thread that tells this process of other processes' commits (None: an SQLite
        database in memory, which no other process can reach)."""
        if _is_postgresql(url):
            key = url.set(drivername="postgresql").render_as_string(hide_password=False)
            make = PostgresListener
        elif url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            key, make = url.database, SqliteWatcher
        else:
            return None
        with self._lock:
            if self._pid != os.getpid():  # forked (gunicorn --preload): threads did not follow
                self._listeners, self._pid = {}, os.getpid()
            listener = self._listeners.get(key)
            if listener is None:
                listener = make(key, self.broadcast)
                self._listeners[key] = listener
                listener.start()
        return listener


_process = LiveUpdates()


def _is_postgresql(url) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


# Built once: announcing is part of every ballot, and building the statement cost more than
# sending it.
_NOTIFY = select(func.pg_notify(CHANNEL, bindparam("vote", type_=String)))


def notice_sql(vote_id_text: str) -> str:
    """The SQL expression that announces a vote on PostgreSQL (what `announce` sends), for a
    statement that announces as it writes; ``vote_id_text`` is SQL giving the id as text."""
    return f"pg_notify('{CHANNEL}', {vote_id_text})"


def announce(vote_id: int) -> None:
    """Tell every live page of this vote to look again once the current transaction commits."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(_NOTIFY, {"vote": str(vote_id)})
    else:
        db.session.info.setdefault(PENDING_KEY, set()).add(vote_id)


class Subscription:
    """A stream's hold on one vote's announcements; close it when the stream ends."""

    def __init__(self, vote_id: int) -> None:
        self.vote_id = vote_id
        self.seen = _process.broadcast.subscribe(vote_id)

    def wait(self, timeout: float) -> bool:
        """Whether the vote was announced (since the last call) within ``timeout`` seconds."""
        current = _process.broadcast.wait(self.vote_id, self.seen, timeout)
        announced, self.seen = current != self.seen, current
        return announced

    def close(self) -> None:
        _process.broadcast.unsubscribe(self.vote_id)


def open_streams() -> int:
    """How many live pages this process is streaming to now."""
    return _process.broadcast.streams()


def subscribe(vote_id: int, database_url) -> Subscription:
    """Subscribe before reading the vote, so that no change falls between the read and the
    wait; return once this process listens for other processes' commits (bounded), for the same
    reason."""
    subscription = Subscription(vote_id)
    listener = _process.listener_for(make_url(database_url))
    if listener is not None:
        listener.ready.wait(LISTENER_READY_WAIT)
    return subscription


def _publish_committed(session: Session) -> None:
    for vote_id in session.info.pop(PENDING_KEY, ()):
        _process.broadcast.publish(vote_id)


def _forget_rolled_back(session: Session, *_args) -> None:
    session.info.pop(PENDING_KEY, None)


def init_app(_app: Flask) -> None:
    if not event.contains(Session, "after_commit", _publish_committed):
        event.listen(Session, "after_commit", _publish_committed)
        event.listen(Session, "after_rollback", _forget_rolled_back)
