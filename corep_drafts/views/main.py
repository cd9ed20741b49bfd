"""The front page and the language switch."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from corep_drafts.services import declarations

bp = Blueprint("main", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site, so a crafted link cannot send people elsewhere. No control
    character (a newline cannot go into a Location header) and no backslash (browsers read
    `/\\evil.example` as `//evil.example`)."""
    if not target or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    # Browsers read a backslash as a slash and drop tabs and line breaks, so "/\evil.example"
    # would lead off site.
    if "\\" in target or any(ord(character) < 0x21 for character in target):
        return fallback
    return target


@bp.get("/")
def index():
    """The declarations this person may read, newest first; ``?q=`` searches titles and texts."""
    search = request.args.get("q", "")
    return render_template(
        "main/index.html",
        search=search,
        declarations=declarations.visible_declarations(current_user, search),
    )


@bp.post("/language")
def set_language():
    """Remember the interface language chosen in the footer for this browser session."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))
