"""User text to safe HTML: Markdown with raw HTML off, then sanitised by nh3."""

import textwrap
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from corep_drafts.domain.text import split_paragraphs, states_title

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

_ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}


def _sanitise(html: str) -> Markup:
    return Markup(  # nosec B704  # nh3 (ammonia) keeps only the allow-listed tags and attributes
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href", "title"}, "ol": {"start"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


def render_markdown(text: str) -> Markup:
    return _sanitise(_markdown.render(text))


def render_declaration(text: str, title: str) -> Markup:
    """The text under a page whose <h1> is already the title: headings go one level down, and an
    opening heading that only repeats the title is not shown twice."""
    paragraphs = split_paragraphs(text)
    if paragraphs and states_title(
        text[paragraphs[0].start : paragraphs[0].end], paragraphs[0].kind, title
    ):
        text = text[paragraphs[0].end :]
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return _sanitise(_markdown.renderer.render(tokens, _markdown.options, {}))


# The draft page renders every paragraph of the current text on each request, and the text
# changes only when an amendment is adopted: the same paragraphs come back again and again.
# Only paragraphs up to this size are kept, so the cache stays small (at most ~4096 * 8 KB).
_CACHED_PARAGRAPH_CHARS = 4096
_CACHED_PARAGRAPHS = 4096


def render_paragraph(raw: str, kind: str, title: str) -> Markup | None:
    """One numbered paragraph (``domain.text.split_paragraphs``) rendered alone, as the draft
    page and the exports show it; None when it is an opening heading that only states the title,
    which the page already shows as its heading. A list item is rendered without its indent."""
    if len(raw) + len(title) <= _CACHED_PARAGRAPH_CHARS:
        return _render_paragraph_cached(raw, kind, title)
    return _render_paragraph(raw, kind, title)


def _render_paragraph(raw: str, kind: str, title: str) -> Markup | None:
    source = textwrap.dedent(raw) if kind == "list_item" else raw
    html = render_declaration(source, title)
    return html if str(html).strip() else None


_render_paragraph_cached = lru_cache(maxsize=_CACHED_PARAGRAPHS)(_render_paragraph)


def render_passage(text: str) -> Markup:
    """One paragraph of a text under a page heading, as ``render_declaration(text, "")``: the
    reading view renders every passage on each request, and an adopted text rarely changes."""
    if len(text) <= _CACHED_PARAGRAPH_CHARS:
        return _render_passage_cached(text)
    return render_declaration(text, "")


@lru_cache(maxsize=_CACHED_PARAGRAPHS)
def _render_passage_cached(text: str) -> Markup:
    return render_declaration(text, "")
