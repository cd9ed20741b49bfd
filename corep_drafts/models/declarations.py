"""Declarations and their immutable, hash-chained versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corep_drafts.domain.tally import Rule
from corep_drafts.domain.workflow import DeclarationStatus, VersionCause
from corep_drafts.extensions import db
from corep_drafts.models.accounts import User
from corep_drafts.models.base import UTCDateTime, utcnow

# The vocabularies are the domain's enums; the CHECK constraints below are made from them.
DECLARATION_STATUSES = tuple(map(str, DeclarationStatus))
VOTING_RULES = tuple(map(str, Rule))
VERSION_CAUSES = tuple(map(str, VersionCause))


def in_list(values) -> str:
    """An SQL list of string literals for CHECK constraints (values are constants, not input)."""
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


class Declaration(db.Model):
    __tablename__ = "declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default=DeclarationStatus.DRAFT.value)
    rule: Mapped[str] = mapped_column(String(16), default="majority")
    quorum: Mapped[int | None] = mapped_column(Integer)
    amendment_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last amendment number handed out; numbers are never reused, even after a withdrawal.
    last_amendment_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    language: Mapped[str] = mapped_column(String(16), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list[Version]] = relationship(
        back_populates="declaration", order_by="Version.number", cascade="all, delete-orphan"
    )
    amendments: Mapped[list[Amendment]] = relationship(  # noqa: F821
        back_populates="declaration", order_by="Amendment.number", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(f"status IN {in_list(DECLARATION_STATUSES)}", name="known_status"),
        CheckConstraint(f"rule IN {in_list(VOTING_RULES)}", name="known_rule"),
        CheckConstraint("quorum IS NULL OR quorum >= 1", name="quorum_positive"),
    )

    @property
    def current_version(self) -> Version | None:
        return self.versions[-1] if self.versions else None


class Version(db.Model):
    """One immutable state of a declaration's text; `hash = sha256(prev_hash || text)`."""

    __tablename__ = "version"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    cause: Mapped[str] = mapped_column(String(16))
    # The amendment whose adoption produced this version (cause "amendment").
    amendment_id: Mapped[int | None] = mapped_column(
        ForeignKey("amendment.id", use_alter=True, name="fk_version_amendment_id_amendment")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    declaration: Mapped[Declaration] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    amendment: Mapped[Amendment | None] = relationship(foreign_keys=[amendment_id])  # noqa: F821

    __table_args__ = (
        UniqueConstraint("declaration_id", "number", name="uq_version_declaration_number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(f"cause IN {in_list(VERSION_CAUSES)}", name="known_cause"),
    )


@event.listens_for(Version, "before_update")
def _refuse_version_update(mapper, connection, target: Version) -> None:
    raise ValueError(f"version {target.number} of declaration {target.declaration_id} is immutable")
