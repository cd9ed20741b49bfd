"""The OpenDocument text export (.odt), written by hand with zipfile: no new dependency.

The body is the adopted text with **the last round's changes as tracked changes**, which
LibreOffice and Word can accept or reject one by one: accepting all gives ``record.text``,
rejecting all gives ``record.round_base_text``. The record follows as tables.

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

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone

from corep_drafts.domain.text import split_paragraphs
from corep_drafts.exports._common import Labels, Translate, identity, voted
from corep_drafts.exports.model import DeclarationRecord, TrackedChange, VoteSummary

MIMETYPE = "application/vnd.oasis.opendocument.text"
ODF_VERSION = "1.3"
GENERATOR = "corep-drafts"
DECLARATION_SECTION = "Declaration"
RECORD_SECTION = "Record"

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
_XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())

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
        return (Block("list_item", indent=indent, ordered=number is not None, number=number),
                match.end(), len(first_line.rstrip()))
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
        raw = text[paragraph.start:paragraph.end]
        lines = raw.split("\n")
        block, content_start, content_end = _block_of(lines[0].rstrip("\r"))
        if previous_end is None:
            first_block = block
        else:
            gap = tuple(merged_index[previous_end:paragraph.start])
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
                units.append(Unit(merged_index[position + offset],
                                  " " if char == "\t" else char, block))
            position += len(original) + 1
    return first_block, units


class InconsistentChanges(ValueError):
    """The tracked changes do not lead from round_base_text to text."""


def merged_units(old: str, new: str,
                 changes: tuple[TrackedChange, ...]) -> tuple[Block | None, list[Unit]]:
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
    if ("".join(c.text for c in changes if c.op <= 0) != old
            or "".join(c.text for c in changes if c.op >= 0) != new):
        raise InconsistentChanges(
            "record.tracked_changes do not turn record.round_base_text into record.text")
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
    old_break_at = {index: n for n, unit in enumerate(old_units) if unit.char is None
                    for index in unit.gap if ops[index] == 0}
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
        for index in (unit.gap or (unit.key,)):
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
    # A change of reading only (no tracked change of its own) takes the nearest change's author.
    known = [(n, u.author) for n, u in enumerate(merged) if u.op and u.author]
    for n, unit in enumerate(merged):
        if unit.op and not unit.author and known:
            nearest = min(known, key=lambda item: abs(item[0] - n))[1]
            merged[n] = Unit(unit.key, unit.char, unit.block, unit.op, nearest)
    return new_first, merged


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
        return (f'<text:h text:style-name="Heading_20_{block.level}" '
                f'text:outline-level="{block.level}">{inner}</text:h>')
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
            paragraphs[-1].items.append(("mark", f'<text:change-start {mark_id}/>'))
            for inserted in run:
                if inserted.char is None:
                    paragraphs.append(Para(inserted.block, []))
                else:
                    paragraphs[-1].items.append(inserted.char)
            paragraphs[-1].items.append(("mark", f'<text:change-end {mark_id}/>'))
        else:
            paragraphs[-1].items.append(("mark", f'<text:change {mark_id}/>'))
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
        start = (f' text:start-value="{block.number}"'
                 if block.ordered and block.number not in (None, 1) else "")
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


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def odf_datetime(moment: datetime) -> str:
    return _utc(moment).replace(microsecond=0).isoformat()


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
        info = (f"<office:change-info><dc:creator>{esc(region.author)}</dc:creator>"
                f"<dc:date>{odf_datetime(change_date(record, region.author))}</dc:date>"
                f"</office:change-info>")
        out.append(f'<text:changed-region xml:id="{region.id}" text:id="{region.id}">')
        if region.op == 1:
            out.append(f"<text:insertion>{info}</text:insertion>")
        else:
            content = "".join(paragraph_xml(block, inline_xml(items))
                              for block, items in region.deleted)
            out.append(f"<text:deletion>{info}{content}</text:deletion>")
        out.append("</text:changed-region>")
    out.append("</text:tracked-changes>")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# The record appendix


class _Tables:
    def __init__(self) -> None:
        self.count = 0

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]], name: str) -> str:
        self.count += 1
        out = [f'<table:table table:name="{attr(name)} {self.count}" '
               'table:style-name="Record_Table">',
               f'<table:table-column table:number-columns-repeated="{len(header)}"/>',
               "<table:table-header-rows><table:table-row>"]
        out += [f'<table:table-cell table:style-name="Record_Cell" office:value-type="string">'
                f'<text:p text:style-name="Table_20_Heading">{esc(cell)}</text:p>'
                "</table:table-cell>"
                for cell in header]
        out.append("</table:table-row></table:table-header-rows>")
        for row in rows:
            out.append("<table:table-row>")
            out += [f'<table:table-cell table:style-name="Record_Cell" office:value-type="string">'
                    f'<text:p text:style-name="Table_20_Contents">{esc(cell)}</text:p>'
                    f"</table:table-cell>" for cell in row]
            out.append("</table:table-row>")
        out.append("</table:table>")
        return "".join(out)


def _h(level: int, text: str, style: str | None = None) -> str:
    return (f'<text:h text:style-name="{style or f"Heading_20_{level}"}" '
            f'text:outline-level="{level}">{esc(text)}</text:h>')


def _p(text: str, style: str = "Text_20_body") -> str:
    return f'<text:p text:style-name="{style}">{inline_xml(list(text))}</text:p>'


def _vote_xml(vote: VoteSummary, labels: Labels, tables: _Tables, name: str) -> str:
    facts = " · ".join(f"{label}: {value}" for label, value in labels.vote_facts(vote))
    return (_p(vote.explanation, "Record_20_Explanation") + _p(facts, "Record_20_Meta")
            + tables.table(labels.vote_header(), labels.vote_rows(vote), name))


def record_xml(record: DeclarationRecord, labels: Labels) -> str:
    _ = labels._
    tables = _Tables()
    out = [_h(1, _("Record"), "Record_20_Heading")]
    out.append(tables.table((_("Item"), _("Value")),
                            [(label, value) for _key, label, value in labels.facts(record)],
                            _("Record")))
    out.append(_h(2, _("Versions")))
    out.append(tables.table(labels.version_header(), labels.version_rows(record), _("Versions")))
    out.append(_h(2, _("Amendments")))
    if record.amendments:
        out.append(tables.table(labels.amendment_header(),
                                [labels.amendment_row(a) for a in record.amendments],
                                _("Amendments")))
        for amendment in record.amendments:
            out.append(_h(3, "%s (%s)" % (labels.amendment_heading(amendment),
                                          labels.outcome(amendment.status))))
            if amendment.cosponsors:
                out.append(_p("%s: %s" % (_("Co-sponsors"), labels.cosponsors(amendment)),
                              "Record_20_Meta"))
            if amendment.rationale.strip():
                out.append(_p(_("Rationale"), "Record_20_Meta"))
                for block in re.split(r"\n[ \t]*\n", amendment.rationale.strip()):
                    out.append(_p(re.sub(r"\s*\n\s*", " ", block.strip()), "Rationale"))
            if amendment.vote is not None:
                out.append(_vote_xml(amendment.vote, labels, tables, amendment.label))
    else:
        out.append(_p(_("No amendments.")))
    out.append(_h(2, _("Final vote")))
    if record.final_vote is not None:
        out.append(_vote_xml(record.final_vote, labels, tables, _("Final vote")))
    else:
        out.append(_p(_("No final vote yet.")))
    out.append(_p(_("Exported from corep-drafts. Times are UTC. Hashes are SHA-256; each "
                    "version’s hash covers the one before it."), "Record_20_Meta"))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# The package


def _language_properties(language: str) -> str:
    parts = re.split(r"[-_]", language or "")
    out = f' fo:language="{attr(parts[0].lower())}"' if parts and parts[0] else ""
    if len(parts) > 1 and len(parts[1]) == 2:
        out += f' fo:country="{attr(parts[1].upper())}"'
    return out


def content_xml(record: DeclarationRecord, labels: Labels) -> str:
    first, units = merged_units(record.round_base_text, record.text, record.tracked_changes)
    paragraphs, regions = body_with_changes(first, units)
    title_in_text = (paragraphs and paragraphs[0].block.kind == "heading"
                     and "".join(i for i in paragraphs[0].items if isinstance(i, str)).strip()
                     == record.title.strip())
    title = "" if title_in_text else _p(record.title, "Title")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {_XMLNS} office:version="{ODF_VERSION}">'
        "<office:automatic-styles>"
        '<style:style style:name="Record_20_Heading" '
        'style:family="paragraph" style:parent-style-name="Heading_20_1">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="Record_Table" style:family="table">'
        '<style:table-properties style:width="17cm" table:align="margins" '
        'fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/></style:style>'
        '<style:style style:name="Record_Cell" style:family="table-cell">'
        '<style:table-cell-properties fo:padding="0.08cm" fo:border-left="none" '
        'fo:border-right="none" fo:border-top="none" fo:border-bottom="0.5pt solid #b8b4a8"/>'
        "</style:style>"
        "</office:automatic-styles>"
        "<office:body><office:text>"
        + tracked_changes_xml(record, regions)
        + title
        + f'<text:section text:name="{DECLARATION_SECTION}">'
        + blocks_xml(paragraphs)
        + "</text:section>"
        + f'<text:section text:name="{RECORD_SECTION}">'
        + record_xml(record, labels)
        + "</text:section>"
        "</office:text></office:body></office:document-content>"
    )


def _list_levels(ordered: bool) -> str:
    out = []
    for level in range(1, 11):
        indent = 0.635 * level
        align = (f'<style:list-level-properties text:list-level-position-and-space-mode='
                 f'"label-alignment"><style:list-level-label-alignment text:label-followed-by='
                 f'"listtab" text:list-tab-stop-position="{indent:.3f}cm" '
                 f'fo:text-indent="-0.635cm" fo:margin-left="{indent:.3f}cm"/>'
                 f"</style:list-level-properties>")
        if ordered:
            out.append(f'<text:list-level-style-number text:level="{level}" '
                       f'style:num-suffix="." style:num-format="1">{align}'
                       f"</text:list-level-style-number>")
        else:
            bullet = "•◦▪"[(level - 1) % 3]
            out.append(f'<text:list-level-style-bullet text:level="{level}" '
                       f'text:bullet-char="{bullet}">{align}</text:list-level-style-bullet>')
    return "".join(out)


_HEADING_SIZES = {1: "20pt", 2: "16pt", 3: "13.5pt", 4: "12pt", 5: "11pt", 6: "11pt"}


def styles_xml(record: DeclarationRecord) -> str:
    headings = "".join(
        f'<style:style style:name="Heading_20_{level}" style:display-name="Heading {level}" '
        f'style:family="paragraph" style:parent-style-name="Heading" '
        f'style:next-style-name="Text_20_body" style:default-outline-level="{level}" '
        f'style:class="text"><style:text-properties fo:font-size="{size}" '
        f'fo:font-weight="bold"/></style:style>'
        for level, size in _HEADING_SIZES.items())
    outline = "".join(f'<text:outline-level-style text:level="{level}" style:num-format=""/>'
                      for level in range(1, 11))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-styles {_XMLNS} office:version="{ODF_VERSION}">'
        "<office:font-face-decls>"
        '<style:font-face style:name="DejaVu Serif" svg:font-family="&apos;DejaVu Serif&apos;" '
        'style:font-family-generic="roman" style:font-pitch="variable"/>'
        '<style:font-face style:name="DejaVu Sans" svg:font-family="&apos;DejaVu Sans&apos;" '
        'style:font-family-generic="swiss" style:font-pitch="variable"/>'
        "</office:font-face-decls>"
        "<office:styles>"
        '<style:default-style style:family="paragraph">'
        '<style:paragraph-properties fo:hyphenation-ladder-count="no-limit" '
        'style:writing-mode="page"/>'
        f'<style:text-properties style:font-name="DejaVu Serif" fo:font-size="11pt"'
        f'{_language_properties(record.language)} fo:hyphenate="true"/>'
        "</style:default-style>"
        '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>'
        '<style:style style:name="Text_20_body" style:display-name="Text body" '
        'style:family="paragraph" style:parent-style-name="Standard" style:class="text">'
        '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm" '
        'fo:line-height="135%" fo:orphans="2" fo:widows="2"/></style:style>'
        '<style:style style:name="Title" style:family="paragraph" '
        'style:parent-style-name="Standard" style:next-style-name="Text_20_body" '
        'style:class="chapter"><style:paragraph-properties fo:margin-bottom="0.4cm"/>'
        '<style:text-properties fo:font-size="22pt" fo:font-weight="bold"/></style:style>'
        '<style:style style:name="Heading" style:family="paragraph" '
        'style:parent-style-name="Standard" style:next-style-name="Text_20_body" '
        'style:class="text"><style:paragraph-properties fo:margin-top="0.45cm" '
        'fo:margin-bottom="0.2cm" fo:keep-with-next="always"/></style:style>'
        + headings +
        '<style:style style:name="List_20_Contents" style:display-name="List Contents" '
        'style:family="paragraph" style:parent-style-name="Text_20_body" style:class="list">'
        '<style:paragraph-properties fo:margin-bottom="0.12cm"/></style:style>'
        '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" '
        'style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
        '<style:text-properties style:font-name="DejaVu Sans" fo:font-size="8.5pt"/>'
        "</style:style>"
        '<style:style style:name="Table_20_Heading" style:display-name="Table Heading" '
        'style:family="paragraph" style:parent-style-name="Table_20_Contents" '
        'style:class="extra"><style:text-properties fo:font-weight="bold" fo:color="#555b66"/>'
        "</style:style>"
        '<style:style style:name="Record_20_Meta" style:display-name="Record Meta" '
        'style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:margin-bottom="0.1cm"/>'
        '<style:text-properties style:font-name="DejaVu Sans" fo:font-size="8.5pt" '
        'fo:color="#555b66"/></style:style>'
        '<style:style style:name="Record_20_Explanation" style:display-name="Record Explanation" '
        'style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:margin-top="0.15cm" fo:margin-bottom="0.05cm"/>'
        '<style:text-properties style:font-name="DejaVu Sans" fo:font-size="9.5pt" '
        'fo:font-weight="bold"/></style:style>'
        '<style:style style:name="Rationale" style:family="paragraph" '
        'style:parent-style-name="Text_20_body" style:class="extra">'
        '<style:paragraph-properties fo:margin-left="0.5cm" fo:padding-left="0.2cm" '
        'fo:border-left="1.5pt solid #dedbd2"/>'
        '<style:text-properties fo:font-size="10pt"/></style:style>'
        '<style:style style:name="Header" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:text-align="center"/>'
        '<style:text-properties style:font-name="DejaVu Sans" fo:font-size="8.5pt" '
        'fo:color="#555b66"/></style:style>'
        '<style:style style:name="Footer" style:family="paragraph" '
        'style:parent-style-name="Header" style:class="extra"/>'
        f'<text:outline-style style:name="Outline">{outline}</text:outline-style>'
        f'<text:list-style style:name="List_20_1" style:display-name="List 1">'
        f"{_list_levels(False)}</text:list-style>"
        f'<text:list-style style:name="Numbering_20_123" style:display-name="Numbering 123">'
        f"{_list_levels(True)}</text:list-style>"
        "</office:styles>"
        "<office:automatic-styles>"
        '<style:page-layout style:name="Page_A4">'
        '<style:page-layout-properties fo:page-width="21.001cm" fo:page-height="29.7cm" '
        'style:print-orientation="portrait" fo:margin-top="1.4cm" fo:margin-bottom="1.4cm" '
        'fo:margin-left="2cm" fo:margin-right="2cm"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0cm" '
        'fo:margin-bottom="0.5cm"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0cm" '
        'fo:margin-top="0.5cm"/></style:footer-style>'
        "</style:page-layout>"
        "</office:automatic-styles>"
        "<office:master-styles>"
        '<style:master-page style:name="Standard" style:page-layout-name="Page_A4">'
        f'<style:header><text:p text:style-name="Header">{esc(record.title)}</text:p>'
        "</style:header>"
        '<style:footer><text:p text:style-name="Footer">'
        '<text:page-number text:select-page="current">1</text:page-number> / '
        "<text:page-count>1</text:page-count></text:p></style:footer>"
        "</style:master-page>"
        "</office:master-styles>"
        "</office:document-styles>"
    )


def meta_xml(record: DeclarationRecord) -> str:
    created = record.adopted_at or record.version.created_at
    language = record.language or ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-meta {_XMLNS} office:version="{ODF_VERSION}"><office:meta>'
        f"<meta:generator>{GENERATOR}</meta:generator>"
        f"<dc:title>{esc(record.title)}</dc:title>"
        + (f"<dc:language>{esc(language)}</dc:language>" if language else "")
        + f"<meta:creation-date>{odf_datetime(created)}</meta:creation-date>"
        f"<dc:date>{odf_datetime(record.version.created_at)}</dc:date>"
        "</office:meta></office:document-meta>"
    )


def manifest_xml() -> str:
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>'
        for name in ("content.xml", "styles.xml", "meta.xml"))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        f'manifest:version="{ODF_VERSION}">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="{ODF_VERSION}" '
        f'manifest:media-type="{MIMETYPE}"/>'
        + entries + "</manifest:manifest>"
    )


def to_odt(record: DeclarationRecord, _: Translate = identity,
           ui_language: str | None = None) -> bytes:
    """The .odt file. ``ui_language`` is accepted for symmetry with the other exports."""
    labels = Labels(_)
    stamp = _utc(record.version.created_at).timetuple()[:6]
    if stamp[0] < 1980:
        stamp = (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        def add(name: str, data: str, compress: int = zipfile.ZIP_DEFLATED) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = compress
            package.writestr(info, data.encode("utf-8"))

        add("mimetype", MIMETYPE, zipfile.ZIP_STORED)  # first, uncompressed: the magic number
        add("content.xml", content_xml(record, labels))
        add("styles.xml", styles_xml(record))
        add("meta.xml", meta_xml(record))
        add("META-INF/manifest.xml", manifest_xml())
    return buffer.getvalue()
