"""Amendments with their revisions, co-sponsoring sections and comments; the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corep_drafts.domain.workflow import AmendmentStatus, CompromiseStatus, RevisionKind
from corep_drafts.extensions import db
from corep_drafts.models.accounts import Section, User
from corep_drafts.models.base import UTCDateTime, utcnow
from corep_drafts.models.declarations import Declaration, Version, in_list

AMENDMENT_STATUSES = tuple(map(str, AmendmentStatus))
REVISION_KINDS = tuple(map(str, RevisionKind))


class Amendment(db.Model):
    """A proposed change: the proposer's whole intended text, kept against the version it is
    currently based on (after each adoption it is carried onto the new version)."""

    __tablename__ = "amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=AmendmentStatus.SUBMITTED.value)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The proposing section; none for a compromise written by the executive.
    section_id: Mapped[int | None] = mapped_column(ForeignKey("section.id"))
    base_version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    text: Mapped[str] = mapped_column(Text)
    patch: Mapped[str] = mapped_column(Text)
    # The same change as word edits on the base (JSON), so an adoption rebases without a diff.
    edits: Mapped[str | None] = mapped_column(Text)
    touched_start: Mapped[int | None] = mapped_column(Integer)
    touched_end: Mapped[int | None] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text, default="")
    conflict_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("amendment.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    declaration: Mapped[Declaration] = relationship(back_populates="amendments")
    proposer: Mapped[User] = relationship()
    section: Mapped[Section | None] = relationship()
    base_version: Mapped[Version] = relationship(foreign_keys=[base_version_id])
    superseded_by: Mapped[Amendment | None] = relationship(remote_side=[id])
    revisions: Mapped[list[AmendmentRevision]] = relationship(
        back_populates="amendment",
        order_by="AmendmentRevision.number",
        cascade="all, delete-orphan",
    )
    cosponsors: Mapped[list[Cosponsorship]] = relationship(
        back_populates="amendment",
        order_by="Cosponsorship.created_at",
        cascade="all, delete-orphan",
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="amendment", order_by="Comment.created_at", cascade="all, delete-orphan"
    )
    ranges: Mapped[list[AmendmentRange]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("declaration_id", "number", name="uq_amendment_declaration_number"),
        CheckConstraint(f"status IN {in_list(AMENDMENT_STATUSES)}", name="known_status"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    @property
    def label(self) -> str:
        """The citable number: A1, A2, ... per declaration, never reused."""
        return f"A{self.number}"


class AmendmentRange(db.Model):
    """Where an amendment can compete: the hull of one cluster of its edits (see
    domain/text/clusters.py), in the coordinates of its base. Written each time the amendment is
    placed (proposed, revised, carried), so the rivals of one amendment are found by a range
    query instead of comparing the edits of every pending amendment."""

    __tablename__ = "amendment_range"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(
        ForeignKey("amendment.id", ondelete="CASCADE"), index=True
    )
    range_start: Mapped[int] = mapped_column(Integer)
    range_end: Mapped[int] = mapped_column(Integer)


class AmendmentRevision(db.Model):
    """Every state an amendment's text has had: as proposed, as revised, as carried onto a new
    version; kept so that nothing the proposer wrote is ever lost."""

    __tablename__ = "amendment_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(
        ForeignKey("amendment.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    base_version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    amendment: Mapped[Amendment] = relationship(back_populates="revisions")
    base_version: Mapped[Version] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("amendment_id", "number", name="uq_amendment_revision_amendment_number"),
        CheckConstraint(f"kind IN {in_list(REVISION_KINDS)}", name="known_kind"),
    )


class Cosponsorship(db.Model):
    """A section that joins an amendment (a joint amendment of France and Austria is common)."""

    __tablename__ = "cosponsorship"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendment.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    amendment: Mapped[Amendment] = relationship(back_populates="cosponsors")
    section: Mapped[Section] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("amendment_id", "section_id", name="uq_cosponsorship_amendment_section"),
    )


class Comment(db.Model):
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(
        ForeignKey("amendment.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    amendment: Mapped[Amendment] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()


class AuditEvent(db.Model):
    """One state change: who, when, what. Append-only: the application never updates or deletes."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # sha256(prev_hash || canonical fields): the events of a declaration form one chain.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()


compromise_member = db.Table(
    "compromise_member",
    db.Column(
        "proposal_id", ForeignKey("compromise_proposal.id", ondelete="CASCADE"), primary_key=True
    ),
    db.Column("amendment_id", ForeignKey("amendment.id", ondelete="CASCADE"), primary_key=True),
)


class CompromiseProposal(db.Model):
    """A compromise the proposers make together: it is made once every proposer of the merged
    amendments has agreed (the one who drafted it agrees by drafting it)."""

    __tablename__ = "compromise_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    base_version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    # None: merge the amendments exactly as written; otherwise the wording the proposers agreed.
    text: Mapped[str | None] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    result_id: Mapped[int | None] = mapped_column(ForeignKey("amendment.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    drafted_by: Mapped[User] = relationship()
    base_version: Mapped[Version] = relationship()
    result: Mapped[Amendment | None] = relationship(foreign_keys=[result_id])
    amendments: Mapped[list[Amendment]] = relationship(
        secondary=compromise_member, order_by="Amendment.number"
    )
    consents: Mapped[list[CompromiseConsent]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(f"status IN {in_list(CompromiseStatus)}", name="known_status"),
    )

    @property
    def required(self) -> set[int]:
        """The people who must agree: every proposer of the merged amendments."""
        return {a.proposer_id for a in self.amendments}

    @property
    def agreed(self) -> set[int]:
        return {c.user_id for c in self.consents}


class CompromiseConsent(db.Model):
    __tablename__ = "compromise_consent"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("compromise_proposal.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[CompromiseProposal] = relationship(back_populates="consents")
    user: Mapped[User] = relationship()
