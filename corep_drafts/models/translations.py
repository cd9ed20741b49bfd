"""Translations of a declaration: a text in another language, attached to one version and
aligned with it paragraph by paragraph; every save is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corep_drafts.extensions import db
from corep_drafts.models.accounts import User
from corep_drafts.models.base import UTCDateTime, utcnow
from corep_drafts.models.declarations import Declaration, Version


class Translation(db.Model):
    """One language of a declaration other than its authoritative one. Its text is its latest
    revision; it is current while that revision is attached to the current version."""

    __tablename__ = "translation"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    declaration: Mapped[Declaration] = relationship()
    revisions: Mapped[list[TranslationRevision]] = relationship(
        back_populates="translation",
        order_by="TranslationRevision.number",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        UniqueConstraint("declaration_id", "language", name="uq_translation_declaration_language"),
    )

    @property
    def latest(self) -> TranslationRevision:
        return self.revisions[-1]


class TranslationRevision(db.Model):
    """A saved state of a translation: who saved it, when, and the version it translates."""

    __tablename__ = "translation_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translation.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    translation: Mapped[Translation] = relationship(back_populates="revisions")
    version: Mapped[Version] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint(
            "translation_id", "number", name="uq_translation_revision_translation_number"
        ),
        CheckConstraint("number >= 1", name="number_positive"),
    )
