"""Invitations: an account made by the admin has no password anyone knows; its person sets one
through a single-use link that expires in 24 hours. Only the hash of the link's token is kept.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from corep_drafts.extensions import db
from corep_drafts.models import Invitation, User
from corep_drafts.models.accounts import new_session_token
from corep_drafts.models.base import utcnow
from corep_drafts.services import accounts, passwords
from corep_drafts.services.errors import NotFound, ServiceError, StateConflict

LIFETIME = timedelta(hours=24)


class InvitationGone(ServiceError):
    """A link that existed but no longer works: used, replaced, expired, or its account ended."""

    status = 410
    code = "invitation_gone"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _issue(user: User, invited_by: User | None) -> str:
    now = utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        Invitation(
            user=user,
            token_hash=_digest(token),
            invited_by_id=invited_by.id if invited_by is not None else None,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    # Mail arrives with the notifications (CONTRACT.md, `notifications send`): the outbox row
    # for the invitation mail belongs here, in this transaction. Until then the admin passes
    # the link on.
    return token


def invite_user(
    email, name, roles, section_name=None, preferred_language=None, *, invited_by=None
) -> tuple[User, str]:
    """A new account without a usable password, and the token of its invitation link."""
    user = accounts.new_account(
        email, name, roles, section_name=section_name, preferred_language=preferred_language
    )
    token = _issue(user, invited_by)
    db.session.commit()
    return user, token


def reissue(user_id: int, invited_by=None) -> tuple[User, str]:
    """A new link for an account whose person has not yet set a password; the old one ends."""
    user = accounts.get_user(user_id)
    open_ones = [
        invitation
        for invitation in db.session.scalars(
            select(Invitation).where(Invitation.user_id == user.id)
        )
        if invitation.is_open
    ]
    if not open_ones:
        raise StateConflict(
            _(
                "%(email)s has already set a password; there is no invitation to renew.",
                email=user.email,
            )
        )
    if not user.active:
        raise StateConflict(_("The account %(email)s is deactivated.", email=user.email))
    now = utcnow()
    for invitation in open_ones:
        invitation.replaced_at = now
    token = _issue(user, invited_by)
    db.session.commit()
    return user, token


def open_invitation(token: str) -> Invitation:
    """The invitation of a link that still works; 404 for an unknown link, 410 for an ended one."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _digest(token))
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not known. Check that it was copied whole."))
    if invitation.used_at is not None:
        raise InvitationGone(
            _("This invitation link was already used. Sign in with the password you set.")
        )
    if invitation.replaced_at is not None or not invitation.user.active:
        raise InvitationGone(
            _("This invitation link no longer works. Ask an administrator for a new one.")
        )
    if utcnow() >= invitation.expires_at:
        raise InvitationGone(
            _("This invitation link has expired. Ask an administrator for a new one.")
        )
    return invitation


def accept(token: str, password: str) -> User:
    """Set the invited person's own password (under the password policy); the link is used up."""
    invitation = open_invitation(token)
    passwords.check_policy(password, field="new_password")
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.replaced_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # another request used it meanwhile
        db.session.rollback()
        raise InvitationGone(
            _("This invitation link was already used. Sign in with the password you set.")
        )
    user = invitation.user
    user.password_hash = passwords.hash_password(password)
    user.session_token = new_session_token()
    db.session.commit()
    return user


def pending_by_user() -> dict[int, Invitation]:
    """For each account whose person has not yet set a password, its latest invitation."""
    pending: dict[int, Invitation] = {}
    query = select(Invitation).where(Invitation.used_at.is_(None), Invitation.replaced_at.is_(None))
    for invitation in db.session.scalars(query.order_by(Invitation.id)):
        pending[invitation.user_id] = invitation
    return pending


def has_expired(invitation: Invitation) -> bool:
    return utcnow() >= invitation.expires_at
