"""Cutting text into the units a word-level diff compares.

A token is a word together with the punctuation and spaces that follow it, so that a changed
word is shown as one changed unit and the spacing around it stays stable. Line breaks are
tokens of their own, so a blank line added or removed is a small edit and never drags the
neighbouring word with it. Scripts written without spaces between words (Chinese, Japanese,
Thai, Lao, Khmer, Myanmar) would otherwise make a whole sentence one "word"; there each
character (with its combining marks and trailing punctuation) is a token instead.

Tokens never span a line break, so tokenising line by line gives the same cut as tokenising
the whole text: the diff relies on that when it only tokenises the changed middle of a text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_UNSPACED_RANGES = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi
    "\u3005-\u3007"  # 々 〆 〇: written inside Japanese words
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f"  # half-width Katakana
    "\U00020000-\U0003ffff"
)


def _combining_mark_class() -> str:
    # Python's \w does not match combining marks, so "é" written as e + U+0301 or a
    # Devanagari vowel sign would end the word. Supplementary-plane marks are rare enough to
    # leave out: they still stay inside the token as trailing "punctuation".
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )


_MARKS = _combining_mark_class()
_HSPACE = r"[^\S\r\n]*"
_TOKEN = re.compile(
    r"\r\n|\r|\n"
    rf"|[{_UNSPACED_RANGES}][{_MARKS}]*[^\w\s{_UNSPACED_RANGES}]*{_HSPACE}"
    rf"|[^\W{_UNSPACED_RANGES}](?:[^\W{_UNSPACED_RANGES}]|[{_MARKS}])*"
    rf"[^\w\s{_UNSPACED_RANGES}]*{_HSPACE}"
    rf"|[^\w\s{_UNSPACED_RANGES}]+{_HSPACE}"
    r"|[^\S\r\n]+"
)


TOKEN_PATTERN = _TOKEN
"""The pattern :func:`word_tokens` cuts with, for scanning part of a text in place."""


def word_tokens(text: str) -> list[str]:
    """The text cut into word tokens; joined back they give the text exactly."""
    return _TOKEN.findall(text)


def line_tokens(text: str) -> list[str]:
    """The text cut into lines, each keeping its line break."""
    return text.splitlines(keepends=True) if "\r" in text else _split_on_newline(text)


def _split_on_newline(text: str) -> list[str]:
    # splitlines() also breaks on \x0b, \x1c, \u2028 ...; those are not line breaks for a
    # Markdown document, and splitting on them would make a line token cross a word token.
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


_FIRST_CODE = 0x100
_SURROGATES = range(0xD800, 0xE000)
_LAST_CODE = 0x10FFFF


class TokenAlphabet:
    """Gives each distinct token one character, so a token diff is a character diff.

    The same idea as diff-match-patch's diff_linesToChars, applied to any unit. The alphabet
    is shared by the two sides of a diff, so equal tokens get equal characters.
    """

    __slots__ = ("_codes",)

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def encode(self, tokens: Sequence[str]) -> str:
        codes = self._codes
        fresh = [token for token in dict.fromkeys(tokens) if token not in codes]
        if fresh:
            codes.update(
                zip(fresh, map(chr, self._next_codes(len(codes), len(fresh))), strict=True)
            )
        return "".join(map(codes.__getitem__, tokens))

    @staticmethod
    def _next_codes(used: int, count: int) -> range | list[int]:
        first, last = _FIRST_CODE + used, _FIRST_CODE + used + count - 1
        if last < _SURROGATES.start:
            return range(first, last + 1)
        # Surrogates are not characters a diff may hold; the alphabet skips over them.
        codes = [
            code + len(_SURROGATES) if code >= _SURROGATES.start else code
            for code in range(first, last + 1)
        ]
        if codes[-1] > _LAST_CODE:
            raise AlphabetExhausted
        return codes


class AlphabetExhausted(Exception):
    """More distinct tokens than there are characters to stand for them."""
