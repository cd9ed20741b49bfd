"""Case-insensitive matching that holds for Turkish: the dotted and dotless i.

Python's ``"İ".lower()`` is ``"i̇"`` (i with a combining dot), so a Turkish keyboard's capital
İ would never match an i, and ``"I".lower()`` is ``"i"`` where Turkish readers expect ``ı``.
For matching e-mail addresses and searching, all four (I, İ, ı, i) are one letter here: a
Turkish delegate typing ``İSTANBUL`` finds ``istanbul`` and ``Istanbul``, and nobody else loses
a match they expected.
"""

from __future__ import annotations

import unicodedata

_TURKISH_I = str.maketrans({"İ": "i", "ı": "i", "I": "i"})


def fold(text: str) -> str:
    """The key two strings share when they are equal ignoring case (Turkish i included),
    composed the same way (NFC), whatever keyboard or system wrote them."""
    composed = unicodedata.normalize("NFC", text)
    folded = composed.translate(_TURKISH_I).casefold()
    # An i with a combining dot above is what Python's own lower() makes of İ ("İ".lower()).
    return unicodedata.normalize("NFC", folded.replace("i\u0307", "i"))


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` ignoring case, Turkish i included."""
    return fold(needle) in fold(haystack)
