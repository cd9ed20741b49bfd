"""Translations of a declaration: aligned paragraph by paragraph with the version they translate,
and carried forward when the source changes, so that only the changed passages are redone.

A translation has the same numbered paragraphs as its source version (``text.split_paragraphs``),
of the same kinds (a heading translates a heading, a list item a list item), so that paragraph 7
is paragraph 7 in every language and the two can be read side by side.

When a new version of the source is adopted, :func:`carry` pairs the paragraphs of the old and
the new source: an unchanged paragraph keeps its translation; a changed one keeps its old
translation as a starting point beside the word diff of its source; an added one starts empty;
a removed one is reported with the translation that goes with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.text import diff_words, split_paragraphs
from corep_drafts.domain.text.edits import DELETE, INSERT

ChangeKind = Literal["changed", "added", "removed"]

# The Markdown that makes a block what it is: a heading's hashes, a list item's bullet or number.
_MARKER = re.compile(r"^(?: {0,3}#{1,6}(?:[ \t]+|$)|[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))")
# Below this share of common words, two paragraphs in a replaced block are not the same one.
_SAME_PARAGRAPH = 0.3


class Misaligned(DomainError):
    """A translation whose paragraphs do not match its source version's."""

    code = "translation_misaligned"

    def __init__(self, source_paragraphs: int, translation_paragraphs: int) -> None:
        super().__init__(
            f"The source has {source_paragraphs} paragraphs, the translation "
            f"{translation_paragraphs}.",
            params={
                "source_paragraphs": source_paragraphs,
                "translation_paragraphs": translation_paragraphs,
            },
        )


class KindMismatch(DomainError):
    """Paragraph N is a heading (or list item) in one text and not in the other."""

    code = "translation_kind_mismatch"

    def __init__(self, paragraph: int, source_kind: str, translation_kind: str) -> None:
        super().__init__(
            f"Paragraph {paragraph} is a {source_kind} in the source and a {translation_kind} in "
            f"the translation.",
            params={
                "paragraph": paragraph,
                "source_kind": source_kind,
                "translation_kind": translation_kind,
            },
        )


@dataclass(frozen=True)
class Block:
    """One paragraph: its Markdown marker (``## ``, ``- ``, or empty) and its words."""

    kind: str
    marker: str
    content: str

    @property
    def text(self) -> str:
        return self.marker + self.content


def blocks(text: str) -> list[Block]:
    """The text's paragraphs, each split into its marker and its content."""
    found = []
    for paragraph in split_paragraphs(text):
        raw = text[paragraph.start : paragraph.end]
        marker = (
            _MARKER.match(raw).group(0)
            if paragraph.kind != "paragraph" and _MARKER.match(raw)
            else ""
        )
        found.append(Block(paragraph.kind, marker, raw[len(marker) :]))
    return found


def check_alignment(source: str, translation: str) -> None:
    """Raise :class:`Misaligned` or :class:`KindMismatch` unless ``translation`` has the
    paragraphs of ``source``, one for one and of the same kinds."""
    source_blocks, translated = blocks(source), blocks(translation)
    if len(source_blocks) != len(translated):
        raise Misaligned(len(source_blocks), len(translated))
    for number, (original, rendered) in enumerate(
        zip(source_blocks, translated, strict=True), start=1
    ):
        if original.kind != rendered.kind:
            raise KindMismatch(number, original.kind, rendered.kind)


def assemble(source: str, contents: Sequence[str]) -> str:
    """A translation of ``source`` from the translated content of each of its paragraphs: the
    source's markers (heading level, list bullets) and the breaks between paragraphs are kept, so
    translators write words, not Markdown structure."""
    paragraphs = split_paragraphs(source)
    if len(contents) != len(paragraphs):
        raise Misaligned(len(paragraphs), len(contents))
    source_blocks = blocks(source)
    pieces, position = [], 0
    for paragraph, block, content in zip(paragraphs, source_blocks, contents, strict=True):
        pieces.append(source[position : paragraph.start])
        pieces.append(block.marker + _one_block(content))
        position = paragraph.end
    pieces.append(source[position:])
    return "".join(pieces)


def _one_block(content: str) -> str:
    """What the translator typed, without the line breaks around it (inner ones are kept:
    a blank line inside would make two paragraphs, which the alignment check then refuses)."""
    return content.replace("\r\n", "\n").strip("\n").rstrip()


# --- carrying a translation onto a new version of its source ------------------------------------


@dataclass(frozen=True)
class SourceChange:
    """A source paragraph changed since the translated version. ``paragraph`` is its number in
    the new source (for a removed one: the number of the paragraph now in its place);
    ``old_paragraph`` its number in the translated version (None when added)."""

    paragraph: int
    old_paragraph: int | None
    kind: ChangeKind
    diff: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class CarriedParagraph:
    """A paragraph of the new source with the translation carried to it: the old one unchanged,
    the old one to revise (``change`` says how the source moved), or empty for an added one."""

    number: int
    source: Block
    translation: str
    change: SourceChange | None


@dataclass(frozen=True)
class Carried:
    paragraphs: tuple[CarriedParagraph, ...]
    removed: tuple[
        tuple[SourceChange, str], ...
    ]  # removed source paragraphs, with their translation

    @property
    def changes(self) -> tuple[SourceChange, ...]:
        """Every source change, in the order of the new text."""
        found = [p.change for p in self.paragraphs if p.change] + [
            change for change, _ in self.removed
        ]
        return tuple(
            sorted(found, key=lambda c: (c.paragraph, c.old_paragraph or 0, c.kind != "removed"))
        )


def pair_paragraphs(old: Sequence[str], new: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """The paragraphs of two versions paired in order, 0-based: (i, j) the same paragraph,
    (i, None) removed, (None, j) added. Equal runs pair by identity; within a run that changed,
    paragraphs pair where they still share most words (one changed paragraph between an added
    and a removed one pairs with the right neighbour)."""
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(
        None, list(old), list(new), autojunk=False
    ).get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "delete":
            pairs += [(i, None) for i in range(i1, i2)]
        elif tag == "insert":
            pairs += [(None, j) for j in range(j1, j2)]
        else:
            pairs += _pair_by_likeness(old, new, range(i1, i2), range(j1, j2))
    return pairs


def _likeness(a: str, b: str) -> float:
    spaced = " " in a and " " in b
    return SequenceMatcher(
        None, a.split() if spaced else list(a), b.split() if spaced else list(b), autojunk=False
    ).ratio()


def _pair_by_likeness(old, new, olds: range, news: range) -> list[tuple[int | None, int | None]]:
    """The monotone pairing of two short runs that keeps the most likeness (dynamic programming)."""
    n, m = len(olds), len(news)
    like = [[_likeness(old[olds[a]], new[news[b]]) for b in range(m)] for a in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            paired = like[a][b] + best[a + 1][b + 1] if like[a][b] >= _SAME_PARAGRAPH else -1.0
            best[a][b] = max(paired, best[a + 1][b], best[a][b + 1])
    pairs: list[tuple[int | None, int | None]] = []
    a = b = 0
    while a < n and b < m:
        if like[a][b] >= _SAME_PARAGRAPH and best[a][b] == like[a][b] + best[a + 1][b + 1]:
            pairs.append((olds[a], news[b]))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            pairs.append((olds[a], None))
            a += 1
        else:
            pairs.append((None, news[b]))
            b += 1
    pairs += [(olds[k], None) for k in range(a, n)] + [(None, news[k]) for k in range(b, m)]
    return pairs


def carry(old_source: str, new_source: str, translation: str) -> Carried:
    """Carry a translation of ``old_source`` onto ``new_source`` (see the module docstring).
    ``translation`` must be aligned with ``old_source``."""
    check_alignment(old_source, translation)
    old_blocks, new_blocks, translated = blocks(old_source), blocks(new_source), blocks(translation)
    carried: list[CarriedParagraph] = []
    removed: list[tuple[SourceChange, str]] = []
    for old_index, new_index in pair_paragraphs(
        [b.text for b in old_blocks], [b.text for b in new_blocks]
    ):
        if new_index is None:
            place = len(carried) + 1
            change = SourceChange(
                place, old_index + 1, "removed", ((DELETE, old_blocks[old_index].text),)
            )
            removed.append((change, translated[old_index].content))
            continue
        block = new_blocks[new_index]
        if old_index is None:
            change = SourceChange(new_index + 1, None, "added", ((INSERT, block.text),))
            carried.append(CarriedParagraph(new_index + 1, block, "", change))
            continue
        before = old_blocks[old_index].text
        change = (
            None
            if before == block.text
            else SourceChange(
                new_index + 1, old_index + 1, "changed", tuple(diff_words(before, block.text))
            )
        )
        carried.append(
            CarriedParagraph(new_index + 1, block, translated[old_index].content, change)
        )
    return Carried(tuple(carried), tuple(removed))


def source_changes(old_source: str, new_source: str) -> tuple[SourceChange, ...]:
    """What changed in the source between two versions, paragraph by paragraph."""
    return carry(old_source, new_source, old_source).changes
