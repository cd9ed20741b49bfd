"""`@operation`: each API route declared once — its body model, its answer model per status, its
summary — and that one declaration parses the request, serialises the answer and feeds the
OpenAPI document (openapi.py). Who may call a route stays in permissions.py, which the document
reads.

A body is parsed by pydantic from the raw bytes (never `get_json`): invalid UTF-8, a lone
surrogate, `Infinity`, a body nested 100,000 deep or the wrong type answer 400; a well-formed
value that breaks a rule (out of range, not a choice, NUL in a text) answers 422. Either way with
the error object, naming the field, in the reader's language.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from pydantic import BaseModel, TypeAdapter, ValidationError

from corep_drafts.services.errors import InvalidInput, ServiceError
from corep_drafts.views.api import bp


class MalformedRequest(ServiceError):
    status = 400
    code = "malformed_request"


# Statuses every signed-in call may meet, and those a write adds (CONTRACT.md's error codes).
READ_ERRORS = (401, 404, 429)
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 422, 429)


@dataclass(frozen=True)
class Operation:
    endpoint: str  # the view's name in the blueprint: permissions.py knows it as "api.<name>"
    method: str
    rule: str  # the Flask rule below the blueprint's /api/v1
    summary: str
    body: type[BaseModel] | None
    body_required: bool
    answers: Mapping[int, Any]  # status -> the type of the answer's body
    errors: tuple[int, ...]

    @property
    def operation_id(self) -> str:
        first, *rest = self.endpoint.split("_")
        return first + "".join(word.capitalize() for word in rest)


OPERATIONS: list[Operation] = []


def operation(
    method: str,
    rule: str,
    *,
    summary: str,
    answers: Mapping[int, Any],
    body: type[BaseModel] | None = None,
    body_required: bool = True,
    errors: tuple[int, ...] | None = None,
) -> Callable:
    """Register the decorated view as one API operation.

    The view receives the path's values and, when `body` is given, the parsed body as `body`; it
    returns an answer, or (answer, status) when `answers` has several statuses.
    """
    default_status = next(iter(answers))
    adapters = {status: TypeAdapter(shape) for status, shape in answers.items()}

    def register(view: Callable) -> Callable:
        @functools.wraps(view)
        def run(**path: Any):
            if body is not None:
                path["body"] = parse_body(body, required=body_required)
            returned = view(**path)
            answer, status = returned if isinstance(returned, tuple) else (returned, default_status)
            return current_app.response_class(
                adapters[status].dump_json(answer, exclude_unset=True),
                status=status,
                mimetype="application/json",
            )

        OPERATIONS.append(
            Operation(
                endpoint=view.__name__,
                method=method.lower(),
                rule=rule,
                summary=summary,
                body=body,
                body_required=body_required,
                answers=dict(answers),
                errors=errors or (WRITE_ERRORS if method.upper() != "GET" else READ_ERRORS),
            )
        )
        bp.add_url_rule(rule, view.__name__, run, methods=[method.upper()])
        return run

    return register


# --- the body ---------------------------------------------------------------------------------


def parse_body(model: type[BaseModel], *, required: bool) -> BaseModel:
    raw = request.get_data(cache=True)  # past MAX_CONTENT_LENGTH: 413 before anything is parsed
    if not required and not raw.strip():
        return model()
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        raise refusal(error) from None


# pydantic's error types for a value of the right JSON type that breaks a rule: 422. Anything
# else (not JSON, not an object, a field missing or of the wrong type) is malformed: 400.
_INVALID_VALUE_TYPES = frozenset(
    {
        "enum",
        "literal_error",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "value_error",
        "string_too_long",
        "string_too_short",
        "string_pattern_mismatch",
    }
)


def field_name(error: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in error["loc"])


def is_malformed(problem: Mapping[str, Any]) -> bool:
    if problem["type"] in ("enum", "literal_error"):
        return not isinstance(problem.get("input"), str)  # 42 for a choice is the wrong type
    return problem["type"] not in _INVALID_VALUE_TYPES


def refusal(error: ValidationError) -> ServiceError:
    problems = error.errors(include_url=False, include_context=True)
    malformed = [p for p in problems if is_malformed(p)]
    if malformed:
        return MalformedRequest(malformed_message(malformed), field=field_name(malformed[0]))
    first = problems[0]
    if str(first.get("ctx", {}).get("error", "")) in _FORBIDDEN_CHARACTERS:
        # the same code the services give a refused character (domain/text_input.py)
        return InvalidInput(invalid_message(first), field=field_name(first), code="invalid_text")
    return InvalidInput(invalid_message(first), field=field_name(first))


_FORBIDDEN_CHARACTERS = frozenset({"nul_character", "lone_surrogate"})


def malformed_message(problems: list[Mapping[str, Any]]) -> str:
    missing = [field_name(p) for p in problems if p["type"] == "missing"]
    if missing:
        return ngettext(
            "Missing field: %(fields)s.",
            "Missing fields: %(fields)s.",
            len(missing),
            fields=", ".join(missing),
        )
    problem = problems[0]
    kind, field = problem["type"], field_name(problem)
    if kind == "json_invalid":
        return _("The body is not well-formed JSON in UTF-8.")
    if kind in ("enum", "literal_error"):
        return _("%(field)s is not of the expected type.", field=field)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("The body must be a JSON object.")
    if kind == "string_type":
        return _("%(field)s must be a string.", field=field)
    if kind == "int_type":
        return _("%(field)s must be a whole number.", field=field)
    if kind.startswith("datetime"):
        return _("%(field)s must be an ISO 8601 date and time.", field=field)
    return _("%(field)s is not of the expected type.", field=field)


def invalid_message(problem: Mapping[str, Any]) -> str:
    kind, field = problem["type"], field_name(problem)
    if kind in ("enum", "literal_error"):
        return _(
            "%(field)s must be one of: %(choices)s.",
            field=field,
            choices=problem.get("ctx", {}).get("expected", ""),
        )
    if kind.startswith(("greater_than", "less_than")):
        return _("%(field)s is out of range.", field=field)
    if kind == "value_error":
        reason = str(problem.get("ctx", {}).get("error", ""))
        messages = {
            "nul_character": _("%(field)s must not contain the NUL character.", field=field),
            "naive_datetime": _("%(field)s needs a time zone.", field=field),
            "out_of_range_datetime": _("%(field)s is out of range.", field=field),
        }
        if reason in messages:
            return messages[reason]
    return _("%(field)s is not valid.", field=field)
