"""The part of a text an editor changes (its *region*), and putting the edit back.

A delegate edits one paragraph (or a few, or the whole text) in place; the page sends only what
was in the box, and :meth:`Region.rebuild` puts it back into the base text, every other
character of the base exactly as it was. :class:`Place` says where a region is (a paragraph, or
offsets), as a form or a request gives it; :func:`revision_region` finds what a revision edits.
"""

from __future__ import annotations

from dataclasses import dataclass

from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.text.diffing import edits_between
from corep_drafts.domain.text.paragraphs import locate, split_paragraphs


class NoSuchRegion(DomainError):
    """A paragraph number or offsets that the text does not have."""

    code = "no_such_region"

    def __init__(self, where: object) -> None:
        super().__init__(f"The text has no region {where!r}.", params={"where": repr(where)})


def fit_newlines(edited: str, base: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; give the edit the base's own line breaks."""
    edited = edited.replace("\r\n", "\n")
    return edited.replace("\n", "\r\n") if "\r\n" in base else edited


@dataclass(frozen=True)
class Region:
    """``base[start:end]`` is what the editor replaces; ``initial`` is what it starts with."""

    base: str
    start: int
    end: int
    initial: str

    @property
    def baseline(self) -> str:
        return self.base[self.start : self.end]

    @property
    def is_whole(self) -> bool:
        return self.start == 0 and self.end == len(self.base)

    def rebuild(self, edited: str) -> str:
        return self.base[: self.start] + fit_newlines(edited, self.base) + self.base[self.end :]

    def paragraphs(self) -> tuple[int, int] | None:
        """First and last paragraph numbers of the region in its base, or None for the whole."""
        if self.is_whole or not self.base:
            return None
        location = locate(self.base, self.start, self.end)
        return location.paragraph_from, location.paragraph_to


def whole(base: str) -> Region:
    return Region(base, 0, len(base), base)


def paragraph_region(base: str, number: int | None) -> Region:
    """Paragraph ``number`` (from 1) of ``base``, or the whole text for None."""
    if number is None:
        return whole(base)
    paragraphs = split_paragraphs(base)
    if not 1 <= number <= len(paragraphs):
        raise NoSuchRegion(number)
    paragraph = paragraphs[number - 1]
    return Region(base, paragraph.start, paragraph.end, base[paragraph.start : paragraph.end])


def offsets_region(base: str, start: int, end: int) -> Region:
    if not 0 <= start <= end <= len(base):
        raise NoSuchRegion((start, end))
    return Region(base, start, end, base[start:end])


@dataclass(frozen=True)
class Place:
    """Where an edit goes in a version: a paragraph (None with no offsets: the whole text), or
    the offsets a revision form carries."""

    paragraph: int | None = None
    start: int | None = None
    end: int | None = None

    def region_of(self, base: str) -> Region:
        if self.start is not None or self.end is not None:
            start = 0 if self.start is None else self.start
            end = len(base) if self.end is None else self.end
            return offsets_region(base, start, end)
        return paragraph_region(base, self.paragraph)


def paragraph_hull(base: str, start: int, end: int) -> tuple[int, int]:
    """The smallest run of whole paragraphs of ``base`` holding ``[start, end)``."""
    paragraphs = split_paragraphs(base)
    if not paragraphs:
        return 0, len(base)
    location = locate(base, start, end)
    first, last = paragraphs[location.paragraph_from - 1], paragraphs[location.paragraph_to - 1]
    return min(first.start, start), max(last.end, end)


def revision_region(
    base: str, amended: str, current: str, touched: tuple[int, int] | None
) -> Region:
    """What a revision edits: the paragraphs an amendment touches, in its own wording.

    When the amendment is on the current version (``base == current``), the region is those
    paragraphs of the current text. When it was written for an earlier version (a conflicted
    amendment), the proposer's wording of those paragraphs is put in place of the matching
    paragraphs of the current text, widened to whatever the adopted changes altered there, so
    that the preview shows honestly what the revision would change in the current text.
    """
    if touched is None:
        return Region(current, 0, len(current), amended)
    start, end = paragraph_hull(base, *touched)
    adopted = edits_between(base, current) if base != current else ()
    while True:  # widen to every adopted change that touches the region, then to whole paragraphs
        near = [e for e in adopted if e.start <= end and e.end >= start]
        low = min([start] + [e.start for e in near])
        high = max([end] + [e.end for e in near])
        low, high = paragraph_hull(base, low, high)
        if (low, high) == (start, end):
            break
        start, end = low, high
    if amended[:start] != base[:start] or not amended.endswith(base[end:]):
        return Region(current, 0, len(current), amended)  # not where we thought: edit it all
    # The amendment leaves base[:start] and base[end:] alone, so its wording of the region is:
    wording = amended[start : len(amended) - (len(base) - end)]
    new_start = start + sum(e.delta for e in adopted if e.end < start)
    new_end = end + sum(e.delta for e in adopted if e.end <= end)
    return Region(current, new_start, new_end, wording)
