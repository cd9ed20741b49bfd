"""Numbers and moments from what people type, refused with a code rather than let through.

The one parser behind every number and date that arrives as text (URL queries, form fields, the
command line): a value that no INTEGER column or `datetime` can hold is refused here, as
`InvalidValue`, instead of failing later as an OverflowError. The callers turn the refusal into a
400, a form error or a one-line CLI message.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.limits import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_ID,
    MAX_UTC_OFFSET_MINUTES,
    MIN_UTC_OFFSET_MINUTES,
)

WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class InvalidValue(DomainError):
    """A number or a date that cannot be what it claims. ``params['kind']`` is ``number`` or
    ``moment``; a number carries its bounds as ``minimum`` and ``maximum``."""

    code = "invalid_value"


def whole_number(raw: object, *, minimum: int = 1, maximum: int = MAX_ID) -> int:
    """An integer from text (ASCII digits, an optional sign) or an int, within the bounds.

    Refused: floats and their spellings (``1e400``, ``Infinity``, ``NaN``, ``1.5``), booleans,
    other scripts' digits, and anything out of bounds, however many digits it has.
    """
    params = {"kind": "number", "minimum": minimum, "maximum": maximum}
    if isinstance(raw, bool):
        raise InvalidValue(f"{raw!r} is not a whole number.", params=params)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and WHOLE_NUMBER.fullmatch(raw.strip()):
        digits = raw.strip().lstrip("+-").lstrip("0")
        if len(digits) > len(str(max(abs(minimum), abs(maximum)))):  # no int() of 10,000 digits
            raise InvalidValue(f"{raw[:40]!r} is out of bounds.", params=params)
        value = int(raw.strip())
    else:
        raise InvalidValue(f"{str(raw)[:40]!r} is not a whole number.", params=params)
    if not minimum <= value <= maximum:
        raise InvalidValue(f"{value} is not between {minimum} and {maximum}.", params=params)
    return value


def _within_years(moment: datetime) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise InvalidValue(
            f"{moment.isoformat()} is outside {EARLIEST_YEAR}-{LATEST_YEAR}.",
            params={"kind": "moment", "earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )
    return moment


def _not_a_moment(raw: object) -> InvalidValue:
    return InvalidValue(
        f"{str(raw)[:40]!r} is not a date and time with its offset.",
        params={"kind": "moment", "earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
    )


def moment_from_iso(raw: str) -> datetime:
    """An ISO 8601 date and time with its UTC offset (``Z`` too), as an aware UTC datetime."""
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise _not_a_moment(raw) from None
    if moment.tzinfo is None:
        raise _not_a_moment(raw)
    _within_years(moment)  # before converting: year 9999 at -05:00 is past what UTC can hold
    try:
        return _within_years(moment.astimezone(UTC))
    except OverflowError:
        raise _not_a_moment(raw) from None


def moment_from_local(raw: str, utc_offset_minutes: object = None) -> datetime:
    """A datetime-local value (``2026-12-01T12:30``) read with the browser's offset in minutes
    as JavaScript gives it (UTC+3 is -180; none means UTC), as an aware UTC datetime. A value
    that already names its offset keeps it."""
    try:
        naive = datetime.fromisoformat(raw.strip())
    except (AttributeError, ValueError):
        raise _not_a_moment(raw) from None
    _within_years(naive)
    if naive.tzinfo is not None:
        return _within_years(naive.astimezone(UTC))
    offset = (
        0
        if utc_offset_minutes in (None, "")
        else whole_number(
            utc_offset_minutes, minimum=MIN_UTC_OFFSET_MINUTES, maximum=MAX_UTC_OFFSET_MINUTES
        )
    )
    return _within_years((naive + timedelta(minutes=offset)).replace(tzinfo=UTC))
