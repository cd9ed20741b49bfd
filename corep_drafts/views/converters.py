"""The URL converter for ids and version numbers, registered on the app as `int`.

It replaces Werkzeug's built-in `int` converter for the whole app (not a new name that routes
would have to ask for), so that no route, web or API, present or future, can forget it: a number
in a path that no INTEGER column can hold names nothing and answers 404 before any view runs,
instead of reaching the database as an OverflowError (500).

The bound is in the converter's regular expression, not only in `to_python`: Werkzeug decides
"405 Method Not Allowed" before converting, so a path like `POST /api/v1/amendments/2147483648`
(whose id only a GET rule shares) would answer 405 if the number matched and was refused later.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from corep_drafts.domain.limits import MAX_ID


def digits_up_to(maximum: int) -> str:
    """A regular expression (non-capturing) matching the ASCII decimals 0..maximum, with any
    leading zeros: for 2147483647, any 1 to 9 digits, or 10 digits starting below 2, or 2 and
    then below 1, ... or 2147483647 itself."""
    digits = str(maximum)
    choices = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 and len(digits) > 1 else 0
        if int(digit) > lowest:
            rest = len(digits) - position - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            choices.append(f"{digits[:position]}[{lowest}-{int(digit) - 1}]{tail}")
    choices.append(digits)
    return "0*(?:" + "|".join(choices) + ")"


class IdConverter(IntegerConverter):
    """0 to MAX_ID in ASCII digits (Werkzeug's `\\d` also takes other scripts' digits)."""

    regex = digits_up_to(MAX_ID)

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None):
        super().__init__(
            map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max
        )
