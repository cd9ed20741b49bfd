"""Recording notifications: other services call these INSIDE their own transaction.

Nothing here commits: the rows are added to the caller's transaction, so a notification exists
if and only if the change it announces was committed. Only active accounts are notified. Each
row holds data (kind, subject ids, parameters); its words are written when it is shown or mailed
(services/notification_texts.py), and `flask notifications send` mails it (services/outbox.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from corep_drafts.domain.workflow import AmendmentStatus
from corep_drafts.extensions import db
from corep_drafts.models import Amendment, Notification, NotificationKind, User, UserRole, Vote
from corep_drafts.models.base import utcnow


def party_delegate_ids(declaration) -> list[int]:
    """The active delegates of every section party to the declaration. Every section is party to
    every declaration until declarations name their parties (CONTRACT: `PUT .../parties`); then
    this is the one place to narrow."""
    return list(
        db.session.scalars(
            select(User.id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == "delegate", User.active, User.section_id.is_not(None))
            .order_by(User.id)
        )
    )


def _active(user_ids: Iterable[int]) -> set[int]:
    wanted = set(user_ids)
    if not wanted:
        return set()
    return set(db.session.scalars(select(User.id).where(User.id.in_(wanted), User.active)))


def _add(rows: list[dict]) -> None:
    """Insert the rows in one statement; a row whose delivery key exists is skipped, so an event
    announced twice still reaches each recipient once, without aborting the caller's change."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    values = [{"created_at": now, "next_attempt_at": now, **row} for row in rows]
    db.session.execute(
        insert(Notification).on_conflict_do_nothing(index_elements=["delivery_key"]), values
    )


def _vote_subject(vote: Vote) -> dict:
    return {
        "declaration_title": vote.declaration.title,
        "amendment": vote.amendment.label if vote.amendment is not None else None,
    }


def vote_opened(vote: Vote) -> None:
    """Every delegate of every party section learns that a vote opened, and when it closes."""
    parameters = _vote_subject(vote) | {
        "closes_at": vote.closes_at.isoformat() if vote.closes_at else None,
        "mode": vote.mode,
    }
    _add(
        [
            {
                "recipient_id": user_id,
                "kind": NotificationKind.VOTE_OPENED.value,
                "declaration_id": vote.declaration_id,
                "amendment_id": vote.amendment_id,
                "vote_id": vote.id,
                "parameters": parameters,
                "delivery_key": f"vote_opened:vote{vote.id}:user{user_id}",
            }
            for user_id in party_delegate_ids(vote.declaration)
        ]
    )


def vote_closed(vote: Vote) -> None:
    """The result goes to the same delegates; its per-section table is read from the vote's
    stored result, which never changes after the close."""
    parameters = _vote_subject(vote) | {"outcome": vote.outcome}
    _add(
        [
            {
                "recipient_id": user_id,
                "kind": NotificationKind.VOTE_CLOSED.value,
                "declaration_id": vote.declaration_id,
                "amendment_id": vote.amendment_id,
                "vote_id": vote.id,
                "parameters": parameters,
                "delivery_key": f"vote_closed:vote{vote.id}:user{user_id}",
            }
            for user_id in party_delegate_ids(vote.declaration)
        ]
    )


_DECIDED_KINDS = {
    AmendmentStatus.ADOPTED: NotificationKind.AMENDMENT_ADOPTED,
    AmendmentStatus.REJECTED: NotificationKind.AMENDMENT_REJECTED,
}


def amendment_decided(amendment: Amendment, vote: Vote) -> None:
    """Its proposer learns that their amendment was adopted or rejected by ``vote``."""
    kind = _DECIDED_KINDS[AmendmentStatus(amendment.status)]
    if not _active([amendment.proposer_id]):
        return
    _add(
        [
            {
                "recipient_id": amendment.proposer_id,
                "kind": kind.value,
                "declaration_id": amendment.declaration_id,
                "amendment_id": amendment.id,
                "vote_id": vote.id,
                "parameters": {
                    "declaration_title": amendment.declaration.title,
                    "amendment": amendment.label,
                },
                "delivery_key": f"{kind}:amendment{amendment.id}:vote{vote.id}",
            }
        ]
    )


def amendments_superseded(merged: list[Amendment], compromise: Amendment) -> None:
    """Each proposer learns that their amendment was merged into ``compromise``."""
    active = _active(a.proposer_id for a in merged)
    kind = NotificationKind.AMENDMENT_SUPERSEDED
    _add(
        [
            {
                "recipient_id": amendment.proposer_id,
                "kind": kind.value,
                "declaration_id": amendment.declaration_id,
                "amendment_id": amendment.id,
                "parameters": {
                    "declaration_title": amendment.declaration.title,
                    "amendment": amendment.label,
                    "compromise": compromise.label,
                    "compromise_id": compromise.id,
                },
                "delivery_key": f"{kind}:amendment{amendment.id}",
            }
            for amendment in merged
            if amendment.proposer_id in active
        ]
    )


def amendments_carried(carried: list[dict], version) -> None:
    """After an adoption: each proposer learns whether their amendment was carried onto the new
    version or became conflicted. ``carried`` holds, per amendment, its ``id``, ``number``,
    ``proposer_id``, ``previous`` and new ``status``; one that was conflicted already and still
    is has nothing new to say."""
    active = _active(row["proposer_id"] for row in carried)
    title = version.declaration.title
    rows = []
    for row in carried:
        conflicted = row["status"] == AmendmentStatus.CONFLICTED
        if row["proposer_id"] not in active or (
            conflicted and row["previous"] == AmendmentStatus.CONFLICTED
        ):
            continue
        kind = NotificationKind.AMENDMENT_CARRIED
        if conflicted:
            kind = NotificationKind.AMENDMENT_CONFLICTED
        rows.append(
            {
                "recipient_id": row["proposer_id"],
                "kind": kind.value,
                "declaration_id": version.declaration_id,
                "amendment_id": row["id"],
                "parameters": {
                    "declaration_title": title,
                    "amendment": f"A{row['number']}",
                    "version": version.number,
                },
                "delivery_key": f"{kind}:amendment{row['id']}:version{version.id}",
            }
        )
    _add(rows)


# --- the site list ----------------------------------------------------------------------------


def unread_count(user_id: int) -> int:
    """One COUNT on the (recipient, read_at) index: it runs on every page."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
    )


def notifications_of(user_id: int, limit: int = 200) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.recipient_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(user_id: int, notification_id: int) -> bool:
    """Mark one of the person's notifications read; False if it is not theirs (or not there)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != user_id:
        return False
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return True


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount
