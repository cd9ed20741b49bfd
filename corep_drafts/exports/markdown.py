"""The Markdown export: the text byte for byte, a rule, then the record as Markdown tables.

Everything after the text is written so that it cannot change how the text reads or break its
own tables: user text in a table cell is kept on one line, with ``|`` and ``<`` escaped (so a
renderer with raw HTML on still shows ``<script>`` as text, as the site does), and plain
values (names, labels) have Markdown punctuation escaped.
"""

from __future__ import annotations

import re

from corep_drafts.exports._common import Labels, Translate, identity, voted
from corep_drafts.exports.model import DeclarationRecord, VoteSummary

_PLAIN_SPECIALS = re.compile(r"([\\`*_\[\]<>|#!~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def plain(value: str) -> str:
    """Plain text for a Markdown line or table cell: literal, on one line."""
    return _PLAIN_SPECIALS.sub(r"\\\1", _LINE_BREAKS.sub(" ", value).strip())


def markdown_cell(value: str) -> str:
    """User Markdown for a table cell: its inline Markdown kept, on one line, no cell breaks."""
    value = _LINE_BREAKS.sub(" ", value).strip()
    return value.replace("|", "\\|").replace("<", "\\<")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _vote_lines(vote: VoteSummary, labels: Labels) -> list[str]:
    lines = [plain(vote.explanation), ""]
    lines += _table(
        (labels._("Item"), labels._("Value")),
        [(plain(k), plain(v)) for k, v in labels.vote_facts(vote)],
    )
    lines.append("")
    lines += _table(
        labels.vote_header(), [tuple(plain(cell) for cell in row) for row in labels.vote_rows(vote)]
    )
    lines.append("")
    return lines


def to_markdown(record: DeclarationRecord, _: Translate = identity) -> str:
    labels = Labels(_)
    text = record.text
    lines: list[str] = []
    # A blank line before the rule: right after a paragraph line, "---" would make it a heading.
    separator = "\n" if text.endswith("\n") else "\n\n"
    lines += ["---", "", "## " + plain(_("Record")), ""]
    facts = [(plain(label), plain(value)) for _key, label, value in labels.facts(record)]
    lines += _table((_("Item"), _("Value")), facts)
    lines += ["", "### " + plain(_("Versions")), ""]
    lines += _table(
        labels.version_header(),
        [tuple(plain(cell) for cell in row) for row in labels.version_rows(record)],
    )
    lines += ["", "### " + plain(_("Amendments")), ""]
    if record.amendments:
        header = labels.amendment_header() + (_("Rationale"),)
        rows = [
            tuple(plain(cell) for cell in labels.amendment_row(a)) + (markdown_cell(a.rationale),)
            for a in record.amendments
        ]
        lines += _table(header, rows)
    else:
        lines.append(plain(_("No amendments.")))
    lines.append("")
    votes = voted(record)
    if votes:
        lines += ["### " + plain(_("Votes on amendments")), ""]
        for amendment in votes:
            lines += ["#### " + plain(labels.amendment_heading(amendment)), ""]
            lines += _vote_lines(amendment.vote, labels)
    lines += ["### " + plain(_("Final vote")), ""]
    if record.final_vote is not None:
        lines += _vote_lines(record.final_vote, labels)
    else:
        lines += [plain(_("No final vote yet.")), ""]
    return text + separator + "\n".join(lines).rstrip("\n") + "\n"
