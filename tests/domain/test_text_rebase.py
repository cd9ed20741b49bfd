"""Rebase, multi-version rebase and compromise: a three-way merge decided on ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from test_text_diff import unicode_texts

from corep_drafts.domain.text import (
    Conflict,
    Rebased,
    competing,
    competing_pairs,
    edits_between,
    merge_compromise,
    rebase,
    rebase_across,
    rebase_all,
)
from corep_drafts.domain.text.clusters import GAP_WORDS
from corep_drafts.domain.text.tokens import word_tokens

STEMS = [
    "alpha",
    "βήτα",
    "гамма",
    "דלת",
    "هاء",
    "çay",
    "ĝardeno",
    "e\u0301te\u0301",
    "ışık",
    "日本",
]
SEPARATORS = [" ", " ", " ", ", ", "\n", "\n\n", "\r\n", " — "]


@dataclass(frozen=True)
class Change:
    """A change to one word of a text made of (word, separator) units."""

    unit: int
    kind: str  # "replace", "delete" or "insert" (before the word)
    words: str


def render(units: list[tuple[str, str]], changes: list[Change]) -> str:
    by_unit = {change.unit: change for change in changes}
    pieces = []
    for index, (word, separator) in enumerate(units):
        change = by_unit.get(index)
        if change is None:
            pieces.append(word + separator)
        elif change.kind == "replace":
            pieces.append(change.words + separator)
        elif change.kind == "insert":
            pieces.append(change.words + " " + word + separator)
    return "".join(pieces)


@st.composite
def changes_in_groups(draw, groups: int):
    """A base text and ``groups`` lists of changes, every two changes >= 4 words apart."""
    count = draw(st.integers(4 * groups + 4, 4 * groups + 30))
    units = [
        (f"{STEMS[index % len(STEMS)]}{index}", draw(st.sampled_from(SEPARATORS)))
        for index in range(count)
    ]
    slots = draw(
        st.lists(st.integers(0, count // 4 - 1), min_size=groups, max_size=3 * groups, unique=True)
    )
    changes: list[list[Change]] = [[] for _ in range(groups)]
    for number, slot in enumerate(slots):
        group = number if number < groups else draw(st.integers(0, groups - 1))
        kind = draw(st.sampled_from(["replace", "delete", "insert"]))
        changes[group].append(Change(4 * slot + 2, kind, f"new{number}"))
    return units, changes


def text_of(units, *change_lists) -> str:
    return render(units, [change for changes in change_lists for change in changes])


@settings(max_examples=150, deadline=None)
@given(changes_in_groups(2))
def test_disjoint_edits_rebase_in_either_order_to_the_same_text(case):
    units, (first, second) = case
    base, both = text_of(units), text_of(units, first, second)
    first_text, second_text = text_of(units, first), text_of(units, second)
    assert rebase(base, second_text, first_text) == Rebased(both)
    assert rebase(base, first_text, second_text) == Rebased(both)


@settings(max_examples=150, deadline=None)
@given(changes_in_groups(2), st.sampled_from(["replace", "delete", "insert"]))
def test_overlapping_edits_always_conflict_unless_identical(case, kind):
    units, (first, second) = case
    target = first[0]
    rival = Change(target.unit, kind, "rival")
    base = text_of(units)
    first_text, second_text = text_of(units, first), text_of(units, second + [rival])
    word_start = len(text_of(units[: target.unit]))
    word_end = word_start + len(units[target.unit][0])
    for result in (rebase(base, second_text, first_text), rebase(base, first_text, second_text)):
        if target.kind == rival.kind == "delete":
            assert result == Rebased(text_of(units, first, second))
            continue
        assert isinstance(result, Conflict)
        assert any(start <= word_end and word_start <= end for start, end in result.spans)
        assert result.code == "changed_by_adoption" and result.params["passages"] >= 1


@settings(max_examples=150, deadline=None)
@given(changes_in_groups(2))
def test_an_identical_edit_is_never_applied_twice(case):
    units, (first, second) = case
    base = text_of(units)
    first_text = text_of(units, first)
    second_text = text_of(units, second + [first[0]])
    expected = text_of(units, first, second)
    assert rebase(base, second_text, first_text) == Rebased(expected)
    assert rebase(base, first_text, second_text) == Rebased(expected)
    assert merge_compromise(base, {"a": first_text, "b": second_text}) == Rebased(expected)


@settings(max_examples=200, deadline=None)
@given(unicode_texts, unicode_texts)
def test_rebasing_onto_an_unchanged_base_is_the_identity(base, amended):
    assert rebase(base, amended, base) == Rebased(amended)


@settings(max_examples=100, deadline=None)
@given(changes_in_groups(4))
def test_rebasing_across_several_versions_equals_rebasing_version_by_version(case):
    units, (amendment, *adopted) = case
    versions = [text_of(units, *adopted[:count]) for count in range(len(adopted) + 1)]
    amended = text_of(units, amendment)
    expected = Rebased(text_of(units, amendment, *adopted))
    assert rebase_across(versions, amended) == expected
    assert rebase(versions[0], amended, versions[-1]) == expected


def test_a_conflict_found_in_a_later_version_is_reported_in_the_amendments_base_coordinates():
    v0 = "Article one. Article two. Article three.\n"
    v1 = "Preamble added here. " + v0
    v2 = v1.replace("Article three.", "Article 3.")
    amended = v0.replace("three.", "three, revised.")
    result = rebase_across([v0, v1, v2], amended)
    assert isinstance(result, Conflict)
    ((start, end),) = result.spans
    assert v0[start:end] == "three."
    assert result.code == "changed_by_later_version"
    assert result.params == {"version_step": 2, "versions_since": 2}


def test_rebase_all_carries_each_pending_amendment_or_flags_it():
    base = "We call on all sections to organise.\nWe meet in spring.\n"
    adopted = base.replace("spring", "autumn")
    pending = {
        7: base.replace("organise", "mobilise"),
        8: base.replace("spring", "summer"),
    }
    results = rebase_all(base, pending, adopted)
    assert results[7] == Rebased(adopted.replace("organise", "mobilise"))
    assert isinstance(results[8], Conflict)


def test_a_compromise_merges_amendments_that_do_not_compete():
    base = "The sections agree on the text of the declaration.\n"
    merged = merge_compromise(
        base,
        {
            "A1": base.replace("sections", "five sections"),
            "A2": base.replace("declaration", "joint declaration"),
        },
    )
    assert merged == Rebased("The five sections agree on the text of the joint declaration.\n")


def test_a_compromise_of_competing_amendments_is_a_conflict_naming_the_pair():
    base = "The sections agree on the text of the declaration.\n"
    amendments = {
        "A1": base.replace("sections", "members"),
        "A2": base.replace("declaration", "resolution"),
        "A3": base.replace("the declaration", "the final declaration"),
    }
    result = merge_compromise(base, amendments)
    assert isinstance(result, Conflict)
    assert set(result.pair) == {"A2", "A3"}
    assert result.code == "compromise_pair" and {
        result.params["first"],
        result.params["second"],
    } == {"A2", "A3"}
    assert competing_pairs(
        {key: edits_between(base, text) for key, text in amendments.items()}
    ) == {frozenset({"A2", "A3"})}


@st.composite
def two_amendments_anywhere(draw):
    """A base and two amendments, each replacing one random slice by random text."""
    base = draw(unicode_texts)

    def amended() -> str:
        start = draw(st.integers(0, len(base)))
        end = draw(st.integers(start, len(base)))
        return base[:start] + draw(unicode_texts) + base[end:]

    return base, amended(), amended()


@settings(max_examples=300, deadline=None)
@given(two_amendments_anywhere())
def test_amendments_compete_exactly_when_adopting_either_one_conflicts_the_other(case):
    base, first, second = case
    second_after_first = rebase(base, second, first)
    first_after_second = rebase(base, first, second)
    compete = competing(edits_between(base, first), edits_between(base, second))
    event("compete" if compete else "apart")
    assert isinstance(second_after_first, Conflict) == compete
    assert isinstance(first_after_second, Conflict) == compete
    if not compete:
        assert second_after_first == first_after_second


REPRO_BASE = "alpha0 βήτα1 гамма2\n\nדלת3 هاء4 çay5 ĝardeno6\n\nété7 ışık8 日本9 alpha10 βήτα11 "


def test_a_deletion_both_made_lands_once_and_a_deletion_three_words_further_is_carried():
    # Found by hypothesis: with semantic clean-up the amendment's two deletions, three words
    # apart, became one coarse edit that touched the adopted deletion of unit 2.
    amended = "alpha0 βήτα1 דלת3 هاء4 çay5 été7 ışık8 日本9 alpha10 βήτα11 "
    adopted = "alpha0 βήτα1 דלת3 هاء4 çay5 ĝardeno6\n\nété7 ışık8 日本9 alpha10 βήτα11 "
    assert rebase(REPRO_BASE, amended, adopted) == Rebased(amended)
    assert rebase(REPRO_BASE, adopted, amended) == Rebased(amended)
    assert not competing(edits_between(REPRO_BASE, amended), edits_between(REPRO_BASE, adopted))
    assert merge_compromise(REPRO_BASE, {"a": amended, "b": adopted}) == Rebased(amended)


def test_a_replacement_both_made_lands_once_and_a_replacement_three_words_further_is_carried():
    amended = REPRO_BASE.replace("гамма2", "new0").replace("ĝardeno6", "new1")
    adopted = REPRO_BASE.replace("гамма2", "new0")
    assert rebase(REPRO_BASE, amended, adopted) == Rebased(amended)
    assert rebase(REPRO_BASE, adopted, amended) == Rebased(amended)
    assert merge_compromise(REPRO_BASE, {"a": amended, "b": adopted}) == Rebased(amended)


def words_in(text: str) -> int:
    """Words as the clusters count them: tokens holding a letter or a digit."""
    return sum(1 for token in word_tokens(text) if re.search(r"\w", token))


@st.composite
def rewrite_and_a_change_between(draw, kept_words: str):
    """A base, a rewrite changing two units with unchanged units between them, and a change
    to one of those unchanged units. ``kept_words`` is "few" (fewer than GAP_WORDS words
    between the rewrite's two edits) or "many" (at least GAP_WORDS, the change then one
    unit away from both edits)."""
    count = draw(st.integers(10, 30))
    units = [
        (f"{STEMS[index % len(STEMS)]}{index}", draw(st.sampled_from(SEPARATORS)))
        for index in range(count)
    ]
    if kept_words == "few":
        kept = draw(st.integers(1, GAP_WORDS - 1))
    else:
        kept = draw(st.integers(GAP_WORDS, GAP_WORDS + 3))
    first = draw(st.integers(0, count - kept - 2))
    last = first + kept + 1
    between = "".join(word + separator for word, separator in units[first + 1 : last])
    if kept_words == "few":
        assume(words_in(between) < GAP_WORDS)  # a CJK unit holds three words
        changed = draw(st.integers(first + 1, last - 1))
    else:
        changed = draw(st.integers(first + 2, last - 2))
    rewrite = [
        Change(first, draw(st.sampled_from(["replace", "delete"])), "new0"),
        Change(last, draw(st.sampled_from(["replace", "delete"])), "new1"),
    ]
    change = Change(changed, draw(st.sampled_from(["replace", "delete", "insert"])), "rival")
    return units, rewrite, change


@settings(max_examples=200, deadline=None)
@given(rewrite_and_a_change_between("few"))
def test_a_change_to_a_word_a_rewrite_kept_between_its_edits_is_a_conflict_never_a_merge(case):
    units, rewrite, change = case
    base, rewritten, changed = text_of(units), text_of(units, rewrite), text_of(units, [change])
    word_start = len(text_of(units[: change.unit]))
    word_end = word_start + len(units[change.unit][0])
    for result in (rebase(base, changed, rewritten), rebase(base, rewritten, changed)):
        assert isinstance(result, Conflict)
        assert any(start <= word_end and word_start <= end for start, end in result.spans)
    assert competing(edits_between(base, rewritten), edits_between(base, changed))
    assert isinstance(merge_compromise(base, {"rewrite": rewritten, "change": changed}), Conflict)


@settings(max_examples=100, deadline=None)
@given(rewrite_and_a_change_between("many"))
def test_a_change_a_word_away_from_edits_that_stand_gap_words_apart_is_carried(case):
    units, rewrite, change = case
    base, rewritten, changed = text_of(units), text_of(units, rewrite), text_of(units, [change])
    both = Rebased(text_of(units, rewrite, [change]))
    assert rebase(base, changed, rewritten) == rebase(base, rewritten, changed) == both
    assert not competing(edits_between(base, rewritten), edits_between(base, changed))
