"""Carrying the pending amendments onto a newly adopted version, in bulk."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update

from corep_drafts import wording
from corep_drafts.domain import text as engine
from corep_drafts.domain import workflow
from corep_drafts.domain.workflow import AmendmentStatus, RevisionKind
from corep_drafts.extensions import db
from corep_drafts.models import Amendment, AmendmentRange, AmendmentRevision, Version
from corep_drafts.models.base import utcnow
from corep_drafts.services import audit, notifications
from corep_drafts.services.placements import cluster_ranges, placement_columns, stored_edits

# Carried amendments written per bulk statement: the carried texts of one batch are held at a
# time (a thousand of a 200 KB declaration would be 200 MB), at a few statements per batch.
CARRY_BATCH = 200


def carry_all(pending: list[Amendment], new_version: Version, actor=None) -> dict[int, str]:
    """After an adoption: carry every pending amendment onto the new version, or flag it
    conflicted; returns each one's new status. One rebase per base version, from the edits
    stored when each amendment was placed; the rebase gives the carried edits back, so no
    amendment is diffed again. Amendments, revisions and audit events are written in a few
    bulk statements, not one round trip each. The caller commits (adoption is one
    transaction)."""
    if not pending:
        return {}
    db.session.flush()
    ids = [amendment.id for amendment in pending]
    # Read before the carrying expires them: whom to tell, and what each was before.
    told = [
        {"id": a.id, "number": a.number, "proposer_id": a.proposer_id, "previous": a.status}
        for a in pending
    ]
    last_revision = dict(
        db.session.execute(
            select(AmendmentRevision.amendment_id, func.max(AmendmentRevision.number))
            .where(AmendmentRevision.amendment_id.in_(ids))
            .group_by(AmendmentRevision.amendment_id)
        ).all()
    )
    by_base: dict[int, list[Amendment]] = {}
    for amendment in pending:
        by_base.setdefault(amendment.base_version_id, []).append(amendment)
    carry = _Carry(new_version, utcnow())
    for group in by_base.values():
        old_base = group[0].base_version
        results = engine.rebase_all(
            old_base.text, {a.id: stored_edits(a) or a.text for a in group}, new_version.text
        )
        for amendment in group:
            carry.settle(
                amendment, results.pop(amendment.id), old_base, last_revision.get(amendment.id, 0)
            )
            if len(carry.revisions) >= CARRY_BATCH:
                carry.write(actor)
    carry.write(actor)
    notifications.amendments_carried(
        [row | {"status": carry.statuses[row["id"]]} for row in told], new_version
    )
    for amendment in pending:
        db.session.expire(amendment)
    return carry.statuses


class _Carry:
    """The rows an adoption's carrying writes, gathered to be written in bulk."""

    def __init__(self, new_version: Version, now) -> None:
        self.new_version, self.now = new_version, now
        self.carried: list[dict] = []
        self.ranges: list[dict] = []
        self.conflicted: list[dict] = []
        self.revisions: list[dict] = []
        self.events: list[audit.Entry] = []
        self.statuses: dict[int, str] = {}

    def settle(self, amendment: Amendment, result, old_base: Version, last_revision: int) -> None:
        previous, new_version = amendment.status, self.new_version
        if isinstance(result, engine.Conflict) or result.text == new_version.text:
            reason = (
                wording.conflict_of(result)
                if isinstance(result, engine.Conflict)
                else wording.stored_conflict(wording.ALREADY_CONTAINED)
            )
            status = str(
                previous
                if previous == AmendmentStatus.CONFLICTED
                else workflow.transition_amendment(previous, AmendmentStatus.CONFLICTED)
            )
            self.conflicted.append(
                {
                    "id": amendment.id,
                    "status": status,
                    "conflict_reason": reason,
                    "updated_at": self.now,
                }
            )
            kind, base_id, text = RevisionKind.CONFLICTED, old_base.id, amendment.text
        else:
            status = str(previous)
            self.ranges.extend(
                {"amendment_id": amendment.id, "range_start": start, "range_end": end}
                for start, end in cluster_ranges(result.edits)
            )
            self.carried.append(
                {"id": amendment.id, **placement_columns(new_version.text, result.edits)}
                | {
                    "text": result.text,
                    "base_version_id": new_version.id,
                    "updated_at": self.now,
                }
            )
            kind, base_id, text = RevisionKind.REBASED, new_version.id, result.text
        self.revisions.append(
            {
                "amendment_id": amendment.id,
                "number": last_revision + 1,
                "kind": str(kind),
                "base_version_id": base_id,
                "text": text,
                "rationale": amendment.rationale,
                "author_id": None,
                "created_at": self.now,
            }
        )
        self.events.append(
            audit.Entry(amendment.id, previous, status, {"version": new_version.number})
        )
        self.statuses[amendment.id] = status

    def write(self, actor) -> None:
        """Write the rows gathered so far and let go of them (and of their texts)."""
        for rows in (self.carried, self.conflicted):
            if rows:
                db.session.execute(update(Amendment), rows)
        if self.carried:
            # A carried amendment's ranges are those of its edits on the new version.
            db.session.execute(
                delete(AmendmentRange)
                .where(AmendmentRange.amendment_id.in_([row["id"] for row in self.carried]))
                .execution_options(synchronize_session=False)
            )
        if self.ranges:
            db.session.execute(insert(AmendmentRange), self.ranges)
        if self.revisions:
            db.session.execute(insert(AmendmentRevision), self.revisions)
        audit.record_many(
            "amendment.carried",
            "amendment",
            self.events,
            actor=actor,
            declaration=self.new_version.declaration,
        )
        self.carried, self.conflicted, self.ranges = [], [], []
        self.revisions, self.events = [], []
