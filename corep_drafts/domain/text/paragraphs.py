"""Paragraphs and line numbers, so people can say "paragraph 7, lines 3–4".

A paragraph is a block of non-blank lines; blank lines separate blocks. A Markdown heading
(``#`` to ``######``) and every list item (``-``, ``*``, ``+``, ``1.``, ``1)``, at any
indentation) is a block of its own, with the lines that follow it until the next blank line
or the next block start. Lines are counted from 1, within the paragraph.

Each paragraph also owns the gap of line breaks and blank lines after it (its *extent*; the
first one also owns any blank lines before it), so that every position of the text, an
insertion between two paragraphs included, belongs to exactly one paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

Kind = Literal["heading", "list_item", "paragraph"]

_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of the text: ``text[start:end]``, without its final line break."""

    number: int
    start: int
    end: int
    kind: Kind
    first_line: int


@dataclass(frozen=True, slots=True)
class Location:
    """Paragraphs and lines (counted within each paragraph) that a range covers."""

    paragraph_from: int
    paragraph_to: int
    line_from: int
    line_to: int


def split_paragraphs(text: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    block_start: int | None = None
    block_end = 0
    block_kind: Kind = "paragraph"
    block_line = 0
    position = 0
    for line_number, line in enumerate(text.split("\n"), start=1):
        content = line[:-1] if line.endswith("\r") else line
        line_end = position + len(content)
        if not content.strip():
            if block_start is not None:
                paragraphs.append(
                    Paragraph(len(paragraphs) + 1, block_start, block_end, block_kind, block_line)
                )
                block_start = None
        else:
            kind = _kind_of(content)
            if block_start is not None and kind != "paragraph":
                paragraphs.append(
                    Paragraph(len(paragraphs) + 1, block_start, block_end, block_kind, block_line)
                )
                block_start = None
            if block_start is None:
                block_start, block_kind, block_line = position, kind, line_number
            elif block_kind == "heading":
                # A heading is one line; the next line starts a new block.
                paragraphs.append(
                    Paragraph(len(paragraphs) + 1, block_start, block_end, block_kind, block_line)
                )
                block_start, block_kind, block_line = position, kind, line_number
            block_end = line_end
        position += len(line) + 1
    if block_start is not None:
        paragraphs.append(
            Paragraph(len(paragraphs) + 1, block_start, block_end, block_kind, block_line)
        )
    return paragraphs


def _kind_of(line: str) -> Kind:
    if _HEADING.match(line):
        return "heading"
    if _LIST_ITEM.match(line):
        return "list_item"
    return "paragraph"


class ParagraphIndex:
    """The paragraphs of one text, for many look-ups by position (each O(log P))."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs = split_paragraphs(text)
        self._starts = [paragraph.start for paragraph in self.paragraphs]

    def extent(self, index: int) -> tuple[int, int]:
        """``[start, end)`` of the index-th paragraph (0-based) with the gap after it.

        A text without paragraphs (empty or blank) is one extent, so that what is inserted
        into it still has a place.
        """
        if not self.paragraphs:
            return 0, len(self.text)
        start = 0 if index == 0 else self.paragraphs[index].start
        last = index + 1 == len(self.paragraphs)
        end = len(self.text) if last else self.paragraphs[index + 1].start
        return start, end

    @property
    def extent_count(self) -> int:
        return max(len(self.paragraphs), 1)

    def index_at(self, position: int) -> int:
        """0-based index of the paragraph whose extent holds ``position``."""
        return max(bisect_right(self._starts, position) - 1, 0)

    def line_within(self, index: int, position: int) -> int:
        """1-based line of ``position`` inside the index-th paragraph, clamped to it."""
        paragraph = self.paragraphs[index]
        clamped = min(max(position, paragraph.start), paragraph.end)
        return self.text.count("\n", paragraph.start, clamped) + 1

    def locate(self, start: int, end: int) -> Location:
        if not self.paragraphs:
            return Location(1, 1, 1, 1)
        last_position = end - 1 if end > start else end
        first = self.index_at(start)
        last = max(self.index_at(last_position), first)
        return Location(
            first + 1,
            last + 1,
            self.line_within(first, start),
            self.line_within(last, last_position),
        )


def locate(text: str, start: int, end: int) -> Location:
    """Where ``text[start:end]`` lies (an insertion point when start == end).

    A range that begins in the blank lines after a paragraph is counted in that paragraph,
    at its last line.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range {start}..{end} is outside a text of length {len(text)}")
    return ParagraphIndex(text).locate(start, end)


def heading_text(block: str) -> str:
    """A heading's words, without its hashes."""
    return block.strip().lstrip("#").strip()


def states_title(block: str, kind: str, title: str) -> bool:
    """Whether a paragraph is a heading that only states the declaration's title: pages and
    documents show the title as their own heading and leave this paragraph out."""
    return kind == "heading" and heading_text(block) == title.strip()
