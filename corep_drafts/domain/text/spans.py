"""Where amendments touch their base, and which of them compete.

Competition is decided on *clusters* of minimal edits (see :mod:`.clusters`): the edits of
one amendment fewer than ``GAP_WORDS`` unchanged words apart form one cluster, whose hull
stands for them. An amendment that fixes a typo in paragraph 2 and another in paragraph 9
does not compete with everything in between; one that rewrites a sentence, keeping a few of
its words, competes with any change to those kept words. Spans are closed intervals in base
coordinates; an insertion is the point ``[p, p]``. Two spans *touch* when they share at
least one point, so

- overlapping changes compete;
- adjacent changes compete (``[3, 7]`` and ``[7, 9]``): one rewrites the words right up to
  where the other starts, and the result of adopting both is not what either proposer read;
- an insertion at the boundary of, or inside, the other's change competes;
- two insertions at the same point compete (their order would be arbitrary);
- a change to a word that the other amendment kept between two of its edits fewer than
  ``GAP_WORDS`` words apart competes (it falls inside that amendment's cluster);
- except: two amendments making the very same edit (same span, same replacement) do not
  compete over it, since the rebase lands that edit once whichever is adopted first. Such
  an edit is left out of both amendments' clusters before they are compared.

These are the rebase's rules too, so two amendments compete exactly when adopting either
one makes the other conflicted. An insertion inside repeated text counts from the leftmost
place within its line that gives the same text (see :class:`~.edits.Edit`).
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

from corep_drafts.domain.text.clusters import clusters_of, touching_clusters
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


def competing(first: Sequence[Edit], second: Sequence[Edit]) -> bool:
    """Whether two amendments on the same base compete (see the module docstring)."""
    return bool(touching_clusters(first, second))


def competing_pairs(amendments: Mapping[K, Sequence[Edit]]) -> set[frozenset[K]]:
    """Every pair of amendments that compete, in O(C log C + candidate pairs).

    C is the number of clusters of all amendments together. A sweep over the cluster hulls
    sorted by start keeps the hulls whose end has not yet been passed in a heap; every hull
    of another amendment still in the heap when a new one starts touches it, and the pair is
    a candidate. A candidate pair that shares no identical edit competes; one that does is
    decided exactly, as the rebase decides it, in one walk over the two amendments' edits
    (identical edits dropped from both and clusters formed again, which can only shrink
    them, so no competing pair is missed by the sweep).
    """
    edits_of = amendments
    keyed = sorted(
        (
            (cluster.start, cluster.end, key)
            for key, edits in edits_of.items()
            for cluster in clusters_of(edits)
        ),
        key=lambda item: (item[0], item[1]),
    )
    open_ends: list[tuple[int, int]] = []
    candidates: set[frozenset[K]] = set()
    for index, (start, end, key) in enumerate(keyed):
        while open_ends and open_ends[0][0] < start:
            heapq.heappop(open_ends)
        for _, other_index in open_ends:
            other = keyed[other_index][2]
            if other != key:
                candidates.add(frozenset((key, other)))
        heapq.heappush(open_ends, (end, index))
    edit_sets: dict[K, frozenset[Edit]] = {}

    def identities(key: K) -> frozenset[Edit]:
        if key not in edit_sets:
            edit_sets[key] = frozenset(edits_of[key])
        return edit_sets[key]

    pairs: set[frozenset[K]] = set()
    for pair in candidates:
        first, second = pair
        if identities(first).isdisjoint(identities(second)) or touching_clusters(
            edits_of[first], edits_of[second]
        ):
            pairs.add(pair)
    return pairs
