"""The TOTP second factor (RFC 6238, through pyotp): enrolment, the code asked after the
password, single-use recovery codes, and whether the admin requires it.

A code is accepted once: the account remembers the time step of the last code it accepted and
takes only later steps, with one step of clock drift either way. Acceptance is a conditional
UPDATE, so two requests racing with the same code cannot both win.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

import pyotp
import segno
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update

from corep_drafts.extensions import db
from corep_drafts.models import RecoveryCode, SignInChallenge, User
from corep_drafts.models.accounts import new_session_token
from corep_drafts.models.base import utcnow
from corep_drafts.services import accounts, audit, passwords, site_settings
from corep_drafts.services.errors import InvalidInput, StateConflict

ISSUER = "corep-drafts"
DRIFT_STEPS = 1  # a code of the step before or after the server's is accepted too
RECOVERY_CODE_COUNT = 10
MAX_CODE_ATTEMPTS = 5  # per sign-in; then the person starts over with the password
CHALLENGE_LIFETIME = timedelta(minutes=5)
ROLES_THE_ADMIN_MAY_REQUIRE_IT_OF = frozenset({"executive", "admin"})

_SIX_DIGITS = re.compile(r"^\d{6}$")


class SignInAgain(StateConflict):
    """The sign-in awaiting a code is over (expired, too many wrong codes, or unknown)."""

    code = "sign_in_again"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _compact(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


# --- codes --------------------------------------------------------------------------------------


def _matching_step(secret: str, code: str, *, later_than: int | None) -> int | None:
    """The time step (within the drift) whose code this is, if it is later than `later_than`."""
    if not _SIX_DIGITS.match(code):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if later_than is not None and step <= later_than:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_time_code(user: User, code: str) -> bool:
    step = _matching_step(user.totp_secret, code, later_than=user.totp_last_step)
    if step is None:
        return False
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)
    return claimed.rowcount == 1


def _use_recovery_code(user: User, code: str) -> bool:
    claimed = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(_compact(code)),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _use_code(user: User, code: str) -> bool:
    """A current code not used before, or an unused recovery code; uses it up (not committed)."""
    code = _compact(code)
    if _SIX_DIGITS.match(code):
        return _use_time_code(user, code)
    return bool(code) and _use_recovery_code(user, code)


def is_time_code(code: str) -> bool:
    """Six digits from the app, rather than a recovery code."""
    return bool(_SIX_DIGITS.match(_compact(code)))


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _new_recovery_codes(user: User) -> list[str]:
    """Ten codes of 80 random bits each (so a plain sha256 of them cannot be guessed back)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()  # 16 characters
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    return codes


# --- enrolment ----------------------------------------------------------------------------------


def enrolment_secret(user: User) -> str:
    """The secret being enrolled (made the first time it is asked for)."""
    if user.has_second_factor:
        raise StateConflict(_("Your second factor is already set up."))
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        user.totp_last_step = None
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> Markup:
    """The QR code of `uri` as inline SVG markup made here (paths only; no text from the user)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, svgclass="qr-code")
    return Markup(svg)  # nosec B704  # segno writes paths only: no title or text from the URI


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Switch the second factor on with a current code; returns the recovery codes (shown once)."""
    if user.has_second_factor:
        raise StateConflict(_("Your second factor is already set up."))
    if not user.totp_secret:
        raise StateConflict(_("Start the set-up again."))
    if not _use_time_code(user, _compact(code)):
        raise InvalidInput(_("That code is not right, or it was already used."), field="code")
    user.totp_confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    db.session.commit()
    return codes


def _switch_off(user: User) -> None:
    user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SignInChallenge).where(SignInChallenge.user_id == user.id))


def disable(user: User, password: str, code: str) -> None:
    if not user.has_second_factor:
        raise StateConflict(_("You have no second factor to switch off."))
    if not passwords.verify_password(user.password_hash, password or ""):
        raise InvalidInput(_("The password is not right."), field="password")
    if not _use_code(user, code):
        raise InvalidInput(_("That code is not right, or it was already used."), field="code")
    _switch_off(user)
    db.session.commit()


def reset_by_admin(admin: User, user_id: int) -> User:
    """For a person who lost both their phone and their recovery codes: the admin switches the
    second factor off (audited); the person sets up a new one, at once if it is required."""
    user = accounts.get_user(user_id)
    if not user.has_second_factor:
        raise StateConflict(_("%(email)s has no second factor.", email=user.email))
    _switch_off(user)
    user.session_token = new_session_token()  # whoever was signed in as them starts again
    audit.record("user.second_factor_reset", user, actor=admin)
    db.session.commit()
    return user


# --- the admin's requirement ----------------------------------------------------------------------


def is_required_for(user: User) -> bool:
    return (
        bool(user.roles & ROLES_THE_ADMIN_MAY_REQUIRE_IT_OF)
        and site_settings.second_factor_required()
    )


def must_enrol(user: User) -> bool:
    """Signed in with the password alone, but the admin requires a second factor of this role."""
    return not user.has_second_factor and is_required_for(user)


# --- signing in -------------------------------------------------------------------------------


def start_challenge(user: User) -> str:
    """A sign-in whose password was right now waits for a code; returns its token (the session
    keeps it; only its hash is stored)."""
    now = utcnow()
    db.session.execute(
        delete(SignInChallenge).where(SignInChallenge.created_at < now - CHALLENGE_LIFETIME)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(SignInChallenge(user_id=user.id, token_hash=_digest(token), created_at=now))
    db.session.commit()
    return token


def _live_challenge(token: str | None) -> SignInChallenge | None:
    if not token:
        return None
    challenge = db.session.scalar(
        select(SignInChallenge).where(SignInChallenge.token_hash == _digest(token))
    )
    if challenge is None:
        return None
    user = challenge.user
    if (
        challenge.created_at < utcnow() - CHALLENGE_LIFETIME
        or not user.active
        or not user.has_second_factor
    ):
        return None
    return challenge


def challenge_email(token: str | None) -> str | None:
    """Whose sign-in this is, for the throttle's account budget."""
    challenge = _live_challenge(token)
    return challenge.user.email if challenge is not None else None


def challenge_is_live(token: str | None) -> bool:
    return _live_challenge(token) is not None


def answer_challenge(token: str | None, code: str) -> User:
    """The user, when `code` is right; each answer counts, and the fifth wrong one ends it."""
    challenge = _live_challenge(token)
    if challenge is None:
        raise SignInAgain(_("That sign-in took too long or was ended; sign in again."))
    counted = db.session.execute(
        update(SignInChallenge)
        .where(SignInChallenge.id == challenge.id, SignInChallenge.attempts < MAX_CODE_ATTEMPTS)
        .values(attempts=SignInChallenge.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:
        raise SignInAgain(_("Too many wrong codes; sign in again."))
    user = challenge.user
    if _use_code(user, code):
        db.session.delete(challenge)
        db.session.commit()
        return user
    db.session.refresh(challenge)
    left = MAX_CODE_ATTEMPTS - challenge.attempts
    if left <= 0:
        db.session.delete(challenge)
        db.session.commit()
        raise SignInAgain(_("Too many wrong codes; sign in again."))
    db.session.commit()
    raise InvalidInput(
        ngettext(
            "That code is not right, or it was already used. %(num)d try left.",
            "That code is not right, or it was already used. %(num)d tries left.",
            left,
        ),
        field="code",
    )
