"""The JSON API at /api/v1 (CONTRACT.md): bearer tokens only, so no CSRF token is needed."""

from flask import Blueprint

from corep_drafts.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from corep_drafts.views.api import amendments, declarations, openapi, translations, votes  # noqa: E402,F401  (routes attach to bp)
