"""The OpenAPI 3 document of the API, served at /api/v1/openapi.json.

Kept by hand beside the routes; a test checks that every route is documented and every
documented path exists.
"""
from flask import jsonify

from corep_drafts.views.api import bp

API_VERSION = "1.0.0"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR_RESPONSES = {
    "401": {"$ref": "#/components/responses/Unauthenticated"},
    "404": {"$ref": "#/components/responses/NotFound"},
}

ID = {"name": "declaration_id", "in": "path", "required": True, "schema": {"type": "integer"}}
NUMBER = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string", "pattern": "^[a-z_]+$"},
                           "message": {"type": "string"}},
        }},
    },
    "DeclarationStatus": {
        "type": "string",
        "enum": ["draft", "amending", "voting", "adopted", "published", "withdrawn"],
    },
    "DeclarationSummary": {
        "type": "object",
        "required": ["id", "title", "status"],
        "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                       "status": _ref("DeclarationStatus")},
    },
    "Declaration": {
        "allOf": [_ref("DeclarationSummary"), {
            "type": "object",
            "required": ["rule", "quorum", "current_version"],
            "properties": {
                "rule": {"type": "string", "enum": ["majority", "two-thirds", "unanimity"]},
                "quorum": {"type": ["integer", "null"]},
                "language": {"type": "string"},
                "current_version": {
                    "type": "object",
                    "required": ["number", "text", "hash"],
                    "properties": {"number": {"type": "integer"}, "text": {"type": "string"},
                                   "hash": {"type": "string"}},
                },
            },
        }],
    },
    "VersionSummary": {
        "type": "object",
        "required": ["number", "hash", "prev_hash", "cause", "amendment_id", "created_at"],
        "properties": {
            "number": {"type": "integer"},
            "hash": {"type": "string", "description": "sha256(prev_hash || text), hex"},
            "prev_hash": {"type": "string"},
            "cause": {"type": "string", "enum": ["initial", "editorial", "amendment", "final"]},
            "amendment_id": {"type": ["integer", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "Version": {"allOf": [_ref("VersionSummary"), {
        "type": "object", "required": ["text"], "properties": {"text": {"type": "string"}},
    }]},
}

PATHS = {
    "/declarations": {"get": {
        "summary": "The declarations you may read (readers: published only)",
        "operationId": "listDeclarations",
        "responses": {"200": _json({"type": "array", "items": _ref("DeclarationSummary")}, "The list"),
                      "401": ERROR_RESPONSES["401"]},
    }},
    "/declarations/{declaration_id}": {"get": {
        "summary": "One declaration with its current text",
        "operationId": "getDeclaration",
        "parameters": [ID],
        "responses": {"200": _json(_ref("Declaration"), "The declaration"), **ERROR_RESPONSES},
    }},
    "/declarations/{declaration_id}/versions": {"get": {
        "summary": "The versions of a declaration, oldest first",
        "operationId": "listVersions",
        "parameters": [ID],
        "responses": {"200": _json({"type": "array", "items": _ref("VersionSummary")}, "The versions"),
                      **ERROR_RESPONSES},
    }},
    "/declarations/{declaration_id}/versions/{number}": {"get": {
        "summary": "One version with its text",
        "operationId": "getVersion",
        "parameters": [ID, NUMBER],
        "responses": {"200": _json(_ref("Version"), "The version"), **ERROR_RESPONSES},
    }},
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "corep-drafts API",
        "version": API_VERSION,
        "description": "Draft joint declarations, amend them and vote per section. Errors are "
                       '{"error": {"code": "snake_case_code", "message": "..."}}.',
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "A token from `flask users token` or the profile page."}},
        "responses": {
            "Unauthenticated": _json(_ref("Error"), "No token, or an unknown or revoked one"),
            "NotFound": _json(_ref("Error"), "Not found, or not visible to you"),
        },
    },
}


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API."""
    return jsonify(DOCUMENT)
