"""Edits in base coordinates, touched ranges, and which amendments compete."""

from __future__ import annotations

from itertools import combinations, pairwise

from diff_match_patch import diff_match_patch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_text_diff import unicode_texts
from test_text_rebase import words_in

from corep_drafts.domain.text import (
    Conflict,
    Edit,
    Rebased,
    Span,
    apply_edits,
    competing,
    competing_pairs,
    edits_between,
    make_patch,
    merge_compromise,
    rebase,
    spans_of,
    touched_range,
)
from corep_drafts.domain.text.clusters import GAP_WORDS
from corep_drafts.domain.text.edits import normalise_edits

BASE = "The sections agree on the text of the declaration.\n"


def amend(old: str, new: str) -> tuple[Edit, ...]:
    """Edits on BASE that replace the first occurrence of ``old`` by ``new``."""
    return edits_between(BASE, BASE.replace(old, new, 1))


@settings(max_examples=200, deadline=None)
@given(unicode_texts, unicode_texts)
def test_edits_between_two_texts_turn_the_first_into_the_second(base, amended):
    edits = edits_between(base, amended)
    assert apply_edits(base, edits) == amended
    for before, after in pairwise(edits):
        assert before.end < after.start, "edits of one amendment never touch"


@settings(max_examples=100, deadline=None)
@given(unicode_texts, unicode_texts)
def test_a_stored_patch_rebuilds_the_amended_text_from_its_base(base, amended):
    dmp = diff_match_patch()
    rebuilt, applied = dmp.patch_apply(dmp.patch_fromText(make_patch(base, amended)), base)
    assert rebuilt == amended and all(applied)


def test_an_edit_is_an_insertion_when_it_starts_where_it_ends():
    (edit,) = amend("the text ", "the text and the spirit ")
    assert edit.start == edit.end and edit.replacement == "and the spirit "
    # "t and the spiri" inserted two places earlier gives the same text: the span covers both.
    assert spans_of([edit]) == (Span(edit.start - 2, edit.start),)
    assert Span(edit.start, edit.start).is_point


def test_an_insertion_next_to_another_change_competes_wherever_the_diff_placed_it():
    base = "Breaks in the shade are paid.\n"
    replaced = base.replace("in the shade", "indoors")
    inserted = base.replace("shade are", "shade and water are")
    edits = {"replace": edits_between(base, replaced), "insert": edits_between(base, inserted)}
    assert competing_pairs(edits) == {frozenset(edits)}
    assert isinstance(rebase(base, inserted, replaced), Conflict)


def test_the_touched_range_spans_from_the_first_edit_to_the_last():
    edits = edits_between(BASE, BASE.replace("sections", "members").replace("text", "words"))
    assert touched_range(edits) == (BASE.index("sections"), BASE.index("text") + len("text "))
    assert touched_range(()) is None


def test_a_blank_line_added_anywhere_in_a_run_of_blank_lines_is_normalised_to_one_edit():
    base = "Preamble.\n\n\nArticle 1.\n"
    placed = [(Edit(at, at, "\n"),) for at in (9, 10, 11, 12)]
    assert len({apply_edits(base, edits) for edits in placed}) == 1
    assert {normalise_edits(base, edits) for edits in placed} == {(Edit(12, 12, "\n"),)}


def test_a_phrase_repeated_once_more_or_once_less_is_normalised_to_one_edit():
    base = "We say: yes, yes, yes, no.\n"
    starts = [base.index("yes") + 5 * n for n in range(3)]
    inserted = [(Edit(at, at, "yes, "),) for at in starts]
    deleted = [(Edit(at, at + 5, ""),) for at in starts]
    for variants in (inserted, deleted):
        assert len({apply_edits(base, edits) for edits in variants}) == 1
        assert len({normalise_edits(base, edits) for edits in variants}) == 1


def test_the_same_blank_line_is_found_at_the_same_place_whatever_else_the_amendment_changes():
    base = "Preamble.\n\n\nArticle 1.\n"
    adopted = "Preamble.\n\n\n\nArticle 1.\n"
    amended = "Preamble and purpose.\n\n\n\nArticle 1.\n"
    alone, with_more = edits_between(base, adopted), edits_between(base, amended)
    assert alone[-1] == with_more[-1] and alone[-1].replacement == "\n"
    assert rebase(base, amended, adopted) == Rebased(amended)


def test_overlapping_changes_compete():
    assert competing(amend("agree on the text", "adopt the text"), amend("the text", "a text"))


def test_adjacent_changes_compete():
    first = amend("sections ", "members ")
    second = amend("agree ", "vote ")
    assert first[0].end == second[0].start
    assert competing(first, second)


def test_an_insertion_at_the_boundary_of_another_change_competes():
    replaced = amend("declaration", "resolution")
    inserted = amend("the declaration", "the final declaration")
    assert inserted[0].start == inserted[0].end == replaced[0].start
    assert competing(replaced, inserted)


def test_an_insertion_inside_a_deleted_span_competes():
    deleted = amend("agree on the text of ", "")
    inserted = amend("the text ", "the full text ")
    assert deleted[0].start < inserted[0].start < deleted[0].end
    assert competing(deleted, inserted)


def test_two_insertions_at_the_same_point_compete():
    assert competing(amend("the text ", "the new text "), amend("the text ", "the old text "))


def test_two_amendments_making_the_very_same_edit_do_not_compete_over_it():
    assert not competing(amend("agree", "decide"), amend("agree", "decide"))


def test_changes_apart_do_not_compete():
    assert not competing(amend("sections", "members"), amend("declaration", "resolution"))


def test_competition_is_decided_per_edit_not_on_the_hull():
    both_ends = edits_between(BASE, BASE.replace("The ", "All ").replace("declaration", "text"))
    middle = amend("agree", "decide")
    hull = touched_range(both_ends)
    assert hull[0] < middle[0].start < hull[1]
    assert not competing(both_ends, middle)


edit_sets = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 6), st.sampled_from(["", "x", "yz"])),
    max_size=4,
).map(
    lambda triples: [
        Edit(start, start + length, text) for start, length, text in triples if length or text
    ]
)


def non_touching(edits: list[Edit]) -> list[Edit]:
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        if not kept or kept[-1].end < edit.start:
            kept.append(edit)
    return kept


def brute_force_pairs(amendments: dict[int, list[Edit]]) -> set[frozenset[int]]:
    pairs = set()
    for (key_a, edits_a), (key_b, edits_b) in combinations(amendments.items(), 2):
        for a in edits_a:
            for b in edits_b:
                if a != b and Span(a.start, a.end).touches(Span(b.start, b.end)):
                    pairs.add(frozenset((key_a, key_b)))
    return pairs


@settings(max_examples=300, deadline=None)
@given(st.lists(edit_sets.map(non_touching), max_size=12))
def test_the_sweep_finds_exactly_the_pairs_a_comparison_of_every_pair_finds(edit_lists):
    amendments = dict(enumerate(edit_lists))
    assert competing_pairs(amendments) == brute_force_pairs(amendments)


VOCABULARY = ["the ", "of ", "union ", "組合", "の", "wages, ", "— ", "\n", "\n\n", "peace. "]


@st.composite
def amendments_of_one_base(draw):
    """A base and up to 8 amendments, each changing a few nearby words, some identically."""
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=5, max_size=40))
    pool = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(words) - 1),
                st.sampled_from(["replace", "delete", "insert"]),
                st.sampled_from(["new ", "the ", "新"]),
            ),
            min_size=1,
            max_size=8,
        )
    )
    amended = []
    for _ in range(draw(st.integers(2, 8))):
        chosen = draw(st.lists(st.sampled_from(pool), max_size=4))
        changes = {at: (kind, text) for at, kind, text in chosen}
        pieces = []
        for at, word in enumerate(words):
            kind, text = changes.get(at, ("keep", ""))
            made = {"keep": word, "replace": text, "delete": "", "insert": text + word}
            pieces.append(made[kind])
        amended.append("".join(pieces))
    return "".join(words), amended


def clusters_by_hand(base: str, edits) -> list[Span]:
    hulls: list[list[int]] = []
    for edit in edits:
        if hulls and words_in(base[hulls[-1][1] : edit.span_start]) < GAP_WORDS:
            hulls[-1][1] = edit.end
        else:
            hulls.append([edit.span_start, edit.end])
    return [Span(start, end) for start, end in hulls]


def compete_by_hand(base: str, first, second) -> bool:
    shared = set(first) & set(second)
    first_hulls = clusters_by_hand(base, [edit for edit in first if edit not in shared])
    second_hulls = clusters_by_hand(base, [edit for edit in second if edit not in shared])
    return any(a.touches(b) for a in first_hulls for b in second_hulls)


@settings(max_examples=300, deadline=None)
@given(amendments_of_one_base())
def test_the_sweep_over_clusters_finds_exactly_the_pairs_that_compete_when_compared_one_by_one(
    case,
):
    base, texts = case
    amendments = {number: edits_between(base, text) for number, text in enumerate(texts)}
    expected = {
        frozenset((a, b))
        for (a, first), (b, second) in combinations(amendments.items(), 2)
        if compete_by_hand(base, first, second)
    }
    assert competing_pairs(amendments) == expected


def test_an_insertion_between_words_a_rewrite_kept_competes_when_its_edits_are_close():
    base = "We call on the sections of the union to decide.\n"
    inserted = base.replace("of the", "of all the")
    close = base.replace("sections", "branches").replace("union", "federation")  # 2 kept
    far = base.replace("sections", "branches").replace("to decide", "in decide")  # 3 kept
    assert competing(edits_between(base, close), edits_between(base, inserted))
    assert isinstance(rebase(base, inserted, close), Conflict)
    assert not competing(edits_between(base, far), edits_between(base, inserted))
    assert rebase(base, inserted, far) == Rebased(far.replace("of the", "of all the"))


def test_words_between_edits_are_counted_per_character_in_japanese():
    base = "行政の手続きを簡単にします。\n"
    inserted = base.replace("の手", "の御手")
    close = base.replace("行政", "国").replace("続き", "手順")  # "の手" kept: 2 words
    far = base.replace("行政", "国").replace("簡単", "容易")  # "の手続きを" kept: 5 words
    assert competing(edits_between(base, close), edits_between(base, inserted))
    assert not competing(edits_between(base, far), edits_between(base, inserted))


@settings(max_examples=200, deadline=None)
@given(amendments_of_one_base())
def test_amendments_of_nearby_words_compete_exactly_when_adopting_either_conflicts_the_other(
    case,
):
    base, (first, second, *_) = case
    second_after_first = rebase(base, second, first)
    first_after_second = rebase(base, first, second)
    compete = competing(edits_between(base, first), edits_between(base, second))
    assert isinstance(second_after_first, Conflict) == compete
    assert isinstance(first_after_second, Conflict) == compete
    compromise = merge_compromise(base, {"first": first, "second": second})
    assert isinstance(compromise, Conflict) == compete
    if not compete:
        assert second_after_first == first_after_second == compromise
