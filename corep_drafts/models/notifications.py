"""Notifications: one row per event and recipient, shown on the site and mailed from the outbox.

The row holds data, not text: the words are written when the row is shown or mailed, in the
recipient's language and time zone of that moment (services/notification_texts.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from corep_drafts.extensions import db
from corep_drafts.models.accounts import User
from corep_drafts.models.base import UTCDateTime, utcnow
from corep_drafts.models.declarations import in_list


class NotificationKind(StrEnum):
    VOTE_OPENED = "vote_opened"
    VOTE_CLOSED = "vote_closed"
    AMENDMENT_CONFLICTED = "amendment_conflicted"
    AMENDMENT_CARRIED = "amendment_carried"
    AMENDMENT_ADOPTED = "amendment_adopted"
    AMENDMENT_REJECTED = "amendment_rejected"
    AMENDMENT_SUPERSEDED = "amendment_superseded"


class MailState(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender until `claimed_until`
    SENT = "sent"
    FAILED = "failed"  # failed for good after the last attempt
    WITHHELD = "withheld"  # never to be mailed: the account was deactivated


NOTIFICATION_KINDS = tuple(map(str, NotificationKind))
MAIL_STATES = tuple(map(str, MailState))


class Notification(db.Model):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    # What it is about: the link goes to the most precise of these.
    declaration_id: Mapped[int | None] = mapped_column(
        ForeignKey("declaration.id", ondelete="CASCADE")
    )
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendment.id", ondelete="CASCADE"))
    vote_id: Mapped[int | None] = mapped_column(ForeignKey("vote.id", ondelete="CASCADE"))
    # What the words need besides the ids (titles, labels, a result), as of the event.
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # One event reaches one recipient once, even if it were announced twice: `kind:subject:who`.
    delivery_key: Mapped[str] = mapped_column(String(200), unique=True)
    mail_state: Mapped[str] = mapped_column(String(16), default=MailState.PENDING.value)
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A sender's claim: its token, and when the claim lapses if that sender died mid-way.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recipient: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(f"kind IN {in_list(NOTIFICATION_KINDS)}", name="known_kind"),
        CheckConstraint(f"mail_state IN {in_list(MAIL_STATES)}", name="known_mail_state"),
        # The site list (newest first) and the unread count in every page's header.
        Index("ix_notification_recipient_unread", "recipient_id", "read_at"),
        Index("ix_notification_recipient_created", "recipient_id", "created_at"),
        # The sender's look-up of what is due.
        Index("ix_notification_outbox", "mail_state", "next_attempt_at"),
    )
