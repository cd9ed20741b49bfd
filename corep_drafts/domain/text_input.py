"""What any text a person sends may contain, checked before it is stored or looked up.

- NUL (U+0000) nowhere: PostgreSQL's text type cannot hold it, and no document needs it.
- No lone surrogate (U+D800-U+DFFF outside a pair, e.g. JSON's ``"\\ud800"``): it is no
  character and cannot be written as UTF-8.
- In names of people and sections, no bidirectional override or isolate (U+202A-U+202E,
  U+2066-U+2069): a name shown in a list of results could otherwise read as another one.
  Declaration texts, rationales and comments keep them: right-to-left writing uses them.
"""

from __future__ import annotations

import re

from corep_drafts.domain.errors import DomainError

NUL = "\x00"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class InvalidText(DomainError):
    """``params['problem']`` is ``nul``, ``surrogate`` or ``bidi_control``; ``position`` is the
    index of the first offending character."""

    code = "invalid_text"


def _refuse(problem: str, position: int) -> InvalidText:
    return InvalidText(
        f"The text holds a forbidden character ({problem}) at {position}.",
        params={"problem": problem, "position": position},
    )


def check_text(value: str, *, is_name: bool = False) -> str:
    """Return ``value`` unchanged if it may be stored; raise InvalidText otherwise."""
    if NUL in value:
        raise _refuse("nul", value.index(NUL))
    surrogate = LONE_SURROGATE.search(value)
    if surrogate:
        raise _refuse("surrogate", surrogate.start())
    if is_name:
        control = BIDI_CONTROLS.search(value)
        if control:
            raise _refuse("bidi_control", control.start())
    return value


def is_storable(value: str) -> bool:
    """Whether a value used only to look something up (a search, an e-mail at sign-in) can
    reach the database; one that cannot finds nothing."""
    return NUL not in value and not LONE_SURROGATE.search(value)
