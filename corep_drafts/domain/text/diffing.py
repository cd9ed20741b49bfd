"""Word-level diffs, and the edits between two texts.

The diff runs in three passes, each cheaper than the next would be alone:

1. the common prefix and suffix are cut off at line starts (string comparisons in C, so a
   one-word change in 200 KB costs almost nothing);
2. the remaining lines are diffed as units, which aligns changes the way ``git`` does and
   keeps a blank line added in one place from being matched against another;
3. each block of changed lines is diffed again on word tokens; semantically cleaned up for
   reading (:func:`diff_words`), left minimal for merging (:func:`edits_between`).

Both diffs run in fast-diff-match-patch's C++ code under one shared deadline. When the
deadline is reached, the block still in hand is reported as one replacement: coarse, never
wrong. Every result satisfies: equal + deleted segments rebuild ``old``, equal + inserted
segments rebuild ``new``.
"""

from __future__ import annotations

import time
from itertools import accumulate

import fast_diff_match_patch

from corep_drafts.domain.text.affixes import line_aligned_affixes, token_aligned_affixes
from corep_drafts.domain.text.clusters import with_word_positions
from corep_drafts.domain.text.edits import (
    DELETE,
    EQUAL,
    INSERT,
    Diff,
    Edit,
    edits_from_diff,
    normalise_edits,
)
from corep_drafts.domain.text.tokens import (
    AlphabetExhausted,
    TokenAlphabet,
    line_tokens,
    word_tokens,
)

DEFAULT_TIMEOUT = 0.5
# fast-diff-match-patch reads a time limit of 0 as "no limit", so an exhausted budget must
# never be passed down as 0.
_SMALLEST_TIME_LIMIT = 0.001
# Its clean-up runs after its time limit; a fifth of the budget is kept back for it.
_SHARE_FOR_DIFF = 0.8
_TOKENISING_SECONDS_PER_CHAR = 5e-7


# Semantic clean-up folds a few unchanged words between two changes into one change: easier to
# read, but a merge must see the two changes apart, or it finds conflicts that are not there
# (and misses an edit both sides made identically). Merges take the minimal edits and group
# them into clusters themselves, by a rule both sides share (see :mod:`.clusters`).
_FOR_READING = "Semantic"
_FOR_MERGING = "No"


def diff_words(old: str, new: str, *, timeout: float = DEFAULT_TIMEOUT) -> Diff:
    """Word-level diff of two texts as (op, text) pairs, op being -1, 0 or 1, for reading."""
    return _diff(old, new, time.perf_counter() + timeout, _FOR_READING)


def edits_between(base: str, amended: str, *, timeout: float = DEFAULT_TIMEOUT) -> tuple[Edit, ...]:
    """The edits that turn ``base`` into ``amended``, in base coordinates, sorted.

    The edits are minimal (a word diff without clean-up: a rewritten sentence keeps the
    words it shares with the old one), never overlap or touch one another, are normalised
    (see :func:`~corep_drafts.domain.text.edits.normalise_edits`) so that two diffs of the
    same base agree on where a blank line or a repeated word was added, and carry their word
    positions, from which merges group them into clusters (see :mod:`.clusters`).
    """
    diff = _diff(base, amended, time.perf_counter() + timeout, _FOR_MERGING)
    return with_word_positions(base, normalise_edits(base, edits_from_diff(diff)))


def _diff(old: str, new: str, deadline: float, word_cleanup: str) -> Diff:
    if old == new:
        return [(EQUAL, old)] if old else []
    prefix, suffix = line_aligned_affixes(old, new)
    middle_old = old[prefix : len(old) - suffix]
    middle_new = new[prefix : len(new) - suffix]
    diff: Diff = []
    if prefix:
        diff.append((EQUAL, old[:prefix]))
    diff.extend(_diff_lines(middle_old, middle_new, deadline, word_cleanup))
    if suffix:
        diff.append((EQUAL, old[len(old) - suffix :]))
    return _coalesce(diff)


def _diff_lines(old: str, new: str, deadline: float, word_cleanup: str) -> Diff:
    if not old or not new:
        return [(op, text) for op, text in ((DELETE, old), (INSERT, new)) if text]
    old_lines, new_lines = line_tokens(old), line_tokens(new)
    # Efficiency, not semantic, clean-up at line level: semantic clean-up of thousands of
    # line operations runs past the time limit (0.4 s extra on a 200 KB rewrite), while this
    # one still folds a lone unchanged blank line between two changed lines into their
    # block, so that the word pass, not a chance blank line, decides the alignment.
    line_ops = _token_diff(old_lines, new_lines, deadline, cleanup="Efficiency")
    if line_ops is None:
        return _word_diff(old, new, deadline, word_cleanup)
    # Slicing the texts at line offsets is cheaper than joining lists of lines.
    old_offsets = [0, *accumulate(map(len, old_lines))]
    new_offsets = [0, *accumulate(map(len, new_lines))]
    diff: Diff = []
    old_at = new_at = 0
    block: tuple[int, int] | None = None  # where the current run of changed lines starts
    for op, count in [*line_ops, (EQUAL, 0)]:  # the last, empty equality ends the last run
        if op != EQUAL:
            if block is None:
                block = (old_offsets[old_at], new_offsets[new_at])
            if op == DELETE:
                old_at += count
            else:
                new_at += count
            continue
        if block is not None:
            old_block = old[block[0] : old_offsets[old_at]]
            new_block = new[block[1] : new_offsets[new_at]]
            diff.extend(_word_diff(old_block, new_block, deadline, word_cleanup))
            block = None
        diff.append((EQUAL, old[old_offsets[old_at] : old_offsets[old_at + count]]))
        old_at += count
        new_at += count
    return diff


def _word_diff(old: str, new: str, deadline: float, cleanup: str) -> Diff:
    # A long changed line usually differs in a few words: only those are tokenised.
    prefix, suffix = token_aligned_affixes(old, new)
    diff: Diff = [(EQUAL, old[:prefix])]
    middle_old, middle_new = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    diff.extend(_word_diff_core(middle_old, middle_new, deadline, cleanup))
    diff.append((EQUAL, old[len(old) - suffix :]))
    return diff


def _word_diff_core(old: str, new: str, deadline: float, cleanup: str) -> Diff:
    if not old or not new:
        return [(op, text) for op, text in ((DELETE, old), (INSERT, new)) if text]
    # Tokenising is the slow Python part (about 0.25 µs a character); starting it without
    # the time to finish would overrun the deadline on a large rewrite.
    if time.perf_counter() + (len(old) + len(new)) * _TOKENISING_SECONDS_PER_CHAR >= deadline:
        return [(DELETE, old), (INSERT, new)]
    old_tokens, new_tokens = word_tokens(old), word_tokens(new)
    token_ops = _token_diff(old_tokens, new_tokens, deadline, cleanup=cleanup)
    if token_ops is None:
        return [(DELETE, old), (INSERT, new)]
    old_offsets = [0, *accumulate(map(len, old_tokens))]
    new_offsets = [0, *accumulate(map(len, new_tokens))]
    diff: Diff = []
    old_at = new_at = 0
    for op, count in token_ops:
        if op == INSERT:
            diff.append((INSERT, new[new_offsets[new_at] : new_offsets[new_at + count]]))
            new_at += count
        else:
            diff.append((op, old[old_offsets[old_at] : old_offsets[old_at + count]]))
            old_at += count
            if op == EQUAL:
                new_at += count
    return diff


_OPS = {"=": EQUAL, "-": DELETE, "+": INSERT}


def _token_diff(
    old_tokens: list[str], new_tokens: list[str], deadline: float, *, cleanup: str
) -> list[tuple[int, int]] | None:
    """(op, token count) pairs, or None when there is no time or alphabet left."""
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        return None
    alphabet = TokenAlphabet()
    try:
        old_chars, new_chars = alphabet.encode(old_tokens), alphabet.encode(new_tokens)
    except AlphabetExhausted:
        return None
    ops = fast_diff_match_patch.diff(
        old_chars,
        new_chars,
        timelimit=max(remaining * _SHARE_FOR_DIFF, _SMALLEST_TIME_LIMIT),
        checklines=False,
        cleanup=cleanup,
        counts_only=True,
    )
    return [(_OPS[op], count) for op, count in ops]


def _coalesce(diff: Diff) -> Diff:
    # The word pass runs per block, so neighbouring blocks can leave runs of one op.
    result: Diff = []
    for op, text in diff:
        if not text:
            continue
        if result and result[-1][0] == op:
            result[-1] = (op, result[-1][1] + text)
        elif op == INSERT and result and result[-1][0] == DELETE:
            result.append((op, text))
        elif op == DELETE and result and result[-1][0] == INSERT:
            # Deletion first, then insertion, whatever order the passes produced them in.
            inserted = result.pop()
            if result and result[-1][0] == DELETE:
                result[-1] = (DELETE, result[-1][1] + text)
            else:
                result.append((DELETE, text))
            result.append(inserted)
        else:
            result.append((op, text))
    return result
