"""The URL converter for ids and version numbers, registered on the app as `int`.

It replaces Werkzeug's built-in `int` converter for the whole app (not a new name that routes
would have to ask for), so that no route, web or API, present or future, can forget it: a number
in a path that no INTEGER column can hold names nothing and answers 404 before any view runs,
instead of reaching the database as an OverflowError (500).
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, ValidationError

from corep_drafts.domain.limits import MAX_ID

MAX_ID_DIGITS = len(str(MAX_ID))


class IdConverter(IntegerConverter):
    """ASCII digits only (Werkzeug's `\\d` also takes other scripts' digits), at most MAX_ID."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None):
        super().__init__(
            map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max
        )

    def to_python(self, value: str) -> int:
        if len(value) > MAX_ID_DIGITS:  # cheaper than int() on ten thousand digits
            raise ValidationError()
        return super().to_python(value)
