"""The HTML export: one standalone, printable file (inline CSS, no script, no external asset).

Rendered with a plain Jinja environment over ``templates/exports`` so that it works without a
Flask application (command line, workers). The declaration text goes through
:func:`corep_drafts.rendering.render_paragraph` paragraph by paragraph, numbered as on the
site; rationales through :func:`corep_drafts.rendering.render_markdown`; everything else is
autoescaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from corep_drafts.domain.text import split_paragraphs
from corep_drafts.exports._common import (
    Labels,
    Translate,
    format_date,
    format_datetime,
    identity,
    short_hash,
    voted,
)
from corep_drafts.exports.model import DeclarationRecord
from corep_drafts.i18n import text_direction
from corep_drafts.rendering import render_markdown, render_paragraph

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "exports"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Paragraph:
    number: int
    kind: str  # heading | list-item | paragraph
    html: Markup


def numbered_paragraphs(text: str, title: str) -> tuple[int | None, list[Paragraph]]:
    """The text's paragraphs as the site numbers them (domain.text.split_paragraphs), each
    rendered alone, so that "paragraph 7" means the same paragraph everywhere. An opening
    heading that only repeats the title is not repeated: the export's own <h1> is the title,
    and carries that paragraph's number (returned first, else None)."""
    title_number = None
    paragraphs = []
    for paragraph in split_paragraphs(text):
        html = render_paragraph(text[paragraph.start : paragraph.end], paragraph.kind, title)
        if html is not None:
            paragraphs.append(Paragraph(paragraph.number, paragraph.kind.replace("_", "-"), html))
        elif paragraph.number == 1 and paragraph.kind == "heading":
            title_number = 1
    return title_number, paragraphs


def to_html(
    record: DeclarationRecord, _: Translate = identity, ui_language: str | None = None
) -> str:
    template = environment().get_template("declaration.html")
    title_number, paragraphs = numbered_paragraphs(record.text, record.title)
    return template.render(
        record=record,
        title_number=title_number,
        paragraphs=paragraphs,
        labels=Labels(_),
        voted=voted(record),
        ui_language=ui_language,
        _=_,
        render_markdown=render_markdown,
        format_datetime=format_datetime,
        format_date=format_date,
        short_hash=short_hash,
        text_direction=text_direction,
    )
