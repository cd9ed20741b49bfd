"""How each passage came to be: where every version's changes stand in the latest text.

Computed from the chain of version texts alone. Version 1 is the first draft; for every later
version, its edits (the diff from the version before) are placed in the coordinates of the
latest text by carrying them through every change after them. A change that a later version
overwrote still leaves a point where it was, so the history of a paragraph includes it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from corep_drafts.domain.text import Edit, edits_between, split_paragraphs


@dataclass(frozen=True)
class Contribution:
    """Version ``version`` changed ``[start, end)`` of the latest text (a point: it deleted)."""

    version: int
    start: int
    end: int


def _map(position: int, edits: Sequence[Edit], *, right: bool) -> int:
    """Where ``position`` of the old text stands in the new one; inside a replaced span it goes to
    the start (left) or the end (right) of the replacement."""
    shift = 0
    for edit in edits:
        if position < edit.start or (
            position == edit.start and not right and edit.start != edit.end
        ):
            break
        if position > edit.end or (position == edit.end and (right or edit.start == edit.end)):
            shift += edit.delta
            continue
        start = edit.start + shift
        return start + len(edit.replacement) if right else start
    return position + shift


def contributions(versions: Sequence[str]) -> list[Contribution]:
    """Every change of versions 2..n, in the coordinates of the last version, oldest first."""
    found: list[Contribution] = []
    for number in range(2, len(versions) + 1):
        edits = edits_between(versions[number - 2], versions[number - 1])
        found = [
            Contribution(
                c.version, _map(c.start, edits, right=False), _map(c.end, edits, right=True)
            )
            if c.end > c.start
            else Contribution(c.version, *(2 * [_map(c.start, edits, right=False)]))
            for c in found
        ]
        shift = 0
        for edit in edits:
            start = edit.start + shift
            found.append(Contribution(number, start, start + len(edit.replacement)))
            shift += edit.delta
    return found


def owners(versions: Sequence[str]) -> list[int]:
    """For each character of the last version, the version that wrote it."""
    last = versions[-1] if versions else ""
    owner = [1] * len(last)
    for contribution in contributions(versions):
        for index in range(contribution.start, contribution.end):
            owner[index] = max(owner[index], contribution.version)
    return owner


def versions_by_paragraph(versions: Sequence[str]) -> dict[int, list[int]]:
    """For each paragraph of the last version (numbered from 1), the versions that changed it."""
    last = versions[-1] if versions else ""
    paragraphs = split_paragraphs(last)
    starts = [p.start for p in paragraphs]
    shaped: dict[int, set[int]] = {p.number: set() for p in paragraphs}
    for contribution in contributions(versions):
        if not paragraphs:
            break
        first = max(bisect_right(starts, contribution.start) - 1, 0)
        last_index = max(
            bisect_right(starts, max(contribution.end - 1, contribution.start)) - 1, first
        )
        # A point between two paragraphs belongs to the one before: its end was changed.
        if (
            contribution.start == contribution.end
            and first > 0
            and contribution.start == paragraphs[first].start
        ):
            first = last_index = first - 1
        for index in range(first, last_index + 1):
            shaped[paragraphs[index].number].add(contribution.version)
    return {number: sorted(found) for number, found in shaped.items()}
