"""The body of the OpenDocument export: the adopted text with the last round's changes as
tracked changes (used by :mod:`corep_drafts.exports.odt`).

How the Markdown becomes ODF: each paragraph of the text (as
:func:`corep_drafts.domain.text.split_paragraphs` cuts it, so numbering agrees with the site)
becomes a ``text:h`` (headings, ``#`` stripped), an item of a ``text:list`` (list items, marker
stripped; indentation nests) or a ``text:p``. A paragraph's line breaks read as spaces. Inline
Markdown (``*emphasis*``, links) is kept as written.

How the changes become ODF: both texts are turned into what a reader sees (characters, and
paragraph breaks), each unit keyed by its place in the merged sequence of
``record.tracked_changes``; units of both sides with the same key are unchanged, the others are
deleted (only in the old text) or inserted (only in the new). Each run of changed units with
one author and one direction is one ``text:changed-region``: an insertion is marked by
``text:change-start``/``text:change-end`` in the body, and may span paragraphs (the paragraph
break it adds lies between the two marks, as LibreOffice writes it); a deletion is one
``text:change`` mark, its region holding the deleted content as paragraphs (a deleted paragraph
break is two paragraphs, merged with the text around the mark on reject). So a tracked change
that is one word, or one whole paragraph, is one region; a change that only touches Markdown
markup or blank lines makes none, and one that turns a paragraph into a heading or list item
shows as a deleted and an inserted paragraph break (styles are not tracked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from corep_drafts.domain.text import split_paragraphs
from corep_drafts.exports.model import DeclarationRecord, TrackedChange

GENERATOR = "corep-drafts"  # the author of a change no amendment is credited with

NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())

# Characters XML 1.0 cannot carry at all.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(value: str) -> str:
    value = _INVALID_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str) -> str:
    return esc(value).replace('"', "&quot;")


# --------------------------------------------------------------------------------------------
# Markdown paragraphs as units a reader sees


@dataclass(frozen=True)
class Block:
    """What kind of paragraph a paragraph is, for its ODF element and style."""

    kind: str = "paragraph"  # heading | list_item | paragraph
    level: int = 1  # heading level
    indent: int = 0  # list item indentation (nesting)
    ordered: bool = False
    number: int | None = None  # an ordered item's number


PLAIN = Block()

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
_HEADING_CLOSE = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
_LIST_ITEM = re.compile(r"([ \t]*)(?:([-*+])|(\d{1,9})[.)])(?:[ \t]+|$)")


def _block_of(first_line: str) -> tuple[Block, int, int]:
    """The block a paragraph's first line opens, and the [start, end) of its content there."""
    match = _HEADING.match(first_line)
    if match:
        close = _HEADING_CLOSE.search(first_line, match.end())
        end = close.start() if close else len(first_line)
        return Block("heading", level=len(match.group(1))), match.end(), max(end, match.end())
    match = _LIST_ITEM.match(first_line)
    if match:
        indent = len(match.group(1).expandtabs(4))
        number = int(match.group(3)) if match.group(3) else None
        return (
            Block("list_item", indent=indent, ordered=number is not None, number=number),
            match.end(),
            len(first_line.rstrip()),
        )
    stripped = len(first_line) - len(first_line.lstrip())
    return PLAIN, stripped, len(first_line.rstrip())


@dataclass(frozen=True)
class Unit:
    """A character (``char``) of a paragraph ``block``, or a paragraph break opening ``block``
    (``char`` None)."""

    key: int  # place in the merged sequence of tracked changes (see merged_units)
    char: str | None
    block: Block | None = None
    op: int = 0
    author: str | None = None
    gap: tuple[int, ...] = ()  # a break: merged indexes of the line breaks and blank lines


def units_of(text: str, merged_index: list[int]) -> tuple[Block | None, list[Unit]]:
    """The first paragraph's block, and the text as units: content characters (line breaks
    inside a paragraph become spaces, markup and indentation dropped) and paragraph breaks."""
    first_block = None
    units: list[Unit] = []
    previous_end = None
    for paragraph in split_paragraphs(text):
        raw = text[paragraph.start : paragraph.end]
        lines = raw.split("\n")
        block, content_start, content_end = _block_of(lines[0].rstrip("\r"))
        if previous_end is None:
            first_block = block
        else:
            gap = tuple(merged_index[previous_end : paragraph.start])
            units.append(Unit(gap[0], None, block, gap=gap))
        previous_end = paragraph.end
        position = paragraph.start
        for number, original in enumerate(lines):
            line = original.rstrip("\r")
            if number == 0:
                start, end = content_start, content_end
            else:
                start = len(line) - len(line.lstrip())
                end = len(line.rstrip())
                if end > start:  # the line break before this line reads as a space
                    units.append(Unit(merged_index[position - 1], " ", block))
            for offset in range(start, end):
                char = line[offset]
                if _INVALID_XML.match(char):
                    continue
                units.append(
                    Unit(merged_index[position + offset], " " if char == "\t" else char, block)
                )
            position += len(original) + 1
    return first_block, units


class InconsistentChanges(ValueError):
    """The tracked changes do not lead from round_base_text to text."""


def merged_units(
    old: str, new: str, changes: tuple[TrackedChange, ...]
) -> tuple[Block | None, list[Unit]]:
    """Old and new as one sequence of units, each unchanged (op 0), deleted (-1) or inserted
    (1), with the author of its change.

    Every character of the changes has an index in their merged sequence; a unit's key is its
    character's index. A paragraph break of the old text and one of the new are the same break
    when their gaps (the line breaks between two paragraphs) share an unchanged character, whose
    index is then the key of both; a break of one side only is keyed by its gap's first
    character. Units of both sides with the same key and reading are unchanged.
    """
    if not changes:  # no round to show: the clean text
        old, changes = new, ((TrackedChange(0, new),) if new else ())
    if (
        "".join(c.text for c in changes if c.op <= 0) != old
        or "".join(c.text for c in changes if c.op >= 0) != new
    ):
        raise InconsistentChanges(
            "record.tracked_changes do not turn record.round_base_text into record.text"
        )
    old_index: list[int] = []
    new_index: list[int] = []
    ops: list[int] = []
    authors: list[str | None] = []
    for change in changes:
        for _char in change.text:
            merged = len(ops)
            ops.append(change.op)
            authors.append(change.author)
            if change.op <= 0:
                old_index.append(merged)
            if change.op >= 0:
                new_index.append(merged)
    _old_first, old_units = units_of(old, old_index)
    new_first, new_units = units_of(new, new_index)

    # Breaks of both sides that share an unchanged character of their gaps are one break.
    old_break_at = {
        index: n
        for n, unit in enumerate(old_units)
        if unit.char is None
        for index in unit.gap
        if ops[index] == 0
    }
    taken: set[int] = set()
    for m, unit in enumerate(new_units):
        if unit.char is not None:
            continue
        for index in unit.gap:
            n = old_break_at.get(index)
            if ops[index] == 0 and n is not None and n not in taken:
                taken.add(n)
                old_units[n] = Unit(index, None, old_units[n].block, gap=old_units[n].gap)
                new_units[m] = Unit(index, None, unit.block, gap=unit.gap)
                break

    def author_of(unit: Unit, op: int) -> str | None:
        for index in unit.gap or (unit.key,):
            if ops[index] == op:
                return authors[index]
        return None

    merged: list[Unit] = []
    i = j = 0
    while i < len(old_units) or j < len(new_units):
        a = old_units[i] if i < len(old_units) else None
        b = new_units[j] if j < len(new_units) else None
        if b is None or (a is not None and a.key < b.key):
            merged.append(Unit(a.key, a.char, a.block, -1, author_of(a, -1)))
            i += 1
        elif a is None or b.key < a.key:
            merged.append(Unit(b.key, b.char, b.block, 1, author_of(b, 1)))
            j += 1
        elif a.char == b.char:  # the same character, or the same paragraph break
            merged.append(Unit(b.key, b.char, b.block, 0))
            i += 1
            j += 1
        else:  # the same source character, read differently: deleted, then inserted
            merged.append(Unit(a.key, a.char, a.block, -1, author_of(a, -1)))
            i += 1
    _credit_nearest_author(merged)
    return new_first, merged


def _credit_nearest_author(merged: list[Unit]) -> None:
    """A change of reading only (no tracked change of its own) takes the author of the nearest
    changed unit that has one, the earlier on a tie; with none anywhere, it stays unauthored.

    One sweep with a pointer into the credited places: both only move forward, so this is
    linear in the units (searching all credited places for each unit was quadratic)."""
    credited = [n for n, unit in enumerate(merged) if unit.op and unit.author]
    if not credited:
        return
    next_credited = 0  # index in credited of the first credited place after n
    for n, unit in enumerate(merged):
        if not unit.op or unit.author:
            continue
        while next_credited < len(credited) and credited[next_credited] < n:
            next_credited += 1
        before = credited[next_credited - 1] if next_credited > 0 else None
        after = credited[next_credited] if next_credited < len(credited) else None
        if after is None or (before is not None and n - before <= after - n):
            nearest = before
        else:
            nearest = after
        merged[n] = Unit(unit.key, unit.char, unit.block, unit.op, merged[nearest].author)


# --------------------------------------------------------------------------------------------
# The body: paragraphs with change marks


@dataclass
class Region:
    id: str
    op: int
    author: str
    deleted: list[tuple[Block, list]] | None = None  # paragraphs of a deletion


@dataclass
class Para:
    block: Block
    items: list  # characters (str of length 1) and marks (("mark", xml))


def inline_xml(items: list) -> str:
    """A paragraph's content: characters escaped, and spaces ODF would collapse or drop (first,
    last, repeated) written as text:s, so that the text reads exactly as given."""
    last_char = max((n for n, item in enumerate(items) if isinstance(item, str)), default=-1)
    out: list[str] = []
    previous = None
    for n, item in enumerate(items):
        if not isinstance(item, str):
            out.append(item[1])
            continue
        if item == " " and (previous is None or previous == " " or n == last_char):
            out.append("<text:s/>")
        else:
            out.append(esc(item))
        previous = item
    return "".join(out)


def paragraph_xml(block: Block, inner: str) -> str:
    if block.kind == "heading":
        return (
            f'<text:h text:style-name="Heading_20_{block.level}" '
            f'text:outline-level="{block.level}">{inner}</text:h>'
        )
    style = "List_20_Contents" if block.kind == "list_item" else "Text_20_body"
    return f'<text:p text:style-name="{style}">{inner}</text:p>'


def body_with_changes(first: Block | None, units: list[Unit]) -> tuple[list[Para], list[Region]]:
    paragraphs = [Para(first or PLAIN, [])]
    regions: list[Region] = []
    n = 0
    while n < len(units):
        unit = units[n]
        if unit.op == 0:
            if unit.char is None:
                paragraphs.append(Para(unit.block, []))
            else:
                paragraphs[-1].items.append(unit.char)
            n += 1
            continue
        end = n
        while end < len(units) and units[end].op == unit.op and units[end].author == unit.author:
            end += 1
        run = units[n:end]
        region = Region(f"ct{len(regions) + 1}", unit.op, unit.author or GENERATOR)
        regions.append(region)
        mark_id = f'text:change-id="{region.id}"'
        if unit.op == 1:
            paragraphs[-1].items.append(("mark", f"<text:change-start {mark_id}/>"))
            for inserted in run:
                if inserted.char is None:
                    paragraphs.append(Para(inserted.block, []))
                else:
                    paragraphs[-1].items.append(inserted.char)
            paragraphs[-1].items.append(("mark", f"<text:change-end {mark_id}/>"))
        else:
            paragraphs[-1].items.append(("mark", f"<text:change {mark_id}/>"))
            # The first deleted paragraph merges with the one at the mark; when the deletion
            # starts a paragraph, it is that paragraph's own kind.
            opening = run[0].block if run[0].char is not None else paragraphs[-1].block
            region.deleted = [(opening or paragraphs[-1].block, [])]
            for deleted in run:
                if deleted.char is None:
                    region.deleted.append((deleted.block, []))
                else:
                    region.deleted[-1][1].append(deleted.char)
        n = end
    return paragraphs, regions


def blocks_xml(paragraphs: list[Para]) -> str:
    """Paragraphs as ODF, consecutive list items gathered into (nested) text:list."""
    out: list[str] = []
    stack: list[tuple[int, bool]] = []  # open lists: (indentation, ordered)

    def close_to(depth: int) -> None:
        while len(stack) > depth:
            stack.pop()
            out.append("</text:list-item></text:list>")

    def open_list(block: Block) -> None:
        style = "Numbering_20_123" if block.ordered else "List_20_1"
        start = (
            f' text:start-value="{block.number}"'
            if block.ordered and block.number not in (None, 1)
            else ""
        )
        out.append(f'<text:list text:style-name="{style}"><text:list-item{start}>')
        stack.append((block.indent, block.ordered))

    for paragraph in paragraphs:
        block = paragraph.block
        inner = inline_xml(paragraph.items)
        if block.kind != "list_item":
            close_to(0)
            out.append(paragraph_xml(block, inner))
            continue
        if not stack:
            open_list(block)
        elif block.indent > stack[-1][0]:
            open_list(block)  # nested, inside the open item
        else:
            while len(stack) > 1 and block.indent < stack[-1][0]:
                close_to(len(stack) - 1)
            if len(stack) == 1 and stack[0][1] != block.ordered:
                close_to(0)  # a bullet list after a numbered one (or back) is another list
                open_list(block)
            else:
                out.append("</text:list-item><text:list-item>")
        out.append(paragraph_xml(block, inner))
    close_to(0)
    return "".join(out)


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def odf_datetime(moment: datetime) -> str:
    return as_utc(moment).replace(microsecond=0).isoformat()


def change_date(record: DeclarationRecord, author: str) -> datetime:
    """When a change was made: the version its amendment produced (the author label begins with
    the amendment's label, e.g. "A3 (France)"), else the record's version."""
    label = author.split(" ", 1)[0]
    for version in record.versions:
        if version.amendment_label and version.amendment_label == label:
            return version.created_at
    return record.version.created_at


def tracked_changes_xml(record: DeclarationRecord, regions: list[Region]) -> str:
    if not regions:
        return ""
    out = ['<text:tracked-changes text:track-changes="false">']
    for region in regions:
        info = (
            f"<office:change-info><dc:creator>{esc(region.author)}</dc:creator>"
            f"<dc:date>{odf_datetime(change_date(record, region.author))}</dc:date>"
            f"</office:change-info>"
        )
        out.append(f'<text:changed-region xml:id="{region.id}" text:id="{region.id}">')
        if region.op == 1:
            out.append(f"<text:insertion>{info}</text:insertion>")
        else:
            content = "".join(
                paragraph_xml(block, inline_xml(items)) for block, items in region.deleted
            )
            out.append(f"<text:deletion>{info}{content}</text:deletion>")
        out.append("</text:changed-region>")
    out.append("</text:tracked-changes>")
    return "".join(out)
