"""Declarations and versions over the API."""

from flask_login import current_user

from corep_drafts.services import declarations
from corep_drafts.views.api import bodies, schemas
from corep_drafts.views.api.operations import operation


@operation(
    "GET",
    "/declarations",
    summary="The declarations you may read (readers: published only)",
    answers={200: list[schemas.DeclarationSummary]},
)
def list_declarations():
    return [
        schemas.DeclarationSummary.of(d) for d in declarations.visible_declarations(current_user)
    ]


@operation(
    "GET",
    "/declarations/<int:declaration_id>",
    summary="One declaration with its current text",
    answers={200: schemas.Declaration},
)
def get_declaration(declaration_id: int):
    return schemas.Declaration.of(
        declarations.get_visible_declaration(current_user, declaration_id)
    )


@operation(
    "GET",
    "/declarations/<int:declaration_id>/versions",
    summary="The hash-chained versions of a declaration, oldest first",
    answers={200: list[schemas.VersionSummary]},
)
def list_versions(declaration_id: int):
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    return [schemas.VersionSummary.of(v) for v in declaration.versions]


@operation(
    "GET",
    "/declarations/<int:declaration_id>/versions/<int:number>",
    summary="One version with its text",
    answers={200: schemas.Version},
)
def get_version(declaration_id: int, number: int):
    return schemas.Version.of(
        declarations.get_visible_version(current_user, declaration_id, number)
    )


@operation(
    "POST",
    "/declarations/<int:declaration_id>/transitions",
    summary="Move a declaration along its life cycle (executive); adopted comes only from a "
    "final vote",
    body=bodies.TransitionInput,
    answers={200: schemas.Declaration},
)
def transition_declaration(declaration_id: int, body: bodies.TransitionInput):
    declaration = declarations.transition(current_user, declaration_id, body.to)
    return schemas.Declaration.of(declaration)
