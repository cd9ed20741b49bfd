"""Finding English left on a page that should speak another language.

Every English msgid of the catalogue template is a sentence the interface may show; on a page
in Turkish, none of them may appear as English. A msgid is looked for by its longest literal
piece between placeholders (at least two words), in the page's visible text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "corep_drafts" / "translations"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


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
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:  # not compiled: the page shows the English
            strings = []
        for english in ids:
            piece = max(_PLACEHOLDER.split(english), key=len).strip(" .,:;·()“”")
            if (
                len(piece.split()) >= 2
                and len(piece) >= 10
                and not any(piece in s for s in strings)
            ):
                pieces.add(piece)
    return tuple(sorted(pieces))


_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_SILENT = {"script", "style", "textarea", "code", "pre", "title"}


class _InterfaceText(HTMLParser):
    """The text of a page that is in the page's own language: what an element marked with
    another ``lang`` holds (a declaration's text, a translation, a language's own name) is the
    content, not the interface."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []
        self.page_language: str | None = None
        self.parts: list[str] = []

    def _shown(self) -> bool:
        language = next((lang for _, lang, _ in reversed(self.stack) if lang), self.page_language)
        return language == self.page_language and not any(silent for _, _, silent in self.stack)

    def handle_starttag(self, tag, attrs):
        lang = dict(attrs).get("lang")
        if tag == "html":
            self.page_language = lang
        if tag not in _VOID:
            self.stack.append((tag, lang, tag in _SILENT))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self._shown():
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader sees of a page in its interface language (no markup, no scripts, no text
    in form fields, nothing marked as written in another language)."""
    parser = _InterfaceText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_left(html: str, language: str) -> list[str]:
    """The English interface sentences still on a page meant to be in ``language``."""
    text = visible_text(html)
    return [piece for piece in _english_pieces(language) if piece in text]
