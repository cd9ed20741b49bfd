"""Carrying amendments onto a new version, and merging amendments into a compromise.

This is a three-way merge decided on ranges. The amendment's edits (base -> amended) are
compared with the adopted change's edits (base -> new base):

- an amendment edit that touches no adopted edit (spans as in :mod:`spans`) is carried
  exactly, its positions shifted by the adopted edits before it;
- an amendment edit equal to an adopted edit (same span, same replacement) is already in the
  new base and lands once, as in git;
- any other touching makes the whole amendment a :class:`Conflict` that names the spans.

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

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Generic, TypeVar

from diff_match_patch import diff_match_patch

from corep_drafts.domain.text.diffing import diff_words, edits_between
from corep_drafts.domain.text.edits import Diff, Edit, normalise_edits
from corep_drafts.domain.text.spans import edits_touch

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Rebased:
    """The amendment's full text, carried onto the new version."""

    text: str


@dataclass(frozen=True, slots=True)
class Conflict(Generic[K]):
    """The merge cannot be decided from ranges; a person must revise the amendment.

    ``spans`` are ``(start, end)`` pairs in the base coordinates of the amendment (for a
    compromise: of the common base). ``pair`` names the two competing amendments of a
    compromise and is None for a rebase.
    """

    spans: tuple[tuple[int, int], ...]
    reason: str
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
        key: _rebase_with(
            edits_between(base, value) if isinstance(value, str) else value, adopted, new_base
        )
        for key, value in amendments.items()
    }


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
                tuple(origins[index] for index in conflicting),
                f"Version {step} of the {len(versions) - 1} adopted since this amendment's base "
                "also changed the passage it changes.",
            )
        origins = [origins[index] for index, _ in carried]
        edits = list(normalise_edits(newer, [edit for _, edit in carried]))
    return Rebased(apply_edits(versions[-1], edits))


def merge_compromise(base: str, amended_texts: Mapping[K, str]) -> Rebased | Conflict:
    """One text holding every amendment's edits, or the first pair of them that compete.

    An edit made identically by several amendments lands once.
    """
    tagged = sorted(
        (
            (edit, order, key)
            for order, (key, text) in enumerate(amended_texts.items())
            for edit in edits_between(base, text)
        ),
        key=lambda item: (item[0].span_start, item[0].end, item[1]),
    )
    kept: list[tuple[Edit, K]] = []
    for edit, _, key in tagged:
        if kept and edits_touch(kept[-1][0], edit):
            previous, previous_key = kept[-1]
            if previous == edit:
                continue
            return Conflict(
                ((previous.start, previous.end), (edit.start, edit.end)),
                f"Amendments {previous_key} and {key} change the same passage "
                "in different ways.",
                pair=(previous_key, key),
            )
        kept.append((edit, key))
    return Rebased(apply_edits(base, [edit for edit, _ in kept]))


@lru_cache(maxsize=32)
def _adopted_edits(base: str, new_base: str) -> tuple[Edit, ...]:
    # After an adoption every pending amendment is rebased against the same change.
    return edits_between(base, new_base)


def _rebase_with(
    edits: Sequence[Edit], adopted: Sequence[Edit], new_base: str
) -> Rebased | Conflict:
    carried, conflicting = _carry(edits, adopted)
    if conflicting:
        count = len(conflicting)
        return Conflict(
            tuple((edits[index].start, edits[index].end) for index in conflicting),
            f"The adopted text also changed {'this passage' if count == 1 else 'these passages'}"
            " of the amendment.",
        )
    return Rebased(apply_edits(new_base, [edit for _, edit in carried]))


def _carry(
    edits: Sequence[Edit], adopted: Sequence[Edit]
) -> tuple[list[tuple[int, Edit]], list[int]]:
    """Amendment edits mapped through the adopted ones, and the indices that conflict.

    Both sequences are sorted and touch nothing within themselves, so one merge-like walk
    suffices. Carried edits keep the index of the amendment edit they came from.
    """
    carried: list[tuple[int, Edit]] = []
    conflicting: list[int] = []
    shift = 0
    next_adopted = 0
    for index, edit in enumerate(edits):
        while next_adopted < len(adopted) and adopted[next_adopted].end < edit.span_start:
            shift += adopted[next_adopted].delta
            next_adopted += 1
        touching = []
        probe = next_adopted
        while probe < len(adopted) and adopted[probe].span_start <= edit.end:
            touching.append(adopted[probe])
            probe += 1
        if touching == [edit]:
            continue
        if touching:
            conflicting.append(index)
            continue
        carried.append(
            (index, Edit(edit.start + shift, edit.end + shift, edit.replacement))
        )
    return carried, conflicting
