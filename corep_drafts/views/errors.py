"""Error pages for people, the CONTRACT.md error object for the API."""

from flask import Flask, Response, flash, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    SecurityError,
    TooManyRequests,
)

from corep_drafts import throttling, wording
from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.input_values import InvalidValue
from corep_drafts.domain.text_input import InvalidText
from corep_drafts.extensions import db
from corep_drafts.forms.auth import LoginForm
from corep_drafts.services.errors import ServiceError

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
}


def http_message(error: HTTPException) -> str:
    """Werkzeug's descriptions are English; say the common ones in the reader's language."""
    messages = {
        400: _("The request could not be understood."),
        401: _("Sign in, or send an API token."),
        403: _("You are not allowed to do that."),
        404: _("There is no such page or object, or it is not visible to you."),
        405: _("This address does not accept that method."),
        413: _("What you sent is too large."),
        415: _("This kind of content is not accepted here."),
        429: _("Too many requests; please wait a moment and try again."),
    }
    return messages.get(error.code, error.description or _("That did not work"))


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def page_error(status: int, message: str):
    return render_template("errors/error.html", status=status, message=message), status


def handle_service_error(error: ServiceError):
    db.session.rollback()
    if wants_json():
        return api_error(error.status, error.code, error.message)
    return page_error(error.status, error.message)


def handle_domain_error(error: DomainError):
    """A domain rule refused an action that got past the services' own checks: illegal now."""
    db.session.rollback()
    # A typed value refused by the domain (invalid_text, invalid_value) is invalid, not illegal
    # now; the services usually turn it into an InvalidInput first.
    status = 422 if isinstance(error, InvalidText | InvalidValue) else 409
    if wants_json():
        return api_error(status, error.code, wording.domain_error(error))
    return page_error(status, wording.domain_error(error))


def handle_http_exception(error: HTTPException):
    if isinstance(error, SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return Response(http_message(error), status=400, mimetype="text/plain")
    if wants_json():
        response = api_error(
            error.code or 500, HTTP_CODES.get(error.code, "error"), http_message(error)
        )
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    messages = {
        403: _("You are not allowed to see this page."),
        404: _("There is no such page, or it is not visible to you."),
        405: _("This page does not accept that kind of request."),
    }
    return page_error(error.code or 500, messages.get(error.code, http_message(error)))


def handle_csrf_error(error: CSRFError):
    if wants_json():
        return api_error(
            400,
            "csrf_failed",
            _("The form had expired or was not sent from this site. Please try again."),
        )
    return page_error(
        400, _("The form had expired or was not sent from this site. Please try again.")
    )


def handle_too_many_requests(error: TooManyRequests):
    """Throttled: the API's error object, the sign-in page again with the reason, or a page;
    always with Retry-After."""
    retry_after = throttling.retry_after_seconds(error)
    message = throttling.wait_message(retry_after)
    if wants_json():
        response = api_error(429, "rate_limited", message)
    elif request.endpoint == throttling.SIGN_IN_ENDPOINT:
        flash(message, "error")
        response = make_response(render_template("auth/login.html", form=LoginForm()), 429)
    else:
        response = make_response(page_error(429, message))
    response.headers["Retry-After"] = str(retry_after)
    return response


def handle_unexpected_error(error: InternalServerError):
    db.session.rollback()
    if wants_json():
        return api_error(500, "internal_error", _("Something went wrong on the server."))
    return page_error(500, _("Something went wrong on our side. Nothing you sent was half-saved."))


def register(app: Flask) -> None:
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(TooManyRequests, handle_too_many_requests)
    app.register_error_handler(HTTPException, handle_http_exception)
    # Unhandled exceptions reach this as a 500 after Flask has logged them (tests see them raised).
    app.register_error_handler(InternalServerError, handle_unexpected_error)
