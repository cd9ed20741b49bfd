"""Translations over the API (CONTRACT.md): list, read with the source's changes, write."""

from flask_login import current_user

from corep_drafts.services import translations
from corep_drafts.views.api import bodies, schemas
from corep_drafts.views.api.operations import operation


@operation(
    "GET",
    "/declarations/<int:declaration_id>/translations",
    summary="The translations of a declaration, each with the version it follows and its state",
    answers={200: list[schemas.TranslationSummary]},
)
def list_translations(declaration_id: int):
    return [
        schemas.TranslationSummary.of(t)
        for t in translations.translations_of(current_user, declaration_id)
    ]


@operation(
    "GET",
    "/declarations/<int:declaration_id>/translations/<language>",
    summary="A translation with its text and, when outdated, what changed in the source since",
    answers={200: schemas.Translation},
)
def get_translation(declaration_id: int, language: str):
    state = translations.get_translation(current_user, declaration_id, language)
    return schemas.Translation.of(state, translations.source_changes(state))


@operation(
    "PUT",
    "/declarations/<int:declaration_id>/translations/<language>",
    summary="Write the translation of a version (delegate or executive): 201 the first time, 200 "
    "after; 422 when its paragraphs do not align with the version's or the language is the "
    "authoritative one; 404 for an unknown declaration or version",
    body=bodies.TranslationInput,
    answers={201: schemas.Translation, 200: schemas.Translation},
)
def put_translation(declaration_id: int, language: str, body: bodies.TranslationInput):
    state, created = translations.save(
        current_user, declaration_id, language, body.version, body.text
    )
    answer = schemas.Translation.of(state, translations.source_changes(state))
    return answer, 201 if created else 200
