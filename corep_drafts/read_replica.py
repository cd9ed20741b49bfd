"""Reads of the public record from a streaming replica, when one is configured.

`COREP_READ_REPLICA_URL` names a read-only copy of the PostgreSQL primary. The views marked
`@reads_from_replica` (the reading view, history, exports, the audit log and the feed: what the
public reads after an adoption) run their SELECTs there; everything else, every write and every
statement of a flush, stays on the primary. A replica lags by a moment, so someone who has just
changed something reads from the primary for `COREP_REPLICA_LAG_SECONDS` (10) afterwards: they
see their own change at once; others see it when the replica catches up.

Without the setting nothing changes: the session has one engine.
"""

from __future__ import annotations

import time
from functools import wraps

from flask import Flask, current_app, g, has_request_context, request, session
from flask_sqlalchemy.session import Session
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

# Its own engine, not a Flask-SQLAlchemy bind: a bind would add a metadata for it to the shared
# `db`, which every other app in the process (the tests make many) would then expect.
EXTENSION = "corep_read_replica"
_PRIMARY_UNTIL = "primary_until"  # session key: until when this person reads from the primary
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def settings(url: str | None, lag_seconds: int | None) -> dict:
    """The configuration for `COREP_READ_REPLICA_URL` (empty when it is not set)."""
    if not url:
        return {}
    return {
        "COREP_READ_REPLICA_URL": url,
        "COREP_REPLICA_LAG_SECONDS": 10 if lag_seconds is None else lag_seconds,
    }


def init_app(app: Flask) -> None:
    url = app.config.get("COREP_READ_REPLICA_URL")
    if url:
        options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
        app.extensions[EXTENSION] = create_engine(url, **options)
        app.after_request(remember_writes)


def engine() -> Engine | None:
    return current_app.extensions.get(EXTENSION)


def configured() -> bool:
    return EXTENSION in current_app.extensions


def reads_from_replica(view):
    """Mark a read-only view whose SELECTs may go to the replica."""

    @wraps(view)
    def routed(*args, **kwargs):
        if configured() and request.method in SAFE_METHODS and not _wrote_recently():
            g.read_from_replica = True
        return view(*args, **kwargs)

    return routed


def _wrote_recently() -> bool:
    return session.get(_PRIMARY_UNTIL, 0) > time.time()


def remember_writes(response):
    """After a change made by someone with a session, keep their reads on the primary a while.

    An `after_request` hook, added only when a replica is configured."""
    if (
        request.method not in SAFE_METHODS
        and response.status_code < 400
        and session.get("_user_id")
    ):
        session[_PRIMARY_UNTIL] = int(time.time()) + current_app.config["COREP_REPLICA_LAG_SECONDS"]
    return response


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, sending a marked view's SELECTs to the replica."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and not self._flushing and _replica_wanted() and _is_select(clause):
            return engine()
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def _replica_wanted() -> bool:
    return has_request_context() and g.get("read_from_replica", False)


def _is_select(clause) -> bool:
    # An UPDATE or INSERT executed directly (not by a flush) would fail on a read-only replica.
    return clause is not None and bool(getattr(clause, "is_select", False))
