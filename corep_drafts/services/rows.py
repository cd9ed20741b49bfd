"""Row locks that serialise writers on one object until the caller commits."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from corep_drafts.extensions import db

Row = TypeVar("Row")

# Set in a session's info while its transaction holds a row lock; cleared when it ends.
_HOLDS_LOCKS = "corep_holds_row_locks"


def lock_row(model: type[Row], row_id: int) -> Row | None:
    """Lock one row and read it afresh; None if it does not exist.

    An UPDATE that changes nothing takes the row lock on PostgreSQL and the write lock on SQLite
    alike. The first lock of a transaction ends the read transaction before it (unless the
    session holds unsaved changes) so that SQLite waits (busy timeout) instead of failing on a
    stale snapshot; a later lock keeps the transaction, so the locks taken before it (the
    declaration's, before a vote's) hold until the commit.
    """
    session = db.session
    if not session.info.get(_HOLDS_LOCKS) and not (session.new or session.dirty or session.deleted):
        session.rollback()
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values(id=model.id)
        .execution_options(synchronize_session=False)
    )
    session.info[_HOLDS_LOCKS] = True
    return session.get(model, row_id, populate_existing=True)


@event.listens_for(Session, "after_transaction_end")
def _forget_locks(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction: its locks are released
        session.info.pop(_HOLDS_LOCKS, None)
