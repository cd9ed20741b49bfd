"""The OpenDocument text export (.odt), written by hand with zipfile: no new dependency.

The body is the adopted text with **the last round's changes as tracked changes**, which
LibreOffice and Word can accept or reject one by one: accepting all gives ``record.text``,
rejecting all gives ``record.round_base_text``. The record follows as tables.

The body and its tracked changes are built in :mod:`corep_drafts.exports.odt_body`.
"""

from __future__ import annotations

import functools
import io
import re
import string
import zipfile
from importlib import resources

from corep_drafts.domain.text import states_title
from corep_drafts.exports._common import Labels, Translate, identity
from corep_drafts.exports.model import DeclarationRecord, VoteSummary
from corep_drafts.exports.odt_body import (
    GENERATOR,
    XMLNS,
    as_utc,
    attr,
    blocks_xml,
    body_with_changes,
    esc,
    inline_xml,
    merged_units,
    odf_datetime,
    tracked_changes_xml,
)

MIMETYPE = "application/vnd.oasis.opendocument.text"
ODF_VERSION = "1.3"
DECLARATION_SECTION = "Declaration"
RECORD_SECTION = "Record"

# --------------------------------------------------------------------------------------------
# The record appendix


class _Tables:
    def __init__(self) -> None:
        self.count = 0

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]], name: str) -> str:
        self.count += 1
        out = [
            f'<table:table table:name="{attr(name)} {self.count}" table:style-name="Record_Table">',
            f'<table:table-column table:number-columns-repeated="{len(header)}"/>',
            "<table:table-header-rows><table:table-row>",
        ]
        out += [
            f'<table:table-cell table:style-name="Record_Cell" office:value-type="string">'
            f'<text:p text:style-name="Table_20_Heading">{esc(cell)}</text:p>'
            "</table:table-cell>"
            for cell in header
        ]
        out.append("</table:table-row></table:table-header-rows>")
        for row in rows:
            out.append("<table:table-row>")
            out += [
                f'<table:table-cell table:style-name="Record_Cell" office:value-type="string">'
                f'<text:p text:style-name="Table_20_Contents">{esc(cell)}</text:p>'
                f"</table:table-cell>"
                for cell in row
            ]
            out.append("</table:table-row>")
        out.append("</table:table>")
        return "".join(out)


def _h(level: int, text: str, style: str | None = None) -> str:
    return (
        f'<text:h text:style-name="{style or f"Heading_20_{level}"}" '
        f'text:outline-level="{level}">{esc(text)}</text:h>'
    )


def _p(text: str, style: str = "Text_20_body") -> str:
    return f'<text:p text:style-name="{style}">{inline_xml(list(text))}</text:p>'


def _vote_xml(vote: VoteSummary, labels: Labels, tables: _Tables, name: str) -> str:
    facts = " · ".join(f"{label}: {value}" for label, value in labels.vote_facts(vote))
    return (
        _p(vote.explanation, "Record_20_Explanation")
        + _p(facts, "Record_20_Meta")
        + tables.table(labels.vote_header(), labels.vote_rows(vote), name)
    )


def record_xml(record: DeclarationRecord, labels: Labels) -> str:
    _ = labels._
    tables = _Tables()
    out = [_h(1, _("Record"), "Record_20_Heading")]
    out.append(
        tables.table(
            (_("Item"), _("Value")),
            [(label, value) for _key, label, value in labels.facts(record)],
            _("Record"),
        )
    )
    out.append(_h(2, _("Versions")))
    out.append(tables.table(labels.version_header(), labels.version_rows(record), _("Versions")))
    out.append(_h(2, _("Amendments")))
    if record.amendments:
        out.append(
            tables.table(
                labels.amendment_header(),
                [labels.amendment_row(a) for a in record.amendments],
                _("Amendments"),
            )
        )
        for amendment in record.amendments:
            out.append(
                _h(
                    3,
                    f"{labels.amendment_heading(amendment)} ({labels.outcome(amendment.status)})",
                )
            )
            if amendment.cosponsors:
                out.append(
                    _p(
                        f"{_('Co-sponsors')}: {labels.cosponsors(amendment)}",
                        "Record_20_Meta",
                    )
                )
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
    out.append(
        _p(
            _(
                "Exported from corep-drafts. Times are UTC. Hashes are SHA-256; each "
                "version’s hash covers the one before it."
            ),
            "Record_20_Meta",
        )
    )
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
    title_in_text = bool(paragraphs) and states_title(
        "".join(i for i in paragraphs[0].items if isinstance(i, str)),
        paragraphs[0].block.kind,
        record.title,
    )
    title = "" if title_in_text else _p(record.title, "Title")
    if record.text_status != "authoritative":
        title = _p(labels.text_state(record), "Record_20_Meta") + title
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {XMLNS} office:version="{ODF_VERSION}">'
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
        align = (
            f"<style:list-level-properties text:list-level-position-and-space-mode="
            f'"label-alignment"><style:list-level-label-alignment text:label-followed-by='
            f'"listtab" text:list-tab-stop-position="{indent:.3f}cm" '
            f'fo:text-indent="-0.635cm" fo:margin-left="{indent:.3f}cm"/>'
            f"</style:list-level-properties>"
        )
        if ordered:
            out.append(
                f'<text:list-level-style-number text:level="{level}" '
                f'style:num-suffix="." style:num-format="1">{align}'
                f"</text:list-level-style-number>"
            )
        else:
            bullet = "•◦▪"[(level - 1) % 3]
            out.append(
                f'<text:list-level-style-bullet text:level="{level}" '
                f'text:bullet-char="{bullet}">{align}</text:list-level-style-bullet>'
            )
    return "".join(out)


_HEADING_SIZES = {1: "20pt", 2: "16pt", 3: "13.5pt", 4: "12pt", 5: "11pt", 6: "11pt"}


@functools.cache
def _styles_template() -> string.Template:
    """odt_styles.xml, read once, as the template styles_xml fills. The file is laid out to be
    read and edited, the package gets it compact: comments go, a line break between two
    elements (or placeholders of elements) goes, one inside a tag becomes a space. This is done
    before filling in, so that the values (the title) are kept as they are."""
    resource = resources.files("corep_drafts.exports").joinpath("odt_styles.xml")
    text = resource.read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"([>}])\s*\n\s*(<|\$\{)", r"\1\2", text.strip())
    return string.Template(re.sub(r"\s*\n\s*", " ", text))


def styles_xml(record: DeclarationRecord) -> str:
    """The styles; what does not depend on the record is in odt_styles.xml."""
    heading_styles = "".join(
        f'<style:style style:name="Heading_20_{level}" style:display-name="Heading {level}" '
        f'style:family="paragraph" style:parent-style-name="Heading" '
        f'style:next-style-name="Text_20_body" style:default-outline-level="{level}" '
        f'style:class="text"><style:text-properties fo:font-size="{size}" '
        f'fo:font-weight="bold"/></style:style>'
        for level, size in _HEADING_SIZES.items()
    )
    outline_levels = "".join(
        f'<text:outline-level-style text:level="{level}" style:num-format=""/>'
        for level in range(1, 11)
    )
    return _styles_template().substitute(
        namespaces=XMLNS,
        odf_version=ODF_VERSION,
        language_properties=_language_properties(record.language),
        heading_styles=heading_styles,
        outline_levels=outline_levels,
        bullet_list_levels=_list_levels(False),
        numbered_list_levels=_list_levels(True),
        title=esc(record.title),
    )


def meta_xml(record: DeclarationRecord) -> str:
    created = record.adopted_at or record.version.created_at
    language = record.language or ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-meta {XMLNS} office:version="{ODF_VERSION}"><office:meta>'
        f"<meta:generator>{GENERATOR}</meta:generator>"
        f"<dc:title>{esc(record.title)}</dc:title>"
        + (f"<dc:language>{esc(language)}</dc:language>" if language else "")
        + f"<meta:creation-date>{odf_datetime(created)}</meta:creation-date>"
        f"<dc:date>{odf_datetime(record.version.created_at)}</dc:date>"
        + (
            '<meta:user-defined meta:name="corep-chain-head">'
            f"{esc(record.chain_head)}</meta:user-defined>"
            if record.chain_head
            else ""
        )
        + "</office:meta></office:document-meta>"
    )


def manifest_xml() -> str:
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>'
        for name in ("content.xml", "styles.xml", "meta.xml")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        f'manifest:version="{ODF_VERSION}">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="{ODF_VERSION}" '
        f'manifest:media-type="{MIMETYPE}"/>' + entries + "</manifest:manifest>"
    )


def to_odt(record: DeclarationRecord, _: Translate = identity) -> bytes:
    """The .odt file."""
    labels = Labels(_)
    stamp = as_utc(record.version.created_at).timetuple()[:6]
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
