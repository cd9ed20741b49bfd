"""Accounts, sections, sessions and API tokens."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager

from corep_drafts.domain.folding import contains, fold
from corep_drafts.domain.text_input import is_storable
from corep_drafts.extensions import db
from corep_drafts.i18n import is_time_zone
from corep_drafts.models import ROLES, ApiToken, Section, User, UserRole
from corep_drafts.models.accounts import new_session_token
from corep_drafts.models.base import utcnow
from corep_drafts.services import input_checks, passwords
from corep_drafts.services.errors import InvalidInput, NotFound

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LANGUAGE_CODE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
TOKEN_PREFIX = "cdt_"


# --- sections ---------------------------------------------------------------------------------


def list_sections() -> list[Section]:
    return list(db.session.scalars(select(Section).order_by(Section.name)))


def get_section(section_id: int) -> Section:
    section = db.session.get(Section, section_id)
    if section is None:
        raise NotFound(_("No such section."))
    return section


def find_section_by_name(name: str) -> Section | None:
    return db.session.scalar(select(Section).where(Section.name == name))


def _validate_section(name: str, language: str, weight: int, *, existing: Section | None) -> str:
    name = input_checks.text((name or "").strip(), "name", is_name=True)
    if not name:
        raise InvalidInput(_("A section needs a name."), field="name")
    if len(name) > 120:
        raise InvalidInput(_("A section name has at most 120 characters."), field="name")
    other = find_section_by_name(name)
    if other is not None and other is not existing:
        raise InvalidInput(_("A section named %(name)s already exists.", name=name), field="name")
    if not LANGUAGE_CODE_PATTERN.match(language or ""):
        raise InvalidInput(
            _("%(code)s is not a language code (use ISO 639, e.g. es, de, tr).", code=language),
            field="language",
        )
    if not isinstance(weight, int) or weight < 1:
        raise InvalidInput(_("A section's weight is a whole number of at least 1."), field="weight")
    input_checks.number(weight, "weight")
    return name


def add_section(name: str, language: str = "en", weight: int = 1) -> Section:
    name = _validate_section(name, language, weight, existing=None)
    section = Section(name=name, language=language, weight=weight)
    db.session.add(section)
    db.session.commit()
    return section


def update_section(section_id: int, name: str, language: str, weight: int) -> Section:
    section = get_section(section_id)
    section.name = _validate_section(name, language, weight, existing=section)
    section.language = language
    section.weight = weight
    db.session.commit()
    return section


# --- users ------------------------------------------------------------------------------------


def list_users(search: str | None = None) -> list[User]:
    """Every account by name; with ``search``, those whose name or e-mail contains it (ignoring
    case, Turkish İ/ı included)."""
    users = list(db.session.scalars(select(User).order_by(func.lower(User.name))))
    if search and search.strip():
        users = [
            u
            for u in users
            if contains(u.name, search.strip()) or contains(u.email, search.strip())
        ]
    return users


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def find_user_by_email(email: str) -> User | None:
    if not is_storable(email or ""):
        return None  # no account holds it, and PostgreSQL would refuse to look for it
    return db.session.scalar(select(User).where(User.email_key == fold((email or "").strip())))


def find_user_by_session_token(session_token: str) -> User | None:
    return db.session.scalar(select(User).where(User.session_token == session_token))


def _validate_profile(email, name, roles, section_name, preferred_language, *, existing=None):
    email = input_checks.text((email or "").strip(), "email", is_name=True)
    if not EMAIL_PATTERN.match(email):
        raise InvalidInput(_("%(email)s is not an e-mail address.", email=email), field="email")
    other = find_user_by_email(email)
    if other is not None and other is not existing:
        raise InvalidInput(
            _("An account with %(email)s already exists.", email=email), field="email"
        )
    name = input_checks.text((name or "").strip(), "name", is_name=True)
    if not name:
        raise InvalidInput(_("A user needs a name."), field="name")
    roles = set(roles or ())
    unknown = sorted(roles - set(ROLES))
    if unknown:
        raise InvalidInput(
            _(
                "Unknown role %(role)s; roles are %(roles)s.",
                role=unknown[0],
                roles=", ".join(ROLES),
            ),
            field="roles",
        )
    if not roles:
        raise InvalidInput(_("A user needs at least one role."), field="roles")
    section = None
    if section_name:
        input_checks.text(section_name, "section", is_name=True)
        section = find_section_by_name(section_name)
        if section is None:
            raise InvalidInput(_("Unknown section %(name)s.", name=section_name), field="section")
    if "delegate" in roles and section is None:
        raise InvalidInput(_("A delegate needs a section."), field="section")
    if preferred_language and not LANGUAGE_CODE_PATTERN.match(preferred_language):
        raise InvalidInput(
            _("%(code)s is not a language code.", code=preferred_language),
            field="preferred_language",
        )
    return email, name, roles, section


def new_account(
    email, name, roles, password=None, section_name=None, preferred_language=None
) -> User:
    """A validated account added to the session, not committed (the caller commits it with what
    goes with it). Without a password it gets one nobody knows: the hash of a random secret, so
    that signing in to it fails like a wrong password, in the same time."""
    email, name, roles, section = _validate_profile(
        email, name, roles, section_name, preferred_language
    )
    if password is not None:
        passwords.check_policy(password)
    user = User(
        email=email,
        name=name,
        section=section,
        preferred_language=preferred_language or None,
        password_hash=passwords.hash_password(
            password if password is not None else secrets.token_urlsafe(32)
        ),
    )
    user.roles = roles
    db.session.add(user)
    return user


def add_user(email, name, roles, password, section_name=None, preferred_language=None) -> User:
    user = new_account(email, name, roles, password, section_name, preferred_language)
    db.session.commit()
    return user


def update_user(user_id, email, name, roles, section_name=None, preferred_language=None) -> User:
    user = get_user(user_id)
    email, name, roles, section = _validate_profile(
        email, name, roles, section_name, preferred_language, existing=user
    )
    lost_rights = not roles >= user.roles or section is not user.section
    user.email, user.name, user.section = email, name, section
    user.preferred_language = preferred_language or None
    user.roles = roles
    if lost_rights:
        # A role taken away or a section changed must not live on in an open session.
        user.session_token = new_session_token()
    db.session.commit()
    return user


def set_user_active(user_id: int, active: bool, acting_user_id: int) -> User:
    user = get_user(user_id)
    if not active and user.id == acting_user_id:
        raise InvalidInput(_("You cannot deactivate your own account."))
    user.active = active
    if not active:
        user.session_token = new_session_token()  # ends every session of the account at once
        for token in user.tokens:
            token.revoked_at = token.revoked_at or utcnow()
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this e-mail and password, else None. An unknown e-mail, a wrong
    password and a deactivated account cost the same one argon2 verification and look alike."""
    user = find_user_by_email(email)
    if user is None:
        passwords.verify_against_dummy(password)
        return None
    if not passwords.verify_password(user.password_hash, password) or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash) or not passwords.is_normalised_hash(
        user.password_hash, password
    ):
        user.password_hash = passwords.hash_password(password)
        db.session.commit()
    return user


def update_preferences(user: User, language: str | None, time_zone: str | None) -> User:
    """One's own interface language and time zone; empty means "as the browser says"."""
    language, time_zone = (language or "").strip() or None, (time_zone or "").strip() or None
    if language is not None and language not in current_app.config["LANGUAGES"]:
        raise InvalidInput(
            _("%(code)s is not a language of the interface.", code=language),
            field="preferred_language",
        )
    if time_zone is not None and not is_time_zone(time_zone):
        raise InvalidInput(_("%(zone)s is not a time zone.", zone=time_zone), field="time_zone")
    user.preferred_language, user.time_zone = language, time_zone
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Rotate the session token: every cookie that carried the old one stops working."""
    user.session_token = new_session_token()
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise InvalidInput(_("The current password is not right."), field="current_password")
    passwords.check_policy(new_password, field="new_password")
    user.password_hash = passwords.hash_password(new_password)
    user.session_token = new_session_token()
    db.session.commit()


# --- API tokens -------------------------------------------------------------------------------


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, name: str = "") -> str:
    """Return the new token; only its hash is stored, so this is the one time it is seen."""
    name = input_checks.text((name or "").strip()[:100], "name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name, token_hash=_token_digest(token)))
    db.session.commit()
    return token


def create_token_for_email(email: str, name: str = "") -> str:
    user = find_user_by_email(email)
    if user is None:
        raise InvalidInput(_("No account with %(email)s.", email=email), field="email")
    if not user.active:
        raise InvalidInput(_("The account %(email)s is deactivated.", email=email), field="email")
    return create_token(user, name)


def revoke_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()


@functools.cache
def _token_with_user_and_roles():
    """What every API call needs, in one statement: the token, its user and the user's roles.
    Built once: building it per call cost more than running it."""
    return (
        select(ApiToken)
        .join(ApiToken.user)
        .outerjoin(User.role_rows)
        .options(contains_eager(ApiToken.user).contains_eager(User.role_rows))
        .where(ApiToken.token_hash == bindparam("digest"))
        .order_by(UserRole.role)
    )


def user_for_token(token: str) -> User | None:
    """The active user holding this unrevoked token, with their roles; marks it used."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        db.session.scalars(_token_with_user_and_roles(), {"digest": _token_digest(token)})
        .unique()
        .one_or_none()
    )
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    # Written at most once a minute so that reads do not turn every API call into a write.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        row.last_used_at = now
        _commit_keeping_loaded()
    return row.user


def _commit_keeping_loaded() -> None:
    """Commit without expiring what the session holds: the token was just read and marked, its
    user and roles just read, and reading all three again after the commit would cost one
    query each for nothing."""
    session = db.session()
    keeps = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keeps
