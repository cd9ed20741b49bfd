"""Throttling with Flask-Limiter: sign-in per account and per client address, failed API tokens
per client address. Only failures count, so a room of delegates signing in behind one address
spends nothing; the limits are settings (config.py) and the counters live in
RATELIMIT_STORAGE_URI (memory by default, Redis when several processes serve the app).

Each app gets its own Limiter (tests make apps with throttling on and off side by side)."""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, g, request
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from corep_drafts.domain.folding import fold

SIGN_IN_ENDPOINT = "auth.login"
SECOND_STEP_ENDPOINT = "second_factor.code"
ACCOUNT_SCOPE = "sign-in-account"
EXTENSION_KEY = "corep_limiter"


class RateLimited(TooManyRequests):
    """Refused before any checking, because this client failed too often lately."""

    def __init__(self, retry_after: int):
        super().__init__()
        self.retry_after = retry_after


def client_address() -> str:
    return request.remote_addr or "unknown"


def signing_in_account() -> str:
    """The account a sign-in names, folded as sign-in matches it (so İ and i count as one)."""
    return "account:" + (fold(request.form.get("email", "").strip()) or "(none)")


def _failed_sign_in(_response) -> bool:
    return g.get("sign_in_failed", False)


def count_failed_sign_in() -> None:
    """Called by the sign-in view when the credentials are refused: this attempt is deducted."""
    g.sign_in_failed = True


def _setting(name: str):
    return lambda: current_app.config[name]


def init_app(app: Flask) -> None:
    """After the blueprints: the sign-in view is wrapped with its limits here."""
    limiter = Limiter(key_func=client_address, headers_enabled=False)
    limiter.init_app(app)
    app.extensions[EXTENSION_KEY] = limiter
    if not limiter.enabled:
        return
    # The account's budget is one bucket shared by the password and the second-factor code, so
    # that whoever knows the password cannot start sign-in after sign-in to try codes without end.
    account_budget = limiter.shared_limit(
        _setting("COREP_SIGN_IN_LIMIT_PER_ACCOUNT"),
        scope=ACCOUNT_SCOPE,
        key_func=signing_in_account,
        methods=["POST"],
        deduct_when=_failed_sign_in,
    )
    address_budget = limiter.shared_limit(
        _setting("COREP_SIGN_IN_LIMIT_PER_ADDRESS"),
        scope="sign-in-address",
        key_func=client_address,
        methods=["POST"],
        deduct_when=_failed_sign_in,
    )
    app.view_functions[SIGN_IN_ENDPOINT] = account_budget(
        address_budget(app.view_functions[SIGN_IN_ENDPOINT])
    )
    if SECOND_STEP_ENDPOINT in app.view_functions:
        from corep_drafts.views.second_factor import pending_account

        code_account_budget = limiter.shared_limit(
            _setting("COREP_SIGN_IN_LIMIT_PER_ACCOUNT"),
            scope=ACCOUNT_SCOPE,
            key_func=lambda: "account:" + fold(pending_account() or "(none)"),
            methods=["POST"],
            deduct_when=_failed_sign_in,
        )
        app.view_functions[SECOND_STEP_ENDPOINT] = code_account_budget(
            address_budget(app.view_functions[SECOND_STEP_ENDPOINT])
        )


def _limiter() -> Limiter | None:
    limiter = current_app.extensions.get(EXTENSION_KEY)
    return limiter if limiter is not None and limiter.enabled else None


TOKEN_FAILURES_SCOPE = "api-token-failures"


def _token_failure_limits():
    return parse_many(current_app.config["COREP_API_TOKEN_FAILURE_LIMIT"])


def refuse_if_token_failures_exceeded() -> None:
    """Before a bearer token is looked up: refuse a client that sent too many bad ones lately."""
    limiter = _limiter()
    if limiter is None:
        return
    identifiers = (client_address(), TOKEN_FAILURES_SCOPE)
    try:
        for item in _token_failure_limits():
            if not limiter.limiter.test(item, *identifiers):
                reset_at, _remaining = limiter.limiter.get_window_stats(item, *identifiers)
                raise RateLimited(_seconds_until(reset_at))
    except RateLimited:
        raise
    except Exception:  # the storage is unreachable: tokens are unguessable anyway, so go on
        current_app.logger.warning("rate limit storage unreachable", exc_info=True)


def count_token_failure() -> None:
    limiter = _limiter()
    if limiter is None:
        return
    try:
        for item in _token_failure_limits():
            limiter.limiter.hit(item, client_address(), TOKEN_FAILURES_SCOPE)
    except Exception:  # as above
        current_app.logger.warning("rate limit storage unreachable", exc_info=True)


def _seconds_until(reset_at: float) -> int:
    return max(1, math.ceil(reset_at - time.time()))


def retry_after_seconds(error: TooManyRequests) -> int:
    """How long the client should wait: the latest reset among the limits it broke."""
    if isinstance(error, RateLimited):
        return error.retry_after
    limiter = current_app.extensions.get(EXTENSION_KEY)
    if isinstance(error, RateLimitExceeded) and limiter is not None:
        resets = [limit.reset_at for limit in limiter.current_limits if limit.breached]
        if resets:
            return _seconds_until(max(resets))
    return 60


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts. Please wait %(num)d minute and try again.",
        "Too many attempts. Please wait %(num)d minutes and try again.",
        minutes,
    )
