"""The security headers of every answer (pages, API, errors, static files), set in one place.

The Content-Security-Policy allows scripts and styles only from this site's own files: templates
carry no inline script, event-handler attribute or style attribute (tests/integration/
test_security_headers.py checks them), so an injected one would not run."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def served_over_https() -> bool:
    """Directly, or behind a TLS proxy whose public address is https."""
    return request.is_secure or current_app.config.get("COREP_PUBLIC_URL", "").startswith(
        "https://"
    )


def answers_someone_signed_in() -> bool:
    """Read from the session cookie and the API's token check, never from the database, so an
    error page after a failed query still gets its headers."""
    if request.path.startswith("/api/"):
        return True
    user = g.get("_login_user")
    if user is not None and user.is_authenticated:
        return True
    return "_user_id" in session


def add_security_headers(response):
    for name, value in ALWAYS.items():
        response.headers.setdefault(name, value)
    if served_over_https():
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    # Static files and anonymous public pages may be cached; nothing personal or from the API.
    if request.endpoint != "static" and answers_someone_signed_in():
        response.headers["Cache-Control"] = "no-store"
    return response
