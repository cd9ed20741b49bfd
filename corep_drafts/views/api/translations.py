"""Translations over the API (CONTRACT.md): list, read with the source's changes, write."""

from flask import jsonify
from flask_login import current_user

from corep_drafts.services import translations
from corep_drafts.views.api import bp, schemas
from corep_drafts.views.api.parsing import json_body, optional_string, version_number


@bp.get("/declarations/<int:declaration_id>/translations")
def list_translations(declaration_id: int):
    """Every translation of a declaration with its state."""
    return jsonify(
        [
            schemas.translation_summary(t)
            for t in translations.translations_of(current_user, declaration_id)
        ]
    )


@bp.get("/declarations/<int:declaration_id>/translations/<language>")
def get_translation(declaration_id: int, language: str):
    """A translation with its text and, when outdated, each source paragraph changed since."""
    state = translations.get_translation(current_user, declaration_id, language)
    return jsonify(schemas.translation_detail(state, translations.source_changes(state)))


@bp.put("/declarations/<int:declaration_id>/translations/<language>")
def put_translation(declaration_id: int, language: str):
    """Write the translation of a version: 201 for a new language, 200 after."""
    body = json_body("version", "text")
    state, created = translations.save(
        current_user,
        declaration_id,
        language,
        version_number(body, "version"),
        optional_string(body, "text"),
    )
    return jsonify(
        schemas.translation_detail(state, translations.source_changes(state))
    ), 201 if created else 200
