"""Live vote pages: who must look again, told across processes and servers.

A service calls `announce(vote_id)` inside the transaction that casts a ballot or closes a vote.
On PostgreSQL that is a `NOTIFY` on one channel with the vote's id as payload: the database
delivers it only if the transaction commits, to every server listening. Each worker process
holds one listening connection (a thread, started when its first live page subscribes) and
wakes that process's streams. On SQLite there is no such channel: the announcement is published
in the process that committed, so live pages are pushed only within one process (serve SQLite
with one gunicorn worker; others still see the change at their next periodic check).

Nothing here holds state another process needs: a stream that misses a notification (listener
reconnecting) still finds the change at its next check, since it reads the database each time.
"""

from __future__ import annotations

import logging
import os
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


class LiveUpdates:
    """This process's broadcast and, on PostgreSQL, its listener per database (tests use many)."""

    def __init__(self) -> None:
        self.broadcast = Broadcast()
        self._listeners: dict[str, PostgresListener] = {}
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def listener_for(self, url) -> PostgresListener:
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with self._lock:
            if self._pid != os.getpid():  # forked (gunicorn --preload): threads did not follow
                self._listeners, self._pid = {}, os.getpid()
            listener = self._listeners.get(conninfo)
            if listener is None:
                listener = PostgresListener(conninfo, self.broadcast)
                self._listeners[conninfo] = listener
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
    wait; on PostgreSQL, return once this process listens (bounded), for the same reason."""
    subscription = Subscription(vote_id)
    if _is_postgresql(database_url):
        _process.listener_for(make_url(database_url)).ready.wait(LISTENER_READY_WAIT)
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
