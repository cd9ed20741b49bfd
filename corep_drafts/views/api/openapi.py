"""The OpenAPI 3.1 document at /api/v1/openapi.json, generated (apispec) from what the routes
declare with `@operation` and from permissions.py — never written by hand.
"""

from __future__ import annotations

import re
import typing

from apispec import APISpec
from flask import current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.routing.converters import NumberConverter

from corep_drafts import permissions
from corep_drafts.domain.limits import MAX_ID
from corep_drafts.views.api import bp, schemas
from corep_drafts.views.api.operations import OPERATIONS, Operation

API_VERSION = "1.0.0"
SCHEMA_REF = "#/components/schemas/{model}"

# The error answers, each once under components/responses.
ERROR_RESPONSES = {
    400: ("Malformed", "The body is not the JSON object described (not JSON, wrong type, missing)"),
    401: ("Unauthenticated", "No token, or an unknown or revoked one"),
    403: ("Forbidden", "Not allowed for your roles"),
    404: ("NotFound", "Not found, or not visible to you"),
    409: ("IllegalNow", "Illegal in the current state (e.g. the amendment period is closed)"),
    413: ("TooLarge", "The body is larger than the server accepts"),
    422: ("Invalid", "Well-formed but invalid (the field is named in the message)"),
    429: ("RateLimited", "Too many requests (code rate_limited); try again after Retry-After"),
}
SUCCESS_DESCRIPTIONS = {200: "Done", 201: "Created"}

_PATH_PARAMETER = re.compile(r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def openapi_path(rule: str) -> str:
    return _PATH_PARAMETER.sub(lambda m: "{" + m.group("name") + "}", rule)


def path_parameters(rule: str) -> list[dict]:
    converters = current_app.url_map.converters
    parameters = []
    for match in _PATH_PARAMETER.finditer(rule):
        converter = converters.get(match.group("converter") or "default")
        numeric = isinstance(converter, type) and issubclass(converter, NumberConverter)
        schema = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ID} if numeric else {"type": "string"}
        )
        parameters.append(
            {"name": match.group("name"), "in": "path", "required": True, "schema": schema}
        )
    return parameters


def who_may_call(operation: Operation) -> list[str] | str:
    action = permissions.action_for_endpoint(f"{bp.name}.{operation.endpoint}")
    if action is None:
        return []  # refused to everybody (fail closed)
    roles = permissions.ACTION_ROLES[action]
    return "anyone" if roles is None else sorted(roles)


def _models(shape) -> list[type[BaseModel]]:
    """The models an answer's type is made of: a model, or a list of one."""
    if typing.get_origin(shape) is list:
        return _models(typing.get_args(shape)[0])
    return [shape]


def _schema(shape, refs: dict) -> dict:
    if typing.get_origin(shape) is list:
        return {"type": "array", "items": _schema(typing.get_args(shape)[0], refs)}
    return refs[(shape, "serialization")]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def build_document() -> dict:
    spec = APISpec(
        title="corep-drafts API",
        version=API_VERSION,
        openapi_version="3.1.0",
        info={
            "description": "Draft joint declarations, amend them and vote per section. Errors "
            'are {"error": {"code": "snake_case_code", "message": "..."}}. Who may call an '
            "operation is in its x-roles (then, object by object, its summary)."
        },
        servers=[{"url": bp.url_prefix}],
        security=[{"bearer": []}],
    )
    spec.components.security_scheme(
        "bearer",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `flask users token` or the profile page.",
        },
    )

    wanted = [(schemas.Error, "serialization")]
    for op in OPERATIONS:
        if op.body is not None:
            wanted.append((op.body, "validation"))
        for shape in op.answers.values():
            wanted.extend((model, "serialization") for model in _models(shape))
    wanted = list(dict.fromkeys(wanted))
    refs, definitions = models_json_schema(wanted, ref_template=SCHEMA_REF)
    for name, component in definitions.get("$defs", {}).items():
        spec.components.schema(name, component)

    error = refs[(schemas.Error, "serialization")]
    for status, (name, description) in ERROR_RESPONSES.items():
        response = _json(error, description)
        if status == 429:
            response["headers"] = {
                "Retry-After": {
                    "description": "seconds to wait",
                    "schema": {"type": "integer", "minimum": 0},
                }
            }
        spec.components.response(name, response)

    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        document = {
            "summary": op.summary,
            "operationId": op.operation_id,
            "x-roles": who_may_call(op),
            "responses": {
                **{
                    str(status): _json(_schema(shape, refs), SUCCESS_DESCRIPTIONS[status])
                    for status, shape in op.answers.items()
                },
                **{str(status): ERROR_RESPONSES[status][0] for status in op.errors},
            },
        }
        parameters = path_parameters(op.rule)
        if parameters:
            document["parameters"] = parameters
        if op.body is not None:
            document["requestBody"] = {
                "required": op.body_required,
                "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
            }
        paths.setdefault(openapi_path(op.rule), {})[op.method] = document
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API."""
    document = current_app.extensions.get("corep_openapi")
    if document is None:
        document = current_app.extensions["corep_openapi"] = build_document()
    return jsonify(document)
