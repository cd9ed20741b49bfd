"""The domain's checks of typed values (domain/text_input.py, domain/input_values.py), as the
services' refusals: an InvalidInput (422 on the API, beside its field on a page) with the code
the domain gave (`invalid_text`, `invalid_value`). Every service that stores text or a number a
person typed passes it through here, so the web pages, the API and the command line refuse the
same values."""

from __future__ import annotations

from datetime import datetime

from corep_drafts import wording
from corep_drafts.domain import input_values, text_input
from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.limits import MAX_ID
from corep_drafts.services.errors import InvalidInput


def _refusal(error: DomainError, field: str | None) -> InvalidInput:
    return InvalidInput(wording.domain_error(error), code=error.code, field=field)


def text(value: str | None, field: str | None, *, is_name: bool = False) -> str | None:
    """``value`` unchanged (None stays None) if it may be stored."""
    if value is None:
        return None
    try:
        return text_input.check_text(value, is_name=is_name)
    except text_input.InvalidText as error:
        raise _refusal(error, field) from None


def number(value, field: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int:
    try:
        return input_values.whole_number(value, minimum=minimum, maximum=maximum)
    except input_values.InvalidValue as error:
        raise _refusal(error, field) from None


def moment_from_text(raw: str, field: str | None, utc_offset_minutes=None) -> datetime:
    """What a form sent: ISO 8601 with its offset or, given ``utc_offset_minutes`` (the
    browser's, as JavaScript counts them), a datetime-local value; an aware UTC moment."""
    try:
        if utc_offset_minutes is None:
            return input_values.moment_from_iso(raw)
        return input_values.moment_from_local(raw, utc_offset_minutes)
    except input_values.InvalidValue as error:
        raise _refusal(error, field) from None


def moment(value: datetime | None, field: str | None) -> datetime | None:
    """An aware moment already parsed (the API's, the forms'), within the years every zone can
    show."""
    if value is None:
        return None
    try:
        return input_values.moment_from_iso(value.isoformat())
    except input_values.InvalidValue as error:
        raise _refusal(error, field) from None
