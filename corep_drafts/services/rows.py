"""Row locks that serialise writers on one object until the caller commits."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import update

from corep_drafts.extensions import db

Row = TypeVar("Row")


def lock_row(model: type[Row], row_id: int) -> Row | None:
    """Lock one row and read it afresh; None if it does not exist.

    An UPDATE that changes nothing takes the row lock on PostgreSQL and the write lock on SQLite
    alike; the read transaction is ended first (unless the session holds unsaved changes) so that
    SQLite waits (busy timeout) instead of failing on a stale snapshot.
    """
    session = db.session
    if not (session.new or session.dirty or session.deleted):
        session.rollback()
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values(id=model.id)
        .execution_options(synchronize_session=False)
    )
    return session.get(model, row_id, populate_existing=True)
