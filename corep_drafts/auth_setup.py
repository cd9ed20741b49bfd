"""Who is asking: the session for pages, a bearer token for the API; then the endpoint check."""

from flask import Flask, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user

from corep_drafts import permissions, throttling
from corep_drafts.extensions import login_manager
from corep_drafts.services import accounts
from corep_drafts.services.errors import NotAllowed, ServiceError

API_BLUEPRINT = "api"


class Unauthenticated(ServiceError):
    status = 401
    code = "unauthenticated"


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.anonymous_user = AnonymousUserMixin
    login_manager.user_loader(accounts.find_user_by_session_token)
    app.before_request(authenticate_api_request)
    app.before_request(check_endpoint_access)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate_api_request() -> None:
    """The API trusts only bearer tokens, never the session cookie (so it needs no CSRF token)."""
    if request.blueprint != API_BLUEPRINT:
        return
    token = bearer_token()
    if token:
        throttling.refuse_if_token_failures_exceeded()
    user = accounts.user_for_token(token) if token else None
    g._login_user = user if user is not None else login_manager.anonymous_user()
    if token and user is None:
        throttling.count_token_failure()
        raise Unauthenticated(
            _("The token is unknown, revoked, or its account is deactivated."), code="invalid_token"
        )


def check_endpoint_access():
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404 handler answers
    action = permissions.action_for_endpoint(endpoint)
    if action is None:
        # Fail closed: an endpoint nobody put in the table is refused to everybody.
        raise NotAllowed(
            _("The endpoint %(endpoint)s has no permission rule.", endpoint=endpoint),
            code="no_rule",
        )
    if permissions.may(current_user, action):
        return None
    if not current_user.is_authenticated:
        if request.blueprint == API_BLUEPRINT:
            raise Unauthenticated(_("Send an API token: Authorization: Bearer TOKEN."))
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    raise NotAllowed(_("You are not allowed to do that."))
