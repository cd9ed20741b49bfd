"""People, their roles and sections, and their API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from corep_drafts.domain.folding import fold
from corep_drafts.extensions import db
from corep_drafts.models.base import UTCDateTime, utcnow

ROLES = ("member", "delegate", "executive", "admin")


class Section(db.Model):
    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    language: Mapped[str] = mapped_column(String(16), default="en")
    weight: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (CheckConstraint("weight >= 1", name="weight_positive"),)

    def __repr__(self) -> str:
        return f"<Section {self.name!r}>"


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    __table_args__ = (
        CheckConstraint("role IN ('member', 'delegate', 'executive', 'admin')", name="known_role"),
    )


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    # The address folded for matching (Turkish İ/ı included): unique, and what sign-in looks up.
    email_key: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("section.id"))
    preferred_language: Mapped[str | None] = mapped_column(String(16))
    # An IANA zone (Europe/Istanbul); none: the zone the browser reports, else UTC.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Rotated on logout and password change: the session cookie carries this, not the id,
    # so a replayed old cookie no longer names anybody.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # TOTP second factor (services/second_factor.py): the secret is kept as is, not encrypted.
    # The server needs it in the clear to check codes, so encrypting it could only use a key the
    # app holds (SECRET_KEY): that helps against a leak of the database alone, but the database
    # already holds every draft and ballot, and rotating SECRET_KEY (the remedy after a leak)
    # would then silently break every second factor. A secret with no confirmation is an
    # enrolment in progress; `totp_last_step` is the time step of the last code accepted, so no
    # code is accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    section: Mapped[Section | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=UserRole.role
    )
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("uq_user_email_key", email_key, unique=True),)

    @validates("email")
    def _keep_email_key(self, _key, email: str) -> str:
        self.email_key = fold(email)
        return email

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows)

    @roles.setter
    def roles(self, new_roles) -> None:
        wanted = set(new_roles)
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in sorted(wanted - self.roles)
        ]

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return self.session_token

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
