"""Amendments and declaration transitions over the API (CONTRACT.md)."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from corep_drafts.domain.text import diff_words
from corep_drafts.services import amendments, declarations
from corep_drafts.services.errors import ServiceError
from corep_drafts.views.api import bp, schemas


class MalformedRequest(ServiceError):
    status = 400
    code = "malformed_request"


def json_body(*required: str) -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise MalformedRequest(_("The body must be a JSON object."))
    missing = [name for name in required if name not in body]
    if missing:
        raise MalformedRequest(ngettext("Missing field: %(fields)s.", "Missing fields: %(fields)s.",
                                        len(missing), fields=", ".join(missing)))
    return body


def optional_string(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise MalformedRequest(_("%(field)s must be a string.", field=name))
    return value


def amendment_detail(amendment) -> dict:
    return schemas.amendment_detail(
        amendment,
        competing_with=amendments.competing_with(amendment),
        diff=diff_words(amendment.base_version.text, amendment.text),
    )


@bp.post("/declarations/<int:declaration_id>/transitions")
def transition_declaration(declaration_id: int):
    """Move a declaration along its life cycle (executive)."""
    target = optional_string(json_body("to"), "to")
    declaration = declarations.transition(current_user, declaration_id, target)
    return jsonify(schemas.declaration_detail(declaration))


@bp.get("/declarations/<int:declaration_id>/amendments")
def list_amendments(declaration_id: int):
    """The amendments of a declaration, with the ids each one competes with."""
    found = amendments.list_amendments(current_user, declaration_id)
    competing = amendments.competing_groups(found)
    return jsonify([schemas.amendment_summary(a, competing.get(a.id, [])) for a in found])


@bp.post("/declarations/<int:declaration_id>/amendments")
def create_amendment(declaration_id: int):
    """Propose an amendment: the whole amended text against any version of the declaration."""
    body = json_body("base_version", "text")
    if not isinstance(body["base_version"], int) or isinstance(body["base_version"], bool):
        raise MalformedRequest(_("%(field)s must be a version number.", field="base_version"))
    amendment = amendments.propose(current_user, declaration_id, body["base_version"],
                                   optional_string(body, "text"), optional_string(body, "rationale") or "")
    return jsonify(amendment_detail(amendment)), 201


@bp.get("/amendments/<int:amendment_id>")
def get_amendment(amendment_id: int):
    """One amendment with its word-level diff against its base version."""
    return jsonify(amendment_detail(amendments.get_visible_amendment(current_user, amendment_id)))


@bp.put("/amendments/<int:amendment_id>")
def revise_amendment(amendment_id: int):
    """Revise one's own amendment while submitted or conflicted."""
    body = json_body("base_version", "text")
    if not isinstance(body["base_version"], int) or isinstance(body["base_version"], bool):
        raise MalformedRequest(_("%(field)s must be a version number.", field="base_version"))
    amendment = amendments.revise(current_user, amendment_id, body["base_version"],
                                  optional_string(body, "text"), optional_string(body, "rationale"))
    return jsonify(amendment_detail(amendment))


@bp.post("/amendments/<int:amendment_id>/withdraw")
def withdraw_amendment(amendment_id: int):
    """Withdraw one's own amendment before its vote opens."""
    return jsonify(amendment_detail(amendments.withdraw(current_user, amendment_id)))
