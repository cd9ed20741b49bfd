"""Votes (on an amendment, or the final vote on the whole text) and delegates' ballots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corep_drafts.domain.tally import Choice, Outcome
from corep_drafts.domain.workflow import VoteKind, VoteMode, VoteState
from corep_drafts.extensions import db
from corep_drafts.models.accounts import Section, User
from corep_drafts.models.amendments import Amendment
from corep_drafts.models.base import UTCDateTime, utcnow
from corep_drafts.models.declarations import Declaration, Version, in_list

VOTE_KINDS = tuple(map(str, VoteKind))
VOTE_MODES = tuple(map(str, VoteMode))
CHOICES = tuple(map(str, Choice))


class Vote(db.Model):
    __tablename__ = "vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Secret per section: only positions are shown after the close; roll call: ballots too.
    mode: Mapped[str] = mapped_column(String(16), default="secret")
    state: Mapped[str] = mapped_column(String(16), default=VoteState.OPEN.value)
    # The rule and quorum in force when the vote opened, so a later change cannot alter it.
    rule: Mapped[str] = mapped_column(String(16))
    quorum: Mapped[int | None] = mapped_column(Integer)
    # The version the vote is about: the amendment's base, or the text of a final vote.
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    # The tally's canonical JSON and its sha256, written once at the close and never changed.
    result_json: Mapped[str | None] = mapped_column(Text)
    result_hash: Mapped[str | None] = mapped_column(String(64))

    declaration: Mapped[Declaration] = relationship()
    amendment: Mapped[Amendment | None] = relationship()
    version: Mapped[Version] = relationship()
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    ballots: Mapped[list[Ballot]] = relationship(
        back_populates="vote", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(f"kind IN {in_list(VOTE_KINDS)}", name="known_kind"),
        CheckConstraint(f"mode IN {in_list(VOTE_MODES)}", name="known_mode"),
        CheckConstraint(f"state IN {in_list(VoteState)}", name="known_state"),
        CheckConstraint(f"outcome IS NULL OR outcome IN {in_list(Outcome)}", name="known_outcome"),
        CheckConstraint(
            "(kind = 'final') = (amendment_id IS NULL)", name="amendment_iff_not_final"
        ),
    )


class Ballot(db.Model):
    """A delegate's current choice in a vote; changing it updates this row (one per delegate)."""

    __tablename__ = "ballot"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("vote.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"))
    choice: Mapped[str] = mapped_column(String(8))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changes: Mapped[int] = mapped_column(Integer, default=0)

    vote: Mapped[Vote] = relationship(back_populates="ballots")
    delegate: Mapped[User] = relationship()
    section: Mapped[Section] = relationship()

    __table_args__ = (
        UniqueConstraint("vote_id", "delegate_id", name="uq_ballot_vote_delegate"),
        CheckConstraint(f"choice IN {in_list(CHOICES)}", name="known_choice"),
    )
