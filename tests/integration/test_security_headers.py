"""Security headers on pages, the API, error pages and static files; templates with nothing inline
that the Content-Security-Policy would have to allow."""

import re
from pathlib import Path

import pytest

from corep_drafts.security_headers import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_security_headers(response, *, private: bool):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "img-src 'self' data:",
    ):
        assert directive in csp.split("; ")
    assert "unsafe-inline" not in csp and "http" not in csp
    for name, value in ALWAYS.items():
        assert headers[name] == value, name
    assert "Strict-Transport-Security" not in headers  # plain http here
    if private:
        assert headers["Cache-Control"] == "no-store"
    else:
        assert "no-store" not in headers.get("Cache-Control", "")


def test_an_anonymous_page_has_every_header_and_may_be_cached(client, people):
    response = client.get("/login")
    assert response.status_code == 200
    assert_security_headers(response, private=False)


def test_every_page_answered_to_someone_signed_in_is_not_stored(client, auth, people):
    sign_in = auth.login("member@example.org")
    assert_security_headers(sign_in, private=True)
    for path in ("/", "/profile", "/no/such/page"):
        assert_security_headers(client.get(path), private=True)


def test_every_api_answer_has_every_header_and_is_not_stored(api, people):
    assert_security_headers(api("member", "GET", "/declarations"), private=True)
    assert_security_headers(api(None, "GET", "/declarations"), private=True)  # 401
    assert_security_headers(api("member", "GET", "/declarations/999"), private=True)  # 404
    assert_security_headers(api("member", "GET", "/openapi.json"), private=True)


def test_error_pages_have_every_header(app, client, monkeypatch):
    assert_security_headers(client.get("/no/such/page"), private=False)

    from corep_drafts.views import main

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(main.declarations, "visible_declarations", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/")
    assert response.status_code == 500
    assert_security_headers(response, private=False)


def test_static_files_have_the_headers_and_may_be_cached_even_when_signed_in(client, auth, people):
    auth.login("member@example.org")
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_hsts_is_sent_over_https_only(app, client, monkeypatch):
    over_https = client.get("/login", base_url="https://localhost")
    assert over_https.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in client.get("/login").headers
    # Behind a TLS proxy the app sees http, but its public address says https.
    monkeypatch.setitem(app.config, "COREP_PUBLIC_URL", "https://drafts.example.org")
    assert "Strict-Transport-Security" in client.get("/login").headers


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


@pytest.mark.parametrize(
    "template",
    sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        # The standalone HTML export is a downloaded file (Content-Disposition: attachment)
        # that must work alone, so it keeps its stylesheet inside.
        if path.relative_to(TEMPLATES).parts[0] != "exports"
    ),
)
def test_templates_carry_no_inline_script_handler_or_style(template):
    source = (TEMPLATES / template).read_text("utf-8")
    for pattern in (INLINE_SCRIPT, EVENT_HANDLER, STYLE, JAVASCRIPT_URL):
        assert not pattern.search(source), f"{template}: {pattern.pattern}"
