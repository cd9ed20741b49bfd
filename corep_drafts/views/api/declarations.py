"""Declarations and versions over the API."""

from flask import jsonify
from flask_login import current_user

from corep_drafts.services import declarations
from corep_drafts.views.api import bp, schemas
from corep_drafts.views.api.parsing import json_body, optional_string


@bp.get("/declarations")
def list_declarations():
    """The declarations the token's holder may read."""
    return jsonify(
        [schemas.declaration_summary(d) for d in declarations.visible_declarations(current_user)]
    )


@bp.get("/declarations/<int:declaration_id>")
def get_declaration(declaration_id: int):
    """One declaration with its current text."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    return jsonify(schemas.declaration_detail(declaration))


@bp.get("/declarations/<int:declaration_id>/versions")
def list_versions(declaration_id: int):
    """The hash-chained versions of a declaration, oldest first."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    return jsonify([schemas.version_summary(v) for v in declaration.versions])


@bp.get("/declarations/<int:declaration_id>/versions/<int:number>")
def get_version(declaration_id: int, number: int):
    """One version with its text."""
    version = declarations.get_visible_version(current_user, declaration_id, number)
    return jsonify(schemas.version_with_text(version))


@bp.post("/declarations/<int:declaration_id>/transitions")
def transition_declaration(declaration_id: int):
    """Move a declaration along its life cycle (executive)."""
    target = optional_string(json_body("to"), "to")
    declaration = declarations.transition(current_user, declaration_id, target)
    return jsonify(schemas.declaration_detail(declaration))
