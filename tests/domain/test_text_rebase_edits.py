"""A rebase hands back the carried amendment's edits on the new version, so the services keep
them without a diff: they are the edits a fresh diff would find, and they rebuild the text."""

from __future__ import annotations

from diff_match_patch import diff_match_patch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_text_rebase import changes_in_groups, text_of, two_amendments_anywhere

from corep_drafts.domain.text import (
    Rebased,
    apply_edits,
    edits_between,
    patch_from_edits,
    rebase,
    rebase_all,
)
from corep_drafts.domain.text.edits import Edit, normalise_edits


def same_edits(found, expected) -> bool:
    return [(e, e.reach, e.words) for e in found] == [(e, e.reach, e.words) for e in expected]


def check_carried(base: str, amended: str, adopted: str) -> None:
    result = rebase(base, amended, adopted)
    if isinstance(result, Rebased):
        assert same_edits(result.edits, edits_between(adopted, result.text))
        assert apply_edits(adopted, result.edits) == result.text


@settings(max_examples=200, deadline=None)
@given(changes_in_groups(2))
def test_the_carried_edits_are_those_a_diff_of_the_carried_text_finds(case):
    units, (first, second) = case
    base = text_of(units)
    check_carried(base, text_of(units, first), text_of(units, second))


@settings(max_examples=200, deadline=None)
@given(two_amendments_anywhere())
def test_the_carried_edits_match_a_diff_for_amendments_anywhere(case):
    base, first, second = case
    check_carried(base, first, second)


def test_rebase_all_of_stored_edits_gives_the_same_results_as_of_texts():
    base = "one two three four five six seven eight nine ten eleven twelve.\n"
    texts = {
        1: base.replace("two", "2"),
        2: base.replace("eleven", "11"),
        3: base.replace("six", "6"),
    }
    adopted = base.replace("six", "half a dozen")
    from_texts = rebase_all(base, texts, adopted)
    from_edits = rebase_all(base, {k: edits_between(base, t) for k, t in texts.items()}, adopted)
    assert from_texts == from_edits
    assert from_edits[1] == Rebased(adopted.replace("two", "2"))
    assert type(from_edits[3]).__name__ == "Conflict"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab \n", max_size=40), st.text(alphabet="ab \n", max_size=40))
def test_a_patch_made_from_edits_turns_the_base_into_the_amended_text(base, amended):
    patch = patch_from_edits(base, edits_between(base, amended))
    dmp = diff_match_patch()
    result, applied = dmp.patch_apply(dmp.patch_fromText(patch), base)
    assert result == amended and all(applied)


def test_an_insertion_slides_through_a_long_repetition_to_its_canonical_place():
    base = "x" + "ab" * 5000 + "c"
    (slid,) = normalise_edits(base, [Edit(1, 1, "ab")])
    assert (slid.start, slid.replacement) == (10_001, "ab")
    (deleted,) = normalise_edits(base, [Edit(1, 3, "")])
    assert (deleted.start, deleted.end) == (9_999, 10_001)
