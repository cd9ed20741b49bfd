"""Carrying amendments onto a new version, and merging amendments into a compromise.

This is a three-way merge decided on ranges. The amendment's minimal edits (base -> amended)
are compared with the adopted change's (base -> new base):

- an amendment edit equal to an adopted edit (same span, same replacement) is already in the
  new base and lands once, as in git; it is left out of both sides' clusters;
- the remaining edits of each side are grouped into clusters (edits fewer than
  ``GAP_WORDS`` unchanged words apart, see :mod:`.clusters`);
- when no amendment cluster touches an adopted cluster (spans as in :mod:`.spans`), every
  remaining amendment edit is carried exactly, its positions shifted by the adopted edits
  before it;
- otherwise the amendment is a :class:`Conflict` that names its clusters concerned. A
  cluster is all-or-nothing: carrying part of a rewritten sentence around a change the
  adopted text made to a word it kept would mangle both in silence.

Nothing is ever applied fuzzily: diff-match-patch's ``patch_apply`` can report success on
the wrong text, so it is not used to decide anything here.

Rebasing across several versions (:func:`rebase_across`) carries the edits version by
version, as if each adoption had happened while the amendment was pending. :func:`rebase`
straight onto the latest version gives the same text when no step conflicts; the tests check
this on generated amendments and on the five real ones written against older versions.
(They can differ when an intermediate version changed a passage and a later one changed it
back: step by step that is a conflict, in one step it is not.)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import Generic, TypeVar

from diff_match_patch import diff_match_patch

from corep_drafts.domain.text.clusters import (
    Cluster,
    clusters_of,
    touching_clusters,
    with_word_positions,
)
from corep_drafts.domain.text.diffing import diff_words, edits_between
from corep_drafts.domain.text.edits import DELETE, EQUAL, INSERT, Diff, Edit, normalise_edits
from corep_drafts.domain.text.spans import competing_pairs

K = TypeVar("K", bound=Hashable)


class Rebased:
    """The amendment's full text, carried onto the new version.

    A rebase also gives the amendment's ``edits`` on the new version (normalised and with
    word positions, as :func:`edits_between` gives them), so a caller that keeps them needs
    no diff. Its text is put together when first read: deciding a thousand rebases of a
    200 KB text costs their edits, not a thousand copies of the text. Two results are equal
    when their texts are.
    """

    __slots__ = ("_new_base", "_text", "edits")

    def __init__(
        self,
        text: str | None = None,
        *,
        new_base: str | None = None,
        edits: tuple[Edit, ...] | None = None,
    ) -> None:
        if text is None and (new_base is None or edits is None):
            raise ValueError("a rebased amendment needs its text, or the new base and its edits")
        self._text, self._new_base, self.edits = text, new_base, edits

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = apply_edits(self._new_base, self.edits)
            self._new_base = None
        return self._text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rebased):
            return NotImplemented
        return self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"Rebased({self.text!r})"


@dataclass(frozen=True, slots=True)
class Conflict(Generic[K]):
    """The merge cannot be decided from ranges; a person must revise the amendment.

    ``spans`` are ``(start, end)`` pairs in the base coordinates of the amendment (for a
    compromise: of the common base). ``pair`` names the two competing amendments of a
    compromise and is None for a rebase.

    ``code`` says why, ``params`` gives the values a message needs (the layer above words it):

    - ``changed_by_adoption`` (``passages``): the adopted text changed what the amendment changes;
    - ``changed_by_later_version`` (``version_step``, ``versions_since``): carrying it across the
      versions adopted since its base, that step changed what it changes;
    - ``compromise_pair`` (``first``, ``second``): two amendments of a compromise compete.
    """

    spans: tuple[tuple[int, int], ...]
    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    pair: tuple[K, K] | None = None


def apply_edits(base: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits given in base coordinates."""
    pieces = []
    position = 0
    for edit in edits:
        if edit.start < position:
            raise ValueError(f"edits overlap or are out of order at {edit.start}")
        if edit.end > len(base):
            raise ValueError(f"edit {edit.start}..{edit.end} runs past the text end")
        pieces.append(base[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(base[position:])
    return "".join(pieces)


def make_patch(base: str, amended: str, *, diff: Diff | None = None) -> str:
    """diff-match-patch patch text for storage, built from the word-level diff."""
    dmp = diff_match_patch()
    word_diff = diff if diff is not None else diff_words(base, amended)
    return dmp.patch_toText(dmp.patch_make(base, word_diff))


def patch_from_edits(base: str, edits: Sequence[Edit]) -> str:
    """diff-match-patch patch text for storage, built from edits rather than from a diff."""
    diff: Diff = []
    position = 0
    for edit in edits:
        if position < edit.start:
            diff.append((EQUAL, base[position : edit.start]))
        if edit.start < edit.end:
            diff.append((DELETE, base[edit.start : edit.end]))
        if edit.replacement:
            diff.append((INSERT, edit.replacement))
        position = edit.end
    if position < len(base):
        diff.append((EQUAL, base[position:]))
    dmp = diff_match_patch()
    return dmp.patch_toText(dmp.patch_make(base, diff))


def rebase(base: str, amended: str, new_base: str) -> Rebased | Conflict:
    """Carry an amendment written against ``base`` onto ``new_base``."""
    return _rebase_with(edits_between(base, amended), _adopted_edits(base, new_base), new_base)


def rebase_all(
    base: str, amendments: Mapping[K, str | Sequence[Edit]], new_base: str
) -> dict[K, Rebased | Conflict]:
    """Rebase every pending amendment on ``base`` after ``new_base`` was adopted.

    An amendment is given as its full text or as its edits on ``base`` (from
    :func:`edits_between`, say kept from when it was proposed, which saves a diff each).
    """
    adopted = _adopted_edits(base, new_base)
    return {
        key: _rebase_with(_edits_of(base, value), adopted, new_base)
        for key, value in amendments.items()
    }


def _edits_of(base: str, value: str | Sequence[Edit]) -> Sequence[Edit]:
    if isinstance(value, str):
        return edits_between(base, value)
    if any(edit.words is None for edit in value):
        # Edits kept without their word positions (rebuilt from storage, say) get them
        # back, so that they cluster as the edits of the same amendment's text would.
        return with_word_positions(base, value)
    return value


def rebase_across(versions: Sequence[str], amended: str) -> Rebased | Conflict:
    """Carry an amendment written against ``versions[0]`` through every later version.

    Conflict spans are reported in ``versions[0]`` coordinates, whichever step found them.
    """
    if not versions:
        raise ValueError("rebase_across needs at least the amendment's base version")
    edits = list(edits_between(versions[0], amended))
    origins = [(edit.start, edit.end) for edit in edits]
    for step, (older, newer) in enumerate(pairwise(versions), start=1):
        carried, conflicting = _carry(edits, _adopted_edits(older, newer))
        if conflicting:
            return Conflict(
                tuple(
                    (origins[cluster.members[0]][0], origins[cluster.members[-1]][1])
                    for cluster in conflicting
                ),
                "changed_by_later_version",
                {"version_step": step, "versions_since": len(versions) - 1},
            )
        origins = [origins[index] for index, _ in carried]
        edits = list(
            with_word_positions(
                newer,
                normalise_edits(
                    newer, [Edit(edit.start, edit.end, edit.replacement) for _, edit in carried]
                ),
            )
        )
        if len(edits) != len(origins):
            # Normalising split an edit in two (a line break it adds): both halves come from
            # the hull of the carried edits' origins, which is all a report needs.
            hull = (min(s for s, _ in origins), max(e for _, e in origins))
            origins = [hull] * len(edits)
    return Rebased(apply_edits(versions[-1], edits))


def merge_compromise(base: str, amended_texts: Mapping[K, str]) -> Rebased | Conflict:
    """One text holding every amendment's edits, or the first pair of them that compete.

    An edit made identically by several amendments lands once. The pair reported is the one
    whose touching clusters come first in the text; its spans are those two clusters.
    """
    edits_of = {key: edits_between(base, text) for key, text in amended_texts.items()}
    order = {key: number for number, key in enumerate(edits_of)}
    first_clash: tuple[tuple[int, int, int], Conflict] | None = None
    for pair in competing_pairs(edits_of):
        first, second = sorted(pair, key=order.__getitem__)
        for one, other in touching_clusters(edits_of[first], edits_of[second])[:1]:
            if (other.start, other.end) < (one.start, one.end):
                one, other, first, second = other, one, second, first
            rank = (one.start, other.start, order[first])
            if first_clash is None or rank < first_clash[0]:
                first_clash = (
                    rank,
                    Conflict(
                        (one.report_span(edits_of[first]), other.report_span(edits_of[second])),
                        "compromise_pair",
                        {"first": first, "second": second},
                        pair=(first, second),
                    ),
                )
    if first_clash is not None:
        return first_clash[1]
    # No two compete, so the edits of all of them, each identical one once, never touch.
    merged = {edit: None for edits in edits_of.values() for edit in edits}
    return Rebased(apply_edits(base, sorted(merged, key=lambda edit: edit.start)))


class _Adopted:
    """The adopted change's edits, prepared once for the rebase of every pending amendment:
    their starts and clusters for bisection, and the text's growth before each edit."""

    __slots__ = ("clusters", "cluster_ends", "edits", "growth", "starts")

    def __init__(self, edits: Sequence[Edit]) -> None:
        self.edits = edits
        self.starts = [edit.start for edit in edits]
        self.growth = [0, *accumulate(edit.delta for edit in edits)]
        self.clusters = clusters_of(edits)
        self.cluster_ends = [cluster.end for cluster in self.clusters]


@lru_cache(maxsize=32)
def _adopted_edits(base: str, new_base: str) -> _Adopted:
    # After an adoption every pending amendment is rebased against the same change.
    return _Adopted(edits_between(base, new_base))


def _rebase_with(edits: Sequence[Edit], adopted: _Adopted, new_base: str) -> Rebased | Conflict:
    carried, conflicting = _carry(edits, adopted)
    if conflicting:
        return Conflict(
            tuple(cluster.report_span(edits) for cluster in conflicting),
            "changed_by_adoption",
            {"passages": len(conflicting)},
        )
    moved = [edit for _, edit in carried]
    return Rebased(
        new_base=new_base, edits=with_word_positions(new_base, normalise_edits(new_base, moved))
    )


def _carry(
    edits: Sequence[Edit], adopted: _Adopted
) -> tuple[list[tuple[int, Edit]], list[Cluster]]:
    """Amendment edits mapped through the adopted ones, or the amendment's clusters that
    touch an adopted cluster (see :mod:`.clusters`).

    Edits both sides made identically are dropped from the amendment (they are in the new
    base already) and from the clusters of both. When no cluster touches, every adopted edit
    lies wholly before or after each remaining amendment edit, and the shift of each is the
    growth of the text before it. The same decision as
    :func:`~.clusters.touching_clusters`, found by bisection: O(e log a) for an amendment of
    e edits against an adopted change of a edits (O(a) when they share an edit). Carried
    edits keep the index of the amendment edit they came from.
    """
    starts, adopted_edits = adopted.starts, adopted.edits
    shared: set[int] = set()
    shared_adopted: set[int] = set()
    places = [bisect_left(starts, edit.start) for edit in edits]
    for index, (edit, place) in enumerate(zip(edits, places, strict=True)):
        if place < len(starts) and adopted_edits[place] == edit:
            shared.add(index)
            shared_adopted.add(place)
    if shared_adopted:
        adopted_clusters = clusters_of(adopted_edits, shared_adopted)
        adopted_ends = [cluster.end for cluster in adopted_clusters]
    else:
        adopted_clusters, adopted_ends = adopted.clusters, adopted.cluster_ends
    conflicting = []
    for cluster in clusters_of(edits, shared):
        # The first adopted cluster not ended before this one starts is the only one that
        # can touch it: every later one starts further right.
        after = bisect_left(adopted_ends, cluster.start)
        if after < len(adopted_clusters) and adopted_clusters[after].start <= cluster.end:
            conflicting.append(cluster)
    if conflicting:
        return [], conflicting
    growth = adopted.growth
    return [
        (index, _shifted(edit, growth[place]))
        for index, (edit, place) in enumerate(zip(edits, places, strict=True))
        if index not in shared
    ], []


def _shifted(edit: Edit, shift: int) -> Edit:
    # No adopted edit touches [reach, end], so the reach moves with the edit: the same run
    # of repeated text stands before it in the new version.
    reach = None if edit.reach is None else edit.reach + shift
    return Edit(edit.start + shift, edit.end + shift, edit.replacement, reach)
