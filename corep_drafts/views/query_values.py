"""Numbers from a request's query string or form: the one place pages read them.

A number that is absent or empty takes the page's default (None); one that is present but not a
whole number within its bounds (``?declaration=9223372036854775808``, ``-1``, ``1e400``, ``x``)
answers 400 with a message saying which parameter and why. Never ignored silently, never an
OverflowError: the parsing itself is `domain.input_values.whole_number`.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import request
from flask_babel import gettext as _

from corep_drafts import wording
from corep_drafts.domain import input_values
from corep_drafts.domain.limits import MAX_ID
from corep_drafts.services.errors import ServiceError


class InvalidParameter(ServiceError):
    status = 400
    code = "invalid_parameter"


def number_arg(
    name: str,
    *,
    minimum: int = 1,
    maximum: int = MAX_ID,
    source: Mapping[str, str] | None = None,
) -> int | None:
    """The whole number in ``name`` of the query string (or of ``source``, e.g. request.form),
    None when absent or empty; InvalidParameter (400) when it is anything else."""
    raw = (request.args if source is None else source).get(name)
    if raw is None or not raw.strip():
        return None
    try:
        return input_values.whole_number(raw, minimum=minimum, maximum=maximum)
    except input_values.InvalidValue as error:
        raise InvalidParameter(
            _(
                "The parameter %(name)s is not valid: %(reason)s",
                name=name,
                reason=wording.domain_error(error),
            ),
            field=name,
        ) from None
