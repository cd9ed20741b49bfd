"""The PDF export: the HTML export laid out by WeasyPrint (A4, running title, page numbers).

WeasyPrint needs Pango (with HarfBuzz and fontconfig) from the system; on Debian the packages
are ``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0``, and the fonts come from
``fonts-dejavu-core``. It is imported on first use, so the other exports work without them.
"""

from __future__ import annotations

from corep_drafts.exports._common import Translate, identity
from corep_drafts.exports.html import to_html
from corep_drafts.exports.model import DeclarationRecord


def _refusing_fetcher():
    """The export has no external resource; refuse every fetch, so user links can never make
    the server read a file or a URL while laying out a PDF."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=frozenset(), allow_redirects=False)


def to_pdf(
    record: DeclarationRecord, _: Translate = identity, ui_language: str | None = None
) -> bytes:
    import weasyprint

    document = weasyprint.HTML(
        string=to_html(record, _, ui_language), url_fetcher=_refusing_fetcher()
    )
    return document.write_pdf(pdf_tags=True)
