"""The OpenAPI 3 document of the API, served at /api/v1/openapi.json.

Kept by hand beside the routes; a test checks that every route is documented and every
documented path exists.
"""

from flask import jsonify

from corep_drafts.domain.tally import Choice, Outcome, Position, Rule
from corep_drafts.domain.workflow import (
    MANUAL_DECLARATION_TARGETS,
    AmendmentStatus,
    DeclarationStatus,
    VersionCause,
    VoteMode,
    VoteState,
)
from corep_drafts.views.api import bp

API_VERSION = "1.0.0"


def values(enum) -> list[str]:
    """An enum's values, in its order: the document says what the domain says."""
    return [str(member) for member in enum]


# The states the executive may move a declaration to by hand, in life-cycle order.
MANUAL_TARGETS = [s for s in values(DeclarationStatus) if s in MANUAL_DECLARATION_TARGETS]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR_RESPONSES = {
    "401": {"$ref": "#/components/responses/Unauthenticated"},
    "404": {"$ref": "#/components/responses/NotFound"},
    "429": {"$ref": "#/components/responses/RateLimited"},
}
WRITE_ERROR_RESPONSES = {
    "400": {"$ref": "#/components/responses/Malformed"},
    **ERROR_RESPONSES,
    "403": {"$ref": "#/components/responses/Forbidden"},
    "409": {"$ref": "#/components/responses/IllegalNow"},
    "422": {"$ref": "#/components/responses/Invalid"},
}

ID = {"name": "declaration_id", "in": "path", "required": True, "schema": {"type": "integer"}}
NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
AMENDMENT_ID = {
    "name": "amendment_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}
LANGUAGE = {
    "name": "language",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "ISO 639 code of the translation's language",
}
VOTE_ID = {"name": "vote_id", "in": "path", "required": True, "schema": {"type": "integer"}}
OPENING = {
    "required": False,
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VoteOpening"}}},
}
VOTE_CREATED = {
    "201": {
        "description": "The vote is open",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["vote_id"],
                    "properties": {"vote_id": {"type": "integer"}},
                }
            }
        },
    }
}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z_]+$"},
                    "message": {"type": "string"},
                },
            }
        },
    },
    "DeclarationStatus": {
        "type": "string",
        "enum": values(DeclarationStatus),
    },
    "DeclarationSummary": {
        "type": "object",
        "required": ["id", "title", "status"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "status": _ref("DeclarationStatus"),
        },
    },
    "Declaration": {
        "allOf": [
            _ref("DeclarationSummary"),
            {
                "type": "object",
                "required": ["rule", "quorum", "current_version"],
                "properties": {
                    "rule": {"type": "string", "enum": values(Rule)},
                    "quorum": {"type": ["integer", "null"]},
                    "language": {"type": "string"},
                    "amendment_deadline": {"type": ["string", "null"], "format": "date-time"},
                    "current_version": {
                        "type": "object",
                        "required": ["number", "text", "hash"],
                        "properties": {
                            "number": {"type": "integer"},
                            "text": {"type": "string"},
                            "hash": {"type": "string"},
                        },
                    },
                },
            },
        ],
    },
    "VersionSummary": {
        "type": "object",
        "required": ["number", "hash", "prev_hash", "cause", "amendment_id", "created_at"],
        "properties": {
            "number": {"type": "integer"},
            "hash": {"type": "string", "description": "sha256(prev_hash || text), hex"},
            "prev_hash": {"type": "string"},
            "cause": {"type": "string", "enum": values(VersionCause)},
            "amendment_id": {"type": ["integer", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "AmendmentStatus": {
        "type": "string",
        "enum": values(AmendmentStatus),
    },
    "AmendmentSummary": {
        "type": "object",
        "required": [
            "id",
            "number",
            "label",
            "status",
            "base_version",
            "section",
            "competing_with",
        ],
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "integer", "description": "per declaration, never reused"},
            "label": {"type": "string", "description": "the citable number, e.g. A7"},
            "status": _ref("AmendmentStatus"),
            "base_version": {
                "type": "integer",
                "description": "the version its text is kept against",
            },
            "section": {"type": ["string", "null"], "description": "proposing section"},
            "competing_with": {"type": "array", "items": {"type": "integer"}},
        },
    },
    "Amendment": {
        "allOf": [
            _ref("AmendmentSummary"),
            {
                "type": "object",
                "required": ["proposer", "rationale", "text", "diff"],
                "properties": {
                    "proposer": {
                        "type": "object",
                        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                    },
                    "cosponsors": {"type": "array", "items": {"type": "string"}},
                    "rationale": {"type": "string"},
                    "text": {"type": "string", "description": "the whole amended text"},
                    "diff": {
                        "type": "array",
                        "description": "word-level diff against the base version",
                        "items": {
                            "type": "array",
                            "prefixItems": [
                                {"type": "integer", "enum": [-1, 0, 1]},
                                {"type": "string"},
                            ],
                        },
                    },
                    "conflict": {"type": ["string", "null"]},
                    "superseded_by": {"type": ["integer", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": "string", "format": "date-time"},
                },
            },
        ]
    },
    "AmendmentInput": {
        "type": "object",
        "required": ["base_version", "text"],
        "properties": {
            "base_version": {"type": "integer", "description": "any version of this declaration"},
            "text": {"type": "string", "description": "the whole amended text"},
            "rationale": {"type": "string"},
        },
    },
    "VoteOpening": {
        "type": "object",
        "properties": {
            "mode": {
                "type": "string",
                "enum": values(VoteMode),
                "default": "secret",
                "description": (
                    "secret: positions per section only; roll_call: each delegate's ballot too"
                ),
            },
            "closes_at": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "the vote counts as closed from this moment on",
            },
        },
    },
    "SectionResult": {
        "type": "object",
        "required": ["name", "position", "yes", "no", "abstain"],
        "properties": {
            "name": {"type": "string"},
            "position": {"type": "string", "enum": values(Position)},
            "yes": {"type": "integer"},
            "no": {"type": "integer"},
            "abstain": {"type": "integer"},
            "weight": {"type": "integer"},
            "ballots": {
                "type": "array",
                "description": "roll-call votes only",
                "items": {
                    "type": "object",
                    "properties": {"delegate": {"type": "string"}, "choice": {"type": "string"}},
                },
            },
        },
    },
    "Vote": {
        "type": "object",
        "required": ["id", "state", "subject", "result"],
        "properties": {
            "id": {"type": "integer"},
            "declaration_id": {"type": "integer"},
            "state": {"type": "string", "enum": values(VoteState)},
            "mode": {"type": "string", "enum": values(VoteMode)},
            "subject": {
                "type": "object",
                "description": "the amendment voted on, or the final text",
            },
            "opened_at": {"type": "string", "format": "date-time"},
            "closes_at": {"type": ["string", "null"], "format": "date-time"},
            "closed_at": {"type": ["string", "null"], "format": "date-time"},
            "turnout": {
                "type": "object",
                "properties": {
                    "voted": {"type": "array", "items": {"type": "string"}},
                    "waiting": {"type": "array", "items": {"type": "string"}},
                },
            },
            "result": {
                "type": "object",
                "required": ["outcome", "rule", "quorum_met", "sections", "explanation"],
                "properties": {
                    "outcome": {"type": ["string", "null"], "enum": [*values(Outcome), None]},
                    "rule": {"type": "string"},
                    "quorum": {"type": ["integer", "null"]},
                    "quorum_met": {"type": ["boolean", "null"]},
                    "sections": {"type": "array", "items": _ref("SectionResult")},
                    "explanation": {"type": ["string", "null"]},
                    "hash": {"type": "string", "description": "sha256 of the stored result"},
                },
            },
        },
    },
    "TranslationSummary": {
        "type": "object",
        "required": ["language", "version", "status", "updated_at"],
        "properties": {
            "language": {
                "type": "string",
                "description": "ISO 639 code (BCP 47), e.g. tr, eo, pt-BR",
            },
            "version": {
                "type": "integer",
                "description": "the version of the source it translates",
            },
            "status": {
                "type": "string",
                "enum": ["current", "outdated"],
                "description": "current while it translates the current version",
            },
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "SourceChange": {
        "type": "object",
        "required": ["paragraph", "diff"],
        "properties": {
            "paragraph": {
                "type": "integer",
                "description": "its number in the current version (for a "
                "removed paragraph: the one now in its place)",
            },
            "old_paragraph": {
                "type": ["integer", "null"],
                "description": "its number in the translated version",
            },
            "kind": {"type": "string", "enum": ["changed", "added", "removed"]},
            "diff": {
                "type": "array",
                "description": "word-level diff of the source paragraph",
                "items": {
                    "type": "array",
                    "prefixItems": [{"type": "integer", "enum": [-1, 0, 1]}, {"type": "string"}],
                },
            },
        },
    },
    "Translation": {
        "allOf": [
            _ref("TranslationSummary"),
            {
                "type": "object",
                "required": ["text", "source_changes"],
                "properties": {
                    "text": {
                        "type": "string",
                        "description": "Markdown, the same numbered paragraphs as its version",
                    },
                    "source_changes": {
                        "type": "array",
                        "items": _ref("SourceChange"),
                        "description": "empty when current; otherwise every source paragraph "
                        "changed since `version`",
                    },
                },
            },
        ]
    },
    "TranslationInput": {
        "type": "object",
        "required": ["version", "text"],
        "properties": {
            "version": {"type": "integer", "description": "the version of the source translated"},
            "text": {
                "type": "string",
                "description": "its paragraphs aligned one for one with the version's",
            },
        },
    },
    "Version": {
        "allOf": [
            _ref("VersionSummary"),
            {
                "type": "object",
                "required": ["text"],
                "properties": {"text": {"type": "string"}},
            },
        ]
    },
}

PATHS = {
    "/declarations": {
        "get": {
            "summary": "The declarations you may read (readers: published only)",
            "operationId": "listDeclarations",
            "responses": {
                "200": _json({"type": "array", "items": _ref("DeclarationSummary")}, "The list"),
                "401": ERROR_RESPONSES["401"],
            },
        }
    },
    "/declarations/{declaration_id}": {
        "get": {
            "summary": "One declaration with its current text",
            "operationId": "getDeclaration",
            "parameters": [ID],
            "responses": {"200": _json(_ref("Declaration"), "The declaration"), **ERROR_RESPONSES},
        }
    },
    "/declarations/{declaration_id}/versions": {
        "get": {
            "summary": "The versions of a declaration, oldest first",
            "operationId": "listVersions",
            "parameters": [ID],
            "responses": {
                "200": _json({"type": "array", "items": _ref("VersionSummary")}, "The versions"),
                **ERROR_RESPONSES,
            },
        }
    },
    "/declarations/{declaration_id}/versions/{number}": {
        "get": {
            "summary": "One version with its text",
            "operationId": "getVersion",
            "parameters": [ID, NUMBER],
            "responses": {"200": _json(_ref("Version"), "The version"), **ERROR_RESPONSES},
        }
    },
    "/declarations/{declaration_id}/transitions": {
        "post": {
            "summary": (
                "Move a declaration along its life cycle (executive); adopted comes only from a "
                "final vote"
            ),
            "operationId": "transitionDeclaration",
            "parameters": [ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "required": ["to"],
                    "properties": {
                        "to": {
                            "type": "string",
                            "enum": [
                                s
                                for s in values(DeclarationStatus)
                                if s in MANUAL_DECLARATION_TARGETS
                            ],
                        }
                    },
                }
            ),
            "responses": {
                "200": _json(_ref("Declaration"), "The declaration"),
                **WRITE_ERROR_RESPONSES,
            },
        }
    },
    "/declarations/{declaration_id}/amendments": {
        "get": {
            "summary": (
                "The amendments of a declaration (delegates, executive; members once adopted)"
            ),
            "operationId": "listAmendments",
            "parameters": [ID],
            "responses": {
                "200": _json({"type": "array", "items": _ref("AmendmentSummary")}, "The list"),
                **ERROR_RESPONSES,
            },
        },
        "post": {
            "summary": "Propose an amendment (delegate); one written on an older version is merged "
            "onto the current one at once, or flagged conflicted",
            "operationId": "createAmendment",
            "parameters": [ID],
            "requestBody": _body(_ref("AmendmentInput")),
            "responses": {
                "201": _json(_ref("Amendment"), "The amendment"),
                **WRITE_ERROR_RESPONSES,
            },
        },
    },
    "/amendments/{amendment_id}": {
        "get": {
            "summary": "One amendment with its diff",
            "operationId": "getAmendment",
            "parameters": [AMENDMENT_ID],
            "responses": {"200": _json(_ref("Amendment"), "The amendment"), **ERROR_RESPONSES},
        },
        "put": {
            "summary": "Revise one's own amendment while submitted or conflicted",
            "operationId": "reviseAmendment",
            "parameters": [AMENDMENT_ID],
            "requestBody": _body(_ref("AmendmentInput")),
            "responses": {
                "200": _json(_ref("Amendment"), "The amendment"),
                **WRITE_ERROR_RESPONSES,
            },
        },
    },
    "/amendments/{amendment_id}/vote": {
        "post": {
            "summary": "Open the vote on an amendment (executive; declaration amending or voting)",
            "operationId": "openAmendmentVote",
            "parameters": [AMENDMENT_ID],
            "requestBody": OPENING,
            "responses": {**VOTE_CREATED, **WRITE_ERROR_RESPONSES},
        }
    },
    "/declarations/{declaration_id}/final-vote": {
        "post": {
            "summary": (
                "Open the final vote on the whole text (executive; declaration voting, no vote "
                "open)"
            ),
            "operationId": "openFinalVote",
            "parameters": [ID],
            "requestBody": OPENING,
            "responses": {**VOTE_CREATED, **WRITE_ERROR_RESPONSES},
        }
    },
    "/votes/{vote_id}/ballots": {
        "post": {
            "summary": (
                "Cast or change your ballot (delegate, for your own section, while the vote is "
                "open)"
            ),
            "operationId": "castBallot",
            "parameters": [VOTE_ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "required": ["choice"],
                    "properties": {"choice": {"type": "string", "enum": values(Choice)}},
                }
            ),
            "responses": {
                "201": _json({"type": "object"}, "Counted (first ballot)"),
                "200": _json({"type": "object"}, "Changed"),
                **WRITE_ERROR_RESPONSES,
            },
        }
    },
    "/votes/{vote_id}/close": {
        "post": {
            "summary": (
                "Close a vote (executive): the result, and on adoption the new version, in one step"
            ),
            "operationId": "closeVote",
            "parameters": [VOTE_ID],
            "responses": {
                "200": _json(_ref("Vote"), "The closed vote with its result"),
                **WRITE_ERROR_RESPONSES,
            },
        }
    },
    "/votes/{vote_id}": {
        "get": {
            "summary": "A vote with its turnout, and its result once closed",
            "operationId": "getVote",
            "parameters": [VOTE_ID],
            "responses": {"200": _json(_ref("Vote"), "The vote"), **ERROR_RESPONSES},
        }
    },
    "/declarations/{declaration_id}/translations": {
        "get": {
            "summary": (
                "The translations of a declaration, each with the version it follows and its state"
            ),
            "operationId": "listTranslations",
            "parameters": [ID],
            "responses": {
                "200": _json({"type": "array", "items": _ref("TranslationSummary")}, "The list"),
                **ERROR_RESPONSES,
            },
        }
    },
    "/declarations/{declaration_id}/translations/{language}": {
        "get": {
            "summary": (
                "A translation with its text and, when outdated, what changed in the source since"
            ),
            "operationId": "getTranslation",
            "parameters": [ID, LANGUAGE],
            "responses": {"200": _json(_ref("Translation"), "The translation"), **ERROR_RESPONSES},
        },
        "put": {
            "summary": (
                "Write the translation of a version (delegate or executive): 201 the first "
                "time, 200 after; 422 when its paragraphs do not align with the version's or the "
                "language is the authoritative one; 404 for an unknown declaration or version"
            ),
            "operationId": "putTranslation",
            "parameters": [ID, LANGUAGE],
            "requestBody": _body(_ref("TranslationInput")),
            "responses": {
                "201": _json(_ref("Translation"), "The new translation"),
                "200": _json(_ref("Translation"), "The translation, updated"),
                **WRITE_ERROR_RESPONSES,
            },
        },
    },
    "/amendments/{amendment_id}/withdraw": {
        "post": {
            "summary": "Withdraw one's own amendment before its vote opens",
            "operationId": "withdrawAmendment",
            "parameters": [AMENDMENT_ID],
            "responses": {
                "200": _json(_ref("Amendment"), "The amendment"),
                **WRITE_ERROR_RESPONSES,
            },
        }
    },
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
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "A token from `flask users token` or the profile page.",
            }
        },
        "responses": {
            "Unauthenticated": _json(_ref("Error"), "No token, or an unknown or revoked one"),
            "NotFound": _json(_ref("Error"), "Not found, or not visible to you"),
            "RateLimited": {
                **_json(
                    _ref("Error"), "Too many bad tokens from this address lately: rate_limited"
                ),
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before trying again",
                        "schema": {"type": "integer", "minimum": 1},
                    }
                },
            },
            "Malformed": _json(_ref("Error"), "The body is not the JSON object described"),
            "Forbidden": _json(_ref("Error"), "Not allowed for your roles"),
            "IllegalNow": _json(
                _ref("Error"), "Illegal in the current state (e.g. the amendment period is closed)"
            ),
            "Invalid": _json(
                _ref("Error"), "Well-formed but invalid (the field is named in the message)"
            ),
        },
    },
}


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API."""
    return jsonify(DOCUMENT)
