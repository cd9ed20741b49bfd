"""Exports of a declaration with its record: Markdown, printable HTML, PDF, OpenDocument.

    from corep_drafts.exports import export, MEDIA_TYPES, FILE_EXTENSIONS
    data = export(record, "pdf", _=gettext, ui_language="de")

``record`` is a :class:`~corep_drafts.exports.model.DeclarationRecord` (built by
services.record); every export reads only it. ``_`` translates the appendix's labels (identity
by default) and ``ui_language`` tags them with their language; the text itself is tagged with
``record.language``.
"""

from __future__ import annotations

from corep_drafts.exports._common import Translate, identity
from corep_drafts.exports.model import DeclarationRecord

FORMATS = ("md", "html", "pdf", "odt")

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
}

FILE_EXTENSIONS = {"md": ".md", "html": ".html", "pdf": ".pdf", "odt": ".odt"}


class UnknownFormat(ValueError):
    pass


def export(
    record: DeclarationRecord,
    fmt: str,
    *,
    _: Translate | None = None,
    ui_language: str | None = None,
) -> bytes:
    """The declaration and its record in ``fmt`` (one of :data:`FORMATS`), as bytes."""
    translate = _ or identity
    if fmt == "md":
        from corep_drafts.exports.markdown import to_markdown

        return to_markdown(record, translate).encode("utf-8")
    if fmt == "html":
        from corep_drafts.exports.html import to_html

        return to_html(record, translate, ui_language).encode("utf-8")
    if fmt == "pdf":
        from corep_drafts.exports.pdf import to_pdf

        return to_pdf(record, translate, ui_language)
    if fmt == "odt":
        from corep_drafts.exports.odt import to_odt

        return to_odt(record, translate)
    raise UnknownFormat(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


__all__ = ["FILE_EXTENSIONS", "FORMATS", "MEDIA_TYPES", "UnknownFormat", "export"]
