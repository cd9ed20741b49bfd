"""Clusters: an amendment's edits that stand so close together that they are one change.

Merges are decided on minimal word edits, so that two changes a few words apart are seen
apart. But a minimal diff of a rewritten sentence keeps the scattered words the rewrite
happens to share with the old one ("the", "of"), and another amendment changing such a kept
word would otherwise be carried into the rewrite silently. So the edits of one side are
grouped: consecutive edits separated by fewer than :data:`GAP_WORDS` unchanged words form
one *cluster*, and a cluster's hull (from its first edit's reach to its last edit's end,
closed) is what must not touch the other side's clusters.

What the threshold buys: spans are closed, so changing a kept word right next to an edit
touches that edit anyway. With ``GAP_WORDS = 3`` (one or two kept words between two edits)
the clusters add the insertion between two kept words, which touches neither edit, and they
report the whole rewritten passage as the conflict. A change to the middle one of three or
more kept words is carried. (The corpus tests pass with thresholds up to 6.)

Words are counted with the package's tokenizer (:func:`~.tokens.word_tokens`), so a Chinese
or Japanese character counts as a word; line breaks, spaces and tokens of punctuation alone
are not words. Counting stops at :data:`GAP_WORDS`, so marking an amendment's edits costs
a few token matches per edit, whatever the length of the text between them.

Each edit carries its word positions (:attr:`Edit.words`): counted from the amendment's
first edit, capped per stretch, which is enough to tell whether the words between any two
of its edits number fewer than :data:`GAP_WORDS`, also after the edits between them were
dropped (an edit both sides made identically lands once and belongs to neither side's
clusters; the words it replaced then count as unchanged words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from corep_drafts.domain.text.edits import Edit
from corep_drafts.domain.text.tokens import TOKEN_PATTERN

GAP_WORDS = 3
"""Edits of one side fewer than this many unchanged words apart form one cluster."""


_WORD_CHARACTER = re.compile(r"\w")


def count_words(text: str, start: int, end: int, cap: int = GAP_WORDS) -> int:
    """How many words ``text[start:end]`` holds, counting no further than ``cap``.

    A word is a token holding a letter or digit: a token of punctuation alone ("— ", "「")
    or a line break is no word.
    """
    count = 0
    if start >= end:
        return 0
    has_word = _WORD_CHARACTER.search
    for match in TOKEN_PATTERN.finditer(text, start, end):
        if has_word(match.group()):
            count += 1
            if count >= cap:
                break
    return count


def with_word_positions(base: str, edits: Sequence[Edit]) -> tuple[Edit, ...]:
    """The edits, sorted and apart, each with its word positions on ``base`` (see module)."""
    result: list[Edit] = []
    position = 0
    previous_end: int | None = None
    for edit in edits:
        start = edit.span_start
        if previous_end is not None:
            position += count_words(base, previous_end, start)
        first = position
        position += count_words(base, start, edit.end)
        result.append(Edit(edit.start, edit.end, edit.replacement, edit.reach, (first, position)))
        previous_end = edit.end
    return tuple(result)


def words_between(before: Edit, after: Edit) -> int | None:
    """Unchanged words between two edits of one side (at least GAP_WORDS when far apart);
    None when either edit does not know its word positions."""
    if before.words is None or after.words is None:
        return None
    return after.words[0] - before.words[1]


class Cluster(NamedTuple):
    """Edits of one side close enough to be one change: ``[start, end]`` is their hull
    (closed, from the first edit's reach) and ``members`` their indexes in the side's edits."""

    start: int
    end: int
    members: tuple[int, ...]

    def touches(self, other: Cluster) -> bool:
        return self.start <= other.end and other.start <= self.end

    def report_span(self, edits: Sequence[Edit]) -> tuple[int, int]:
        """``(start, end)`` from the first member's start to the last member's end."""
        return edits[self.members[0]].start, edits[self.members[-1]].end


def clusters_of(
    edits: Sequence[Edit], dropped: frozenset[int] | set[int] = frozenset()
) -> list[Cluster]:
    """The clusters of sorted, non-touching edits, leaving out the indexes in ``dropped``.

    An edit without word positions (built by hand, say) is a cluster of its own.
    """
    clusters: list[Cluster] = []
    members: list[int] = []
    previous: Edit | None = None
    for index, edit in enumerate(edits):
        if index in dropped:
            continue
        if previous is not None:
            gap = words_between(previous, edit)
            if gap is None or gap >= GAP_WORDS:
                clusters.append(_cluster(edits, members))
                members = []
        members.append(index)
        previous = edit
    if members:
        clusters.append(_cluster(edits, members))
    return clusters


def _cluster(edits: Sequence[Edit], members: list[int]) -> Cluster:
    return Cluster(edits[members[0]].span_start, edits[members[-1]].end, tuple(members))


def shared_edits(first: Sequence[Edit], second: Sequence[Edit]) -> tuple[set[int], set[int]]:
    """Indexes, in each of two sorted edit lists, of the edits both make identically
    (same start, end and replacement). One walk: within a side no two edits share a start."""
    in_first: set[int] = set()
    in_second: set[int] = set()
    i = j = 0
    while i < len(first) and j < len(second):
        a, b = first[i], second[j]
        if a.start < b.start:
            i += 1
        elif b.start < a.start:
            j += 1
        else:
            if a == b:
                in_first.add(i)
                in_second.add(j)
            i += 1
            j += 1
    return in_first, in_second


def touching_clusters(
    first: Sequence[Edit], second: Sequence[Edit]
) -> list[tuple[Cluster, Cluster]]:
    """Every pair of a cluster of ``first`` and a cluster of ``second`` that touch, once the
    edits both sides make identically are dropped from both (they land once). Sorted by
    position; empty exactly when the two sides can be merged."""
    shared_first, shared_second = shared_edits(first, second)
    return touching(clusters_of(first, shared_first), clusters_of(second, shared_second))


def touching(first: Sequence[Cluster], second: Sequence[Cluster]) -> list[tuple[Cluster, Cluster]]:
    """The touching pairs of two sorted lists of disjoint clusters, in one walk."""
    pairs: list[tuple[Cluster, Cluster]] = []
    i = j = 0
    while i < len(first) and j < len(second):
        a, b = first[i], second[j]
        if a.end < b.start:
            i += 1
        elif b.end < a.start:
            j += 1
        else:
            pairs.append((a, b))
            if a.end <= b.end:
                i += 1
            else:
                j += 1
    return pairs
