"""Session cookies and lifetimes: HttpOnly, SameSite=Lax, Secure outside development
(COREP_SECURE_COOKIES); a session ends after COREP_SESSION_IDLE_MINUTES without a request and
COREP_SESSION_MAX_HOURS after signing in, judged on the server from times kept in the signed
session cookie."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user, user_logged_in

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# Writing the cookie again on every request would only add noise; a minute is fine-grained enough.
SEEN_RESOLUTION_SECONDS = 60
API_PREFIX = "/api/"


def current_time() -> float:
    """The clock; tests replace it."""
    return time.time()


def init_app(app: Flask) -> None:
    """Before the endpoint check, so an expired session is sent to sign in with the reason."""
    secure = bool(app.config["COREP_SECURE_COOKIES"])
    app.config.update(
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
    )
    user_logged_in.connect(stamp_sign_in, app)
    app.before_request(end_expired_session)


def start_signed_in_session(user) -> None:
    """Sign `user` in on a fresh session (nothing carried over from before, so a planted session
    id is worthless), keeping only the language the person just chose in the footer. Every way of
    signing in ends here: password, second factor, invitation."""
    chosen_language = session.get("language")
    session.clear()
    if chosen_language:
        session["language"] = chosen_language
    login_user(user)


def stamp_sign_in(_app, user=None, **_extra) -> None:
    now = int(current_time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def session_has_expired(now: float) -> bool:
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return True  # a session from before these stamps: sign in again once
    config = current_app.config
    idle = config["COREP_SESSION_IDLE_MINUTES"] * 60
    absolute = config["COREP_SESSION_MAX_HOURS"] * 3600
    return now - seen_at > idle or now - signed_in_at > absolute


def end_expired_session():
    if request.endpoint == "static" or request.path.startswith(API_PREFIX):
        return None  # files are no one's; the API trusts tokens, not the session
    if "_user_id" not in session:
        return None
    now = current_time()
    if session_has_expired(now):
        language = session.get("language")
        logout_user()
        session.clear()
        if language:
            session["language"] = language
        flash(_("Your session has expired; please sign in again."), "info")
        next_page = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=next_page))
    if now - session[SEEN_AT] >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = int(now)
    return None
