"""Where amendments touch their base, and which of them compete.

Competition is decided on the spans of the individual edits, not on the hull of an
amendment: an amendment that fixes a typo in paragraph 2 and another in paragraph 9 does not
compete with everything in between. Spans are closed intervals in base coordinates; an
insertion is the point ``[p, p]``. Two spans *touch* when they share at least one point, so

- overlapping changes compete;
- adjacent changes compete (``[3, 7]`` and ``[7, 9]``): one rewrites the words right up to
  where the other starts, and the result of adopting both is not what either proposer read;
- an insertion at the boundary of, or inside, the other's change competes;
- two insertions at the same point compete (their order would be arbitrary);
- except: two amendments making the very same edit (same span, same replacement) do not
  compete over it, since the rebase lands that edit once whichever is adopted first.

These are the rebase's rules too, so two amendments compete exactly when adopting either
one makes the other conflicted. An insertion inside repeated text counts at the rightmost
place that gives the same text (see :func:`~corep_drafts.domain.text.edits.normalise_edits`):
a new list item added after item 1 of "...item 1\n\n- item 2" counts as inserted before the
words of item 2, not right after item 1.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

from corep_drafts.domain.text.edits import Edit

K = TypeVar("K", bound=Hashable)


class Span(NamedTuple):
    """A closed range ``[start, end]`` of base positions; a point when start == end."""

    start: int
    end: int

    @property
    def is_point(self) -> bool:
        return self.start == self.end

    def touches(self, other: Span) -> bool:
        return self.start <= other.end and other.start <= self.end


def spans_of(edits: Iterable[Edit]) -> tuple[Span, ...]:
    """The span of each edit, in base coordinates (from its reach: see :class:`Edit`)."""
    return tuple(Span(edit.span_start, edit.end) for edit in edits)


def touched_range(edits: Iterable[Edit]) -> tuple[int, int] | None:
    """The hull of all edits, ``(first start, last end)``, or None when there is no edit."""
    starts_and_ends = [(edit.span_start, edit.end) for edit in edits]
    if not starts_and_ends:
        return None
    return min(s for s, _ in starts_and_ends), max(e for _, e in starts_and_ends)


def edits_touch(first: Edit, second: Edit) -> bool:
    return first.span_start <= second.end and second.span_start <= first.end


def competing(first: Sequence[Edit], second: Sequence[Edit]) -> bool:
    """Whether two amendments on the same base compete (see the module docstring)."""
    return bool(competing_pairs({0: first, 1: second}))


def competing_pairs(amendments: Mapping[K, Sequence[Edit]]) -> set[frozenset[K]]:
    """Every pair of amendments that compete, in O(E log E + touching edit pairs).

    E is the number of edits of all amendments together. A sweep over the edits sorted by
    start keeps the edits whose end has not yet been passed in a heap; every edit still in
    the heap when a new one starts touches it.
    """
    keyed = sorted(
        ((edit, key) for key, edits in amendments.items() for edit in edits),
        key=lambda item: (item[0].span_start, item[0].end),
    )
    open_ends: list[tuple[int, int]] = []
    pairs: set[frozenset[K]] = set()
    for index, (edit, key) in enumerate(keyed):
        while open_ends and open_ends[0][0] < edit.span_start:
            heapq.heappop(open_ends)
        for _, other_index in open_ends:
            other_edit, other = keyed[other_index]
            if other != key and other_edit != edit:
                pairs.add(frozenset((key, other)))
        heapq.heappush(open_ends, (edit.end, index))
    return pairs
