"""What sign-in security keeps besides the account: recovery codes, second-factor challenges in
progress, invitations, and the site's security settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corep_drafts.extensions import db
from corep_drafts.models.accounts import User
from corep_drafts.models.base import UTCDateTime, utcnow


class RecoveryCode(db.Model):
    """A single-use code that stands in for the second factor; only its sha256 is kept (the code
    is 80 random bits, so a plain hash cannot be reversed by guessing)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInChallenge(db.Model):
    """A sign-in whose password was right and whose second factor is awaited. Kept on the server,
    not in the (client-side) session cookie, so that replaying an older cookie cannot undo the
    count of attempts; the cookie carries a random token whose hash is stored here."""

    __tablename__ = "sign_in_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """A single-use link with which a new account's person sets their own password; only the
    hash of its token is kept. Issuing a new one for the account replaces (ends) the old one."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_open(self) -> bool:
        """Neither used nor replaced (it may still have expired)."""
        return self.used_at is None and self.replaced_at is None


class SiteSetting(db.Model):
    """A setting the admin changes on the admin pages (not a deployment setting)."""

    __tablename__ = "site_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(String(200))
