"""The part of a text an editor changes, and putting the edit back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corep_drafts.domain.text import edits_between, split_paragraphs
from corep_drafts.domain.text.regions import (
    NoSuchRegion,
    Place,
    fit_newlines,
    offsets_region,
    paragraph_hull,
    paragraph_region,
    revision_region,
)

TEXT = (
    "# Title\n\nFirst paragraph here.\n\nSecond one, two lines\nstill second.\n\n- item one\n- "
    "item two\n"
)


def test_a_paragraph_region_is_that_paragraph_and_rebuilding_it_unchanged_gives_the_text_back():
    region = paragraph_region(TEXT, 3)
    assert region.initial == "Second one, two lines\nstill second."
    assert region.paragraphs() == (3, 3)
    assert region.rebuild(region.initial) == TEXT


def test_an_edit_replaces_only_its_region():
    region = paragraph_region(TEXT, 2)
    assert region.rebuild("First paragraph, changed.") == TEXT.replace(
        "First paragraph here.", "First paragraph, changed."
    )


def test_no_paragraph_is_the_whole_text():
    region = paragraph_region(TEXT, None)
    assert region.is_whole and region.paragraphs() is None and region.initial == TEXT


@pytest.mark.parametrize("number", [0, 6, -1])
def test_a_paragraph_the_text_does_not_have_is_refused(number):
    with pytest.raises(NoSuchRegion):
        paragraph_region(TEXT, number)


@pytest.mark.parametrize("start, end", [(-1, 3), (5, 4), (0, len(TEXT) + 1)])
def test_offsets_outside_the_text_are_refused(start, end):
    with pytest.raises(NoSuchRegion):
        offsets_region(TEXT, start, end)


def test_a_place_is_a_paragraph_or_offsets_and_offsets_win():
    assert Place(paragraph=2).region_of(TEXT) == paragraph_region(TEXT, 2)
    assert Place(start=9, end=30).region_of(TEXT) == offsets_region(TEXT, 9, 30)
    assert Place(start=9).region_of(TEXT) == offsets_region(TEXT, 9, len(TEXT))
    assert Place().region_of(TEXT).is_whole


def test_a_browsers_crlf_takes_the_bases_own_line_breaks():
    assert fit_newlines("a\r\nb", "x\ny") == "a\nb"
    assert fit_newlines("a\nb", "x\r\ny") == "a\r\nb"


def test_the_hull_of_a_range_is_its_whole_paragraphs():
    start = TEXT.index("paragraph here")
    start_of_second = TEXT.index("First")
    assert paragraph_hull(TEXT, start, start + 4) == (
        start_of_second,
        start_of_second + len("First paragraph here."),
    )


def test_a_revision_on_the_current_version_edits_the_paragraphs_the_amendment_touches():
    amended = TEXT.replace("still second.", "still the second.")
    touched = (TEXT.index("still"), TEXT.index("still") + len("still"))
    region = revision_region(TEXT, amended, TEXT, touched)
    assert region.initial == "Second one, two lines\nstill the second."
    assert region.rebuild(region.initial) == amended


def test_a_conflicted_revision_puts_the_proposers_wording_in_place_of_the_changed_paragraphs():
    current = TEXT.replace("First paragraph here.", "First paragraph, as adopted.")
    amended = TEXT.replace("First paragraph here.", "First paragraph, as proposed.")
    touched = (TEXT.index("here"), TEXT.index("here") + 4)
    region = revision_region(TEXT, amended, current, touched)
    assert region.base == current and region.initial == "First paragraph, as proposed."
    assert region.rebuild(region.initial) == amended  # nothing else of the current text moved


def test_without_a_touched_range_a_revision_edits_the_whole_current_text():
    region = revision_region(TEXT, TEXT + "More.\n", TEXT, None)
    assert region.is_whole and region.initial == TEXT + "More.\n"


words = st.sampled_from(["alpha", "beta", "ĉu", "İzmir", "自由", "- item", "# Head"])
paragraphs = st.lists(st.lists(words, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(paragraphs=paragraphs, data=st.data())
def test_rebuilding_a_paragraph_with_its_own_text_gives_the_text_back(paragraphs, data):
    text = "\n\n".join(paragraphs) + "\n"
    number = data.draw(st.integers(1, len(split_paragraphs(text))))
    region = paragraph_region(text, number)
    assert region.rebuild(region.initial) == text
    assert region.paragraphs() in ((number, number), None)


@settings(max_examples=200, deadline=None)
@given(paragraphs=paragraphs, data=st.data())
def test_a_revision_region_of_an_amendment_on_the_current_text_rebuilds_the_amendment(
    paragraphs, data
):
    base = "\n\n".join(paragraphs) + "\n"
    victim = data.draw(st.sampled_from(paragraphs))
    amended = base.replace(victim, victim + " changed", 1)
    edits = edits_between(base, amended)
    touched = (min(e.start for e in edits), max(e.end for e in edits))
    region = revision_region(base, amended, base, touched)
    assert region.rebuild(region.initial) == amended
