"""Edits: changes in the coordinates of the text they were made on.

A diff is a list of ``(op, text)`` pairs with op -1 (delete), 0 (equal) or 1 (insert); the
edits it describes are what the merge works with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from corep_drafts.domain.text.affixes import common_prefix_length

DELETE, EQUAL, INSERT = -1, 0, 1

Diff = list[tuple[int, str]]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``base[start:end]`` by ``replacement``; an insertion when start == end.

    ``reach`` is the leftmost place where the same edit gives the same text (an insertion or
    deletion inside repeated text can sit anywhere in the repetition); ``None`` means ``start``.
    Overlap is decided on ``[reach, end]``, so an edit slid away from a neighbour's boundary
    still counts as touching it.

    ``words`` are the word positions of ``[reach, end]`` among the edits of one amendment,
    from which the merge groups them into clusters (see :mod:`.clusters`); ``None`` when
    unknown, and the edit is then a cluster of its own. Neither is part of the edit's identity.
    """

    start: int
    end: int
    replacement: str
    reach: int | None = field(default=None, compare=False)
    words: tuple[int, int] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"an edit needs 0 <= start <= end, got {self.start}..{self.end}")

    @property
    def span_start(self) -> int:
        return self.start if self.reach is None else self.reach

    @property
    def delta(self) -> int:
        """How much longer the text gets when this edit is applied."""
        return len(self.replacement) - (self.end - self.start)


def edits_from_diff(diff: Iterable[tuple[int, str]]) -> tuple[Edit, ...]:
    """The edits a diff describes, in the coordinates of its old text."""
    edits: list[Edit] = []
    position = 0
    start: int | None = None
    inserted: list[str] = []
    for op, text in diff:
        if op == EQUAL:
            if start is not None:
                edits.append(Edit(start, position, "".join(inserted)))
                start, inserted = None, []
            position += len(text)
            continue
        if start is None:
            start = position
        if op == DELETE:
            position += len(text)
        else:
            inserted.append(text)
    if start is not None:
        edits.append(Edit(start, position, "".join(inserted)))
    return tuple(edits)


def normalise_edits(base: str, edits: Sequence[Edit]) -> tuple[Edit, ...]:
    """Put edits in one canonical place, so two diffs of one base agree on them.

    A pure insertion or deletion inside a run of repeated text (a blank line among blank
    lines, a word in a repetition) is slid to the rightmost place that gives the same text.

    Line breaks that a replacement adds at its end are first split off as an insertion of
    their own, since a diff glues a blank line added after a changed line to that change,
    and another diff of the same base may not.
    """
    result: list[Edit] = []
    for index, edit in enumerate(edits):
        # Stop one short of the next edit so that edits of one amendment never touch.
        limit = edits[index + 1].start - 1 if index + 1 < len(edits) else len(base)
        floor = result[-1].end + 1 if result else 0
        changed, added_breaks = _split_added_breaks(base, edit)
        if added_breaks is not None:
            slid = _slide_right(base, added_breaks, limit)
            if slid.start > changed.end:
                result.append(changed)
                result.append(_with_reach(slid, _leftmost(base, added_breaks, changed.end)))
                continue
        result.append(
            _with_reach(_slide_right(base, edit, limit), _leftmost(base, edit, floor), edit.reach)
        )
    return tuple(result)


def _with_reach(edit: Edit, reach: int, known: int | None = None) -> Edit:
    # ``known``: the reach the edit already had (carried from an earlier base), which a slide
    # from its present place may not find again.
    if known is not None:
        reach = min(reach, known)
    return edit if reach >= edit.start else Edit(edit.start, edit.end, edit.replacement, reach)


def _leftmost(base: str, edit: Edit, floor: int) -> int:
    """How far left the same insertion or deletion could stand within its line, not below
    ``floor``. Line breaks bound it: a blank line added among blank lines stays a change between
    paragraphs, not a change to the end of the paragraph before (as in a line-based merge)."""
    start, end, text = edit.start, edit.end, edit.replacement
    if start == end and text:
        while start > floor and base[start - 1] == text[-1] and base[start - 1] not in "\r\n":
            text = text[-1] + text[:-1]
            start -= 1
        return start
    if not text and start < end:
        while start > floor and base[start - 1] == base[end - 1] and base[start - 1] not in "\r\n":
            start -= 1
            end -= 1
        return start
    return start


def _split_added_breaks(base: str, edit: Edit) -> tuple[Edit, Edit | None]:
    replaced = base[edit.start : edit.end]
    added = _trailing_breaks(edit.replacement) - _trailing_breaks(replaced)
    if edit.start == edit.end or added <= 0:
        return edit, None
    cut = len(edit.replacement) - added
    return (
        Edit(edit.start, edit.end, edit.replacement[:cut]),
        Edit(edit.end, edit.end, edit.replacement[cut:]),
    )


def _trailing_breaks(text: str) -> int:
    return len(text) - len(text.rstrip("\r\n"))


def _slide_right(base: str, edit: Edit, limit: int) -> Edit:
    start, end, text = edit.start, edit.end, edit.replacement
    if start == end and text:
        if start >= limit or base[start] != text[0]:
            return edit
        # Sliding one place right rotates the inserted text by one character, so the
        # distance is how far the base repeats the inserted text periodically.
        distance = _repeated_length(
            lambda low, high: base[start + low : start + high],
            lambda low, high: (text * ((high - low) // len(text) + 2))[
                low % len(text) : low % len(text) + high - low
            ],
            limit - start,
        )
        turn = distance % len(text)
        return Edit(start + distance, start + distance, text[turn:] + text[:turn])
    if not text and start < end:
        if end >= limit or base[start] != base[end]:
            return edit
        distance = _repeated_length(
            lambda low, high: base[start + low : start + high],
            lambda low, high: base[end + low : end + high],
            limit - end,
        )
        return Edit(start + distance, end + distance, "")
    return edit


_FIRST_WINDOW = 64


def _repeated_length(first, second, most: int) -> int:
    """The common prefix length of two texts given as slicers, at most ``most``: compared in
    windows that double, so a repetition of a few words costs a few words, not the rest of the
    text up to ``most``."""
    done, window = 0, _FIRST_WINDOW
    while done < most:
        high = min(done + window, most)
        shared = common_prefix_length(first(done, high), second(done, high))
        done += shared
        if done < high:
            return done
        window *= 2
    return most
