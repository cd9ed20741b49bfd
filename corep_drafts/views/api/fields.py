"""The field types the API's bodies and answers are built from, each constraint written once.

A request field refuses what the database or the services could not hold: numbers outside the
INTEGER columns (domain/limits.py), NUL (PostgreSQL text cannot store it), lone surrogates (no
UTF-8 for them), dates whose offset pushes them out of the calendar. Choices come from the
domain's enums, so the document, the check and the domain say the same thing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, PlainSerializer

from corep_drafts.domain.limits import MAX_ID

# Strict: "1", 1.0 and true are not the integer 1 (a client that sends them has a bug to see).
Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
VersionNumber = Annotated[
    int,
    Field(strict=True, ge=1, le=MAX_ID, description="a version's number in its declaration"),
]


def _storable(value: str) -> str:
    """Refuse what no column can store; the message names the rule, pydantic names the field."""
    if "\x00" in value:
        raise ValueError("nul_character")
    if any("\ud800" <= character <= "\udfff" for character in value):
        raise ValueError("lone_surrogate")
    return value


Text = Annotated[str, Field(strict=True), AfterValidator(_storable)]


def _on_the_calendar(moment: datetime) -> datetime:
    """An aware moment that is still a moment once in UTC (9999-12-31T23:00-05:00 is not)."""
    if moment.tzinfo is None:
        raise ValueError("naive_datetime")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("out_of_range_datetime") from None


Moment = Annotated[
    datetime,
    Field(description="ISO 8601 with its offset, e.g. 2030-05-01T18:00:00+02:00"),
    AfterValidator(_on_the_calendar),
]


def isoformat(moment: datetime | None) -> str | None:
    """Answers give times in UTC with a Z, as they always have."""
    return moment.isoformat().replace("+00:00", "Z") if moment else None


# In answers: a stored time (SQLite hands it back naive, meaning UTC) written as ISO 8601.
Timestamp = Annotated[
    datetime,
    PlainSerializer(
        lambda moment: isoformat(moment if moment.tzinfo else moment.replace(tzinfo=UTC)),
        return_type=str,
        when_used="json",
    ),
    Field(json_schema_extra={"format": "date-time"}),
]

# A word-level diff entry: [op, text] with op -1 (removed), 0 (kept) or 1 (added).
DiffOperation = Literal[-1, 0, 1]
DiffEntry = tuple[DiffOperation, str]
