"""The audit trail: every state change, appended in the same transaction as the change, each
event chained to the one before it in the same declaration (see domain.record)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from corep_drafts.domain.record import GENESIS_HASH, canonical_json, event_hash
from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent
from corep_drafts.models.base import utcnow

# The newest hash of each chain this transaction appended to: a close that carries hundreds of
# amendments records as many events without reading the chain's head back each time.
_HEADS = "corep_audit_heads"


_HASHED = (
    "action",
    "object_type",
    "object_id",
    "declaration_id",
    "actor_id",
    "from_state",
    "to_state",
    "details",
    "created_at",
)


def hashed_fields(event: AuditEvent) -> dict:
    """What an event's hash covers: everything in it but its id and the hashes."""
    return _hashed({name: getattr(event, name) for name in _HASHED})


def record(
    action: str, obj, *, actor=None, declaration=None, from_state=None, to_state=None, **details
) -> AuditEvent:
    """Append an event for `obj`; the caller's commit makes it permanent with the change itself.
    Callers hold the declaration's lock, so the chain grows in one order."""
    declaration_id = declaration.id if declaration is not None else None
    heads = db.session.info.setdefault(_HEADS, {})
    previous = heads[declaration_id] if declaration_id in heads else _head(declaration_id)
    event = AuditEvent(
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        declaration_id=declaration_id,
        actor_id=actor.id if actor is not None else None,
        from_state=str(from_state) if from_state is not None else None,
        to_state=str(to_state) if to_state is not None else None,
        details=canonical_json(details) if details else "",
        created_at=utcnow(),
        prev_hash=previous or GENESIS_HASH,
    )
    event.hash = event_hash(event.prev_hash, hashed_fields(event))
    # Not flushed one by one: the session inserts a class's new rows in the order they were
    # added, and their ids in that order, so a close's hundreds of events go in one statement.
    db.session.add(event)
    heads[declaration_id] = event.hash
    return event


@dataclass(frozen=True)
class Entry:
    """One event of :func:`record_many`: the object and its change."""

    object_id: int
    from_state: object = None
    to_state: object = None
    details: dict = field(default_factory=dict)


def record_many(
    action: str, object_type: str, entries: list[Entry], *, actor=None, declaration
) -> None:
    """Append one event per entry with one INSERT: the chain hashes are computed here in
    order, and everything this transaction added before is flushed first, so the new rows'
    ids follow the older ones' and the chain reads in id order. The caller holds the
    declaration's lock and commits."""
    if not entries:
        return
    db.session.flush()
    heads = db.session.info.setdefault(_HEADS, {})
    previous = heads[declaration.id] if declaration.id in heads else _head(declaration.id)
    previous = previous or GENESIS_HASH
    actor_id = actor.id if actor is not None else None
    now = utcnow()
    rows = []
    for entry in entries:
        row = {
            "action": action,
            "object_type": object_type,
            "object_id": entry.object_id,
            "declaration_id": declaration.id,
            "actor_id": actor_id,
            "from_state": str(entry.from_state) if entry.from_state is not None else None,
            "to_state": str(entry.to_state) if entry.to_state is not None else None,
            "details": canonical_json(entry.details) if entry.details else "",
            "created_at": now,
            "prev_hash": previous,
        }
        row["hash"] = previous = event_hash(previous, _hashed(row))
        rows.append(row)
    db.session.execute(insert(AuditEvent), rows)
    heads[declaration.id] = previous


def _hashed(row: dict) -> dict:
    return {  # the details as data and the time as ISO text, so both sides hash alike
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "declaration_id": row["declaration_id"],
        "actor_id": row["actor_id"],
        "from_state": row["from_state"],
        "to_state": row["to_state"],
        "details": json.loads(row["details"]) if row["details"] else {},
        "created_at": row["created_at"].isoformat(),
    }


def newest_event(declaration_id: int) -> tuple[int, str] | None:
    """The id and hash of the declaration's newest event: it moves with every change recorded
    for the declaration, and the hash (which covers the whole chain) tells one database's
    history from another's, as after restoring a backup.

    The pages that keep rendered parts between requests (draft page, reading view, the list's
    competing pairs) key them on it: every service that changes the text, the status, an
    amendment, its cosponsors or a vote appends an event in the same transaction
    (tests/integration/test_draft_page_freshness.py makes each change and looks). An edit of the
    title alone and a renamed section record no event: those pages' keys hold them directly."""
    row = db.session.execute(
        select(AuditEvent.id, AuditEvent.hash)
        .where(AuditEvent.declaration_id == declaration_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    return (row.id, row.hash) if row is not None else None


def _head(declaration_id: int | None) -> str | None:
    return db.session.scalar(
        select(AuditEvent.hash)
        .where(
            AuditEvent.declaration_id.is_(declaration_id)
            if declaration_id is None
            else AuditEvent.declaration_id == declaration_id
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


@event.listens_for(Session, "after_transaction_end")
def _forget_heads(session: Session, transaction) -> None:
    # Not after a flush's inner transaction; after a commit, a rollback or a savepoint's end,
    # since another transaction may append next, or the savepoint's events are gone.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_HEADS, None)
