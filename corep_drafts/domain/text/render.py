"""HTML views of diffs and drafts. Every piece of user text is escaped; only the markup
written here is trusted. Paragraph text keeps its line breaks, so style the text containers
with ``white-space: pre-wrap``.

CSS classes (all prefixed ``cd-``):

``cd-diff``                the whole diff; with ``cd-diff--inline`` or ``cd-diff--side-by-side``
``cd-hunk``                a run of shown paragraphs (changed ones plus context); a
                           ``<section>`` inline, a ``<tbody>`` side by side
``cd-para``                one paragraph (a ``<tr>`` side by side)
``cd-para--changed``       ... that an amendment changes
``cd-para--context``       ... shown only as context around a change
``cd-para--touched``       (draft) ... that at least one amendment touches
``cd-kind-heading``, ``cd-kind-list-item``, ``cd-kind-paragraph``: the paragraph's kind
``cd-para-number``         the paragraph number (``<th scope="row">`` side by side)
``cd-para-text``           the paragraph's text
``cd-old``, ``cd-new``     side by side: the current and the amended text cell
``cd-del``, ``cd-ins``     deleted (``<del>``) and inserted (``<ins>``) text
``cd-newline``             a visible ¶ for a line break inside ``<del>``/``<ins>`` (aria-hidden)
``cd-draft``               the whole draft (``<article>``)
``cd-touched``             (draft) text some amendment changes (``<mark>``)
``cd-insertion-point``     (draft) a place where some amendment inserts text (aria-hidden)
``cd-markers``, ``cd-marker``  (draft) the list of amendments touching a paragraph, one item each
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup, escape

from corep_drafts.domain.text.diffing import diff_words, edits_between
from corep_drafts.domain.text.edits import DELETE, EQUAL, INSERT, Diff, Edit
from corep_drafts.domain.text.paragraphs import ParagraphIndex

K = TypeVar("K", bound=Hashable)

_NEWLINE_MARK = '<span class="cd-newline" aria-hidden="true">¶</span>'


def _paragraph_span(first: int, last: int) -> str:
    return f"¶ {first}" if first == last else f"¶ {first}–{last}"


@dataclass(frozen=True)
class Wording:
    """The few words the HTML carries for screen readers and headers. The engine speaks no
    language: these defaults are symbols, and the application passes words in the reader's."""

    paragraphs: Callable[[int, int], str] = _paragraph_span
    amendments_to: Callable[[int], str] = lambda number: f"¶ {number}"
    old_label: str = "−"
    new_label: str = "+"


SYMBOLS = Wording()


def render_inline(
    base: str, amended: str, context_paragraphs: int = 1, *, wording: Wording = SYMBOLS
) -> Markup:
    """The changed paragraphs of ``base`` with context, changes marked ``<ins>``/``<del>``."""
    index = ParagraphIndex(base)
    per_paragraph = _diff_per_paragraph(diff_words(base, amended), index)
    parts = ['<div class="cd-diff cd-diff--inline">']
    for hunk in _hunks(per_paragraph, context_paragraphs):
        span = escape(wording.paragraphs(hunk[0] + 1, hunk[-1] + 1))
        parts.append(f'<section class="cd-hunk" aria-label="{span}">')
        for number in hunk:
            diff = per_paragraph[number]
            parts.append(
                f'<div class="{_paragraph_classes(index, number, _is_changed(diff))}"'
                f' data-paragraph="{number + 1}">'
                f'<span class="cd-para-number">{number + 1}</span>'
                f'<div class="cd-para-text">{_render_ops(_trim_gaps(diff))}</div></div>'
            )
        parts.append("</section>")
    parts.append("</div>")
    return Markup("".join(parts))  # nosec B704  # every piece of text in it went through escape() above


def render_side_by_side(
    base: str,
    amended: str,
    context_paragraphs: int = 1,
    *,
    wording: Wording = SYMBOLS,
    old_label: str | None = None,
    new_label: str | None = None,
) -> Markup:
    """A table with one row per shown paragraph: current text left, amended text right."""
    old_label = wording.old_label if old_label is None else old_label
    new_label = wording.new_label if new_label is None else new_label
    index = ParagraphIndex(base)
    per_paragraph = _diff_per_paragraph(diff_words(base, amended), index)
    parts = [
        '<table class="cd-diff cd-diff--side-by-side"><thead><tr>'
        '<th scope="col" class="cd-para-number">¶</th>'
        f'<th scope="col" class="cd-old">{escape(old_label)}</th>'
        f'<th scope="col" class="cd-new">{escape(new_label)}</th>'
        "</tr></thead>"
    ]
    for hunk in _hunks(per_paragraph, context_paragraphs):
        parts.append('<tbody class="cd-hunk">')
        for number in hunk:
            diff = _trim_gaps(per_paragraph[number])
            classes = _paragraph_classes(index, number, _is_changed(diff))
            old_side = [(op, text) for op, text in diff if op != INSERT]
            new_side = [(op, text) for op, text in diff if op != DELETE]
            parts.append(
                f'<tr class="{classes}" data-paragraph="{number + 1}">'
                f'<th scope="row" class="cd-para-number">{number + 1}</th>'
                f'<td class="cd-old">{_render_ops(old_side)}</td>'
                f'<td class="cd-new">{_render_ops(new_side)}</td></tr>'
            )
        parts.append("</tbody>")
    parts.append("</table>")
    return Markup("".join(parts))  # nosec B704  # every piece of text in it went through escape() above


def render_draft(
    base: str,
    amendments: Mapping[K, Sequence[Edit] | str],
    label: Callable[[K], str] = str,
    *,
    wording: Wording = SYMBOLS,
) -> Markup:
    """The whole draft, every paragraph listing the amendments that touch it.

    ``amendments`` maps keys to edits on ``base`` or to full amended texts. ``label(key)`` is
    escaped unless it returns ``Markup`` (say, a link the caller built safely).
    """
    index = ParagraphIndex(base)
    markers: list[list[K]] = [[] for _ in index.paragraphs]
    spans: list[tuple[int, int]] = []
    for key, value in amendments.items():
        edits = edits_between(base, value) if isinstance(value, str) else value
        touched: set[int] = set()
        for edit in edits:
            spans.append((edit.start, edit.end))
            last = edit.end - 1 if edit.end > edit.start else edit.end
            touched.update(range(index.index_at(edit.start), index.index_at(last) + 1))
        for number in sorted(touched):
            if number < len(markers):
                markers[number].append(key)
    ranges, points = _union(spans)
    parts = ['<article class="cd-draft">']
    for number, paragraph in enumerate(index.paragraphs):
        keys = markers[number]
        classes = _paragraph_classes(index, number, False, touched=bool(keys))
        text = _render_marked(
            base, (paragraph.start, paragraph.end), index.extent(number), ranges, points
        )
        parts.append(
            f'<div class="{classes}" id="cd-para-{number + 1}" data-paragraph="{number + 1}">'
            f'<span class="cd-para-number">{number + 1}</span>'
            f'<div class="cd-para-text">{text}</div>'
        )
        if keys:
            items = "".join(f'<li class="cd-marker">{escape(label(key))}</li>' for key in keys)
            parts.append(
                f'<ul class="cd-markers" aria-label="{escape(wording.amendments_to(number + 1))}">'
                f"{items}</ul>"
            )
        parts.append("</div>")
    parts.append("</article>")
    return Markup("".join(parts))  # nosec B704  # every piece of text in it went through escape() above


def _diff_per_paragraph(diff: Diff, index: ParagraphIndex) -> list[Diff]:
    """The diff cut at paragraph extents; an insertion goes to the extent holding its point."""
    count = index.extent_count
    result: list[Diff] = [[] for _ in range(count)]
    bounds = [index.extent(number) for number in range(count)]
    current = 0
    position = 0
    for op, text in diff:
        if op == INSERT:
            result[index.index_at(position)].append((op, text))
            continue
        offset = 0
        while offset < len(text):
            while bounds[current][1] <= position and current + 1 < count:
                current += 1
            take = min(len(text) - offset, bounds[current][1] - position)
            if take <= 0:
                take = len(text) - offset
            result[current].append((op, text[offset : offset + take]))
            offset += take
            position += take
    return result


def _is_changed(diff: Diff) -> bool:
    return any(op != EQUAL for op, _ in diff)


def _hunks(per_paragraph: list[Diff], context: int) -> list[list[int]]:
    shown: set[int] = set()
    for number, diff in enumerate(per_paragraph):
        if _is_changed(diff):
            low, high = max(number - context, 0), min(number + context, len(per_paragraph) - 1)
            shown.update(range(low, high + 1))
    hunks: list[list[int]] = []
    for number in sorted(shown):
        if hunks and hunks[-1][-1] + 1 == number:
            hunks[-1].append(number)
        else:
            hunks.append([number])
    return hunks


def _trim_gaps(diff: Diff) -> Diff:
    # The blank lines around a paragraph separate it from the next; unchanged, they would
    # only add empty lines to the display.
    trimmed = list(diff)
    if trimmed and trimmed[0][0] == EQUAL:
        trimmed[0] = (EQUAL, trimmed[0][1].lstrip("\r\n"))
    if trimmed and trimmed[-1][0] == EQUAL:
        trimmed[-1] = (EQUAL, trimmed[-1][1].rstrip("\r\n"))
    return [(op, text) for op, text in trimmed if text]


def _render_ops(diff: Iterable[tuple[int, str]]) -> str:
    parts = []
    for op, text in diff:
        if op == EQUAL:
            parts.append(str(escape(text)))
        else:
            tag = "ins" if op == INSERT else "del"
            shown = str(escape(text)).replace("\n", _NEWLINE_MARK + "\n")
            parts.append(f'<{tag} class="cd-{tag}">{shown}</{tag}>')
    return "".join(parts)


def _paragraph_classes(
    index: ParagraphIndex, number: int, changed: bool, *, touched: bool | None = None
) -> str:
    kind = index.paragraphs[number].kind if index.paragraphs else "paragraph"
    classes = ["cd-para", f"cd-kind-{kind.replace('_', '-')}"]
    if touched is None:
        classes.append("cd-para--changed" if changed else "cd-para--context")
    elif touched:
        classes.append("cd-para--touched")
    return " ".join(classes)


def _union(spans: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[int]]:
    """Merged non-empty ranges, and the insertion points that lie outside all of them."""
    ranges: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
        else:
            ranges.append((start, end))
    points = sorted({start for start, end in spans if start == end})
    outside = []
    at = 0
    for point in points:
        while at < len(ranges) and ranges[at][1] < point:
            at += 1
        if not (at < len(ranges) and ranges[at][0] < point < ranges[at][1]):
            outside.append(point)
    return ranges, outside


def _render_marked(
    base: str,
    paragraph: tuple[int, int],
    extent: tuple[int, int],
    ranges: list[tuple[int, int]],
    points: list[int],
) -> str:
    """The paragraph's text with touched ranges and insertion points marked.

    Points in the blank lines around the paragraph (its extent) are shown at its edge.
    """
    start, end = paragraph
    marks: list[tuple[int, int, str]] = []
    first = bisect_left(ranges, (start, start)) - 1
    for range_start, range_end in ranges[max(first, 0) :]:
        if range_start >= end:
            break
        if range_end > start:
            marks.append((max(range_start, start), min(range_end, end), "range"))
    extent_end = extent[1] + 1 if extent[1] == len(base) else extent[1]
    shown_points = {
        min(max(point, start), end)
        for point in points[bisect_left(points, extent[0]) : bisect_left(points, extent_end)]
    }
    marks.extend((point, point, "point") for point in shown_points)
    marks.sort()
    parts = []
    position = start
    for mark_start, mark_end, kind in marks:
        if mark_start < position:
            continue
        parts.append(str(escape(base[position:mark_start])))
        if kind == "point":
            parts.append('<span class="cd-insertion-point" aria-hidden="true">‸</span>')
        else:
            parts.append(f'<mark class="cd-touched">{escape(base[mark_start:mark_end])}</mark>')
        position = mark_end
    parts.append(str(escape(base[position:end])))
    return "".join(parts)
