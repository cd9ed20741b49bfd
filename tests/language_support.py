"""Finding English left on a page that should speak another language.

Every English msgid of the catalogue template is a sentence the interface may show; on a page
in Turkish, none of them may appear as English. A msgid is looked for by its longest literal
piece between placeholders (at least two words), in the page's visible text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "corep_drafts" / "translations"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
_HIDDEN = re.compile(r"<(script|style|textarea|code|pre)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=8)
def catalogue(language: str):
    """The catalogue of one interface language, as Babel reads it."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@lru_cache(maxsize=8)
def _english_pieces(language: str) -> tuple[str, ...]:
    """The English pieces that the catalogue of ``language`` translates differently."""
    pieces = set()
    for message in catalogue(language):
        if not message.id or message.fuzzy:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for english in ids:
            piece = max(_PLACEHOLDER.split(english), key=len).strip(" .,:;·()“”")
            if len(piece.split()) >= 2 and len(piece) >= 10 and not any(piece in s for s in strings):
                pieces.add(piece)
    return tuple(sorted(pieces))


def visible_text(html: str) -> str:
    """What a reader sees of a page: no markup, no scripts, no user text in form fields."""
    return " ".join(unescape(_TAG.sub(" ", _HIDDEN.sub(" ", html))).split())


def english_left(html: str, language: str) -> list[str]:
    """The English interface sentences still on a page meant to be in ``language``."""
    text = visible_text(html)
    return [piece for piece in _english_pieces(language) if piece in text]
