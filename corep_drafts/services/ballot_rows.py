"""Storing a ballot in one statement, which refuses by itself once the vote is closed.

The statement is SQL text rather than a SQLAlchemy `insert(...).on_conflict_do_update(...)`:
those dialect constructs are never cached, so building and compiling one cost about 4 ms per
ballot, several times what storing it costs; a text statement is compiled once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, TextClause, bindparam, text

from corep_drafts import live_updates
from corep_drafts.domain.workflow import VoteState
from corep_drafts.extensions import db
from corep_drafts.models.base import UTCDateTime

# The row comes from a select of the vote that is empty unless the vote is open, its closing time
# not reached and its declaration in a state the delegate may see votes in. On PostgreSQL that
# select takes the vote FOR SHARE: ballots do not wait for one another, but a close, which locks
# the vote with an UPDATE (services/rows.py), waits for every ballot in progress to commit and
# so counts it; a ballot arriving while a close holds the lock waits for it, reads the vote
# again, finds it closed and stores nothing. SQLite lets one writer in at a time, which gives
# the same two cases. A repeated choice changes nothing.
_UPSERT = """
INSERT INTO ballot (vote_id, delegate_id, section_id, choice, cast_at, changes)
SELECT vote.id, :delegate_id, :section_id, :choice, :now, 0
FROM vote JOIN declaration ON declaration.id = vote.declaration_id
WHERE vote.id = :vote_id
  AND vote.state = :open
  AND (vote.closes_at IS NULL OR vote.closes_at > :now)
  AND declaration.status IN :visible_in
{lock}
ON CONFLICT (vote_id, delegate_id) DO UPDATE SET
  choice = excluded.choice,
  changed_at = CASE WHEN ballot.choice <> excluded.choice
                    THEN excluded.cast_at ELSE ballot.changed_at END,
  changes = ballot.changes + CASE WHEN ballot.choice <> excluded.choice THEN 1 ELSE 0 END
RETURNING cast_at, changed_at
"""

# On PostgreSQL the live notice (live_updates.announce) goes in the same statement, sent only for
# a ballot created or changed: one round trip less for every ballot.
_UPSERT_AND_ANNOUNCE = """
WITH stored AS ({upsert})
SELECT cast_at, changed_at,
       CASE WHEN cast_at = :now OR changed_at = :now
            THEN CAST({notice} AS text) END IS NOT NULL AS announced
FROM stored
"""


@dataclass(frozen=True)
class StoredBallot:
    created: bool  # no earlier ballot of this delegate in this vote
    changed: bool  # an earlier ballot with another choice was changed to this one
    announced: bool  # live pages were told, as they must be when it was created or changed


@functools.cache
def _upsert(dialect: str) -> TextClause:
    if dialect == "postgresql":
        upsert = _UPSERT.format(lock="FOR SHARE OF vote")
        statement = _UPSERT_AND_ANNOUNCE.format(
            upsert=upsert, notice=live_updates.notice_sql("CAST(:vote_id AS text)")
        )
    else:
        statement = _UPSERT.format(lock="")
    return (
        text(statement)
        .bindparams(
            bindparam("vote_id", type_=Integer),
            bindparam("delegate_id", type_=Integer),
            bindparam("section_id", type_=Integer),
            bindparam("choice", type_=String),
            bindparam("now", type_=UTCDateTime),
            bindparam("open", type_=String),
            bindparam("visible_in", type_=String, expanding=True),
        )
        .columns(cast_at=UTCDateTime, changed_at=UTCDateTime, announced=Boolean)
    )


def store_ballot(
    vote_id: int,
    delegate_id: int,
    section_id: int,
    choice: str,
    now: datetime,
    visible_in: frozenset[str],
) -> StoredBallot | None:
    """Insert the delegate's ballot or change their earlier one, in the caller's transaction;
    None, storing nothing, unless the vote exists, is open (its closing time not passed by
    ``now``) and its declaration's state is one of ``visible_in``."""
    stored = db.session.execute(
        _upsert(db.session.get_bind().dialect.name),
        {
            "vote_id": vote_id,
            "delegate_id": delegate_id,
            "section_id": section_id,
            "choice": choice,
            "now": now,
            "open": str(VoteState.OPEN),
            "visible_in": sorted(map(str, visible_in)),
        },
    ).one_or_none()
    if stored is None:
        return None
    # `now` is this call's own moment: an earlier ballot was cast (or changed) before it.
    return StoredBallot(
        created=stored.cast_at == now,
        changed=stored.changed_at == now,
        announced=bool(getattr(stored, "announced", False)),
    )
