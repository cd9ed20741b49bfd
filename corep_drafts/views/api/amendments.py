"""Amendments over the API (CONTRACT.md)."""

from flask import jsonify
from flask_login import current_user

from corep_drafts.domain.text import diff_words
from corep_drafts.services import amendments
from corep_drafts.views.api import bp, schemas
from corep_drafts.views.api.parsing import json_body, optional_string, version_number


def amendment_detail(amendment) -> dict:
    return schemas.amendment_detail(
        amendment,
        competing_with=amendments.competing_with(amendment),
        diff=diff_words(amendment.base_version.text, amendment.text),
    )


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
    amendment = amendments.propose(
        current_user,
        declaration_id,
        version_number(body, "base_version"),
        optional_string(body, "text"),
        optional_string(body, "rationale") or "",
    )
    return jsonify(amendment_detail(amendment)), 201


@bp.get("/amendments/<int:amendment_id>")
def get_amendment(amendment_id: int):
    """One amendment with its word-level diff against its base version."""
    return jsonify(amendment_detail(amendments.get_visible_amendment(current_user, amendment_id)))


@bp.put("/amendments/<int:amendment_id>")
def revise_amendment(amendment_id: int):
    """Revise one's own amendment while submitted or conflicted."""
    body = json_body("base_version", "text")
    amendment = amendments.revise(
        current_user,
        amendment_id,
        version_number(body, "base_version"),
        optional_string(body, "text"),
        optional_string(body, "rationale"),
    )
    return jsonify(amendment_detail(amendment))


@bp.post("/amendments/<int:amendment_id>/withdraw")
def withdraw_amendment(amendment_id: int):
    """Withdraw one's own amendment before its vote opens."""
    return jsonify(amendment_detail(amendments.withdraw(current_user, amendment_id)))
