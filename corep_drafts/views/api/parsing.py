"""What every API route reads from a request: a JSON object, its fields, and a refusal (400)
when they are not of the shape CONTRACT.md gives."""

from flask import request
from flask_babel import gettext as _
from flask_babel import ngettext

from corep_drafts.services.errors import ServiceError


class MalformedRequest(ServiceError):
    status = 400
    code = "malformed_request"


def json_body(*required: str) -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise MalformedRequest(_("The body must be a JSON object."))
    missing = [name for name in required if name not in body]
    if missing:
        raise MalformedRequest(
            ngettext(
                "Missing field: %(fields)s.",
                "Missing fields: %(fields)s.",
                len(missing),
                fields=", ".join(missing),
            )
        )
    return body


def optional_string(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise MalformedRequest(_("%(field)s must be a string.", field=name))
    return value


def version_number(body: dict, name: str) -> int:
    """A version number field: an integer (not a boolean, not a string of digits)."""
    value = body[name]
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedRequest(_("%(field)s must be a version number.", field=name))
    return value
