"""Common prefixes and suffixes of two texts, cut where the diff may cut them.

Every comparison is a slice comparison, which runs in C: finding that two 200 KB texts share
all but one word costs microseconds, where a Python loop would take milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable


def common_prefix_length(a: str, b: str) -> int:
    """Length of the common prefix (a binary search on slice equality)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def common_suffix_length(a: str, b: str, limit: int) -> int:
    """Length of the common suffix, at most ``limit``."""
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid : len(a) - low] == b[len(b) - mid : len(b) - low]:
            low = mid
        else:
            high = mid - 1
    return low


def line_aligned_affixes(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix, both cut at a line start."""
    prefix = _line_aligned_prefix(old, new)
    return prefix, _line_aligned_suffix(old, new, prefix)


def _line_aligned_prefix(old: str, new: str) -> int:
    # Cutting at a line start keeps the changed word whole: tokens never cross lines.
    shared = common_prefix_length(old, new)
    if shared == len(old) == len(new):
        return shared
    return old.rfind("\n", 0, shared) + 1


def _line_aligned_suffix(old: str, new: str, prefix: int) -> int:
    limit = min(len(old), len(new)) - prefix
    shared = common_suffix_length(old, new, limit)
    if shared == 0:
        return 0
    first_break = old.find("\n", len(old) - shared)
    if first_break == -1:
        return 0
    return len(old) - first_break - 1


def _is_token_boundary(text: str, position: int) -> bool:
    # Sufficient, not necessary: every token ends with its trailing spaces or is a line
    # break, so a space followed by a non-space (or anything after "\n") starts a token.
    if position == 0 or position == len(text):
        return True
    before = text[position - 1]
    return before == "\n" or (before.isspace() and not text[position].isspace())


_BOUNDARY_SEARCH = 256


def token_aligned_affixes(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix, both cut at a token boundary."""
    prefix = common_prefix_length(old, new)
    prefix = _back_off(old, new, prefix, lambda cut: (cut, cut))
    limit = min(len(old), len(new)) - prefix
    suffix = common_suffix_length(old, new, limit)
    suffix = _back_off(old, new, suffix, lambda cut: (len(old) - cut, len(new) - cut))
    return prefix, suffix


def _back_off(old: str, new: str, length: int, cut_points: Callable[[int], tuple[int, int]]) -> int:
    for _ in range(_BOUNDARY_SEARCH):
        if length == 0:
            return 0
        in_old, in_new = cut_points(length)
        if _is_token_boundary(old, in_old) and _is_token_boundary(new, in_new):
            return length
        length -= 1
    # Text without spaces (Japanese, Chinese) can go on for long; no shared part is kept
    # rather than walking back through all of it.
    return 0
