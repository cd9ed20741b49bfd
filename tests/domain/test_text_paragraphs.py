"""Paragraph numbers and line numbers within paragraphs."""

from __future__ import annotations

from hypothesis import given, settings
from test_text_diff import unicode_texts

from corep_drafts.domain.text import Location, locate, split_paragraphs

DECLARATION = (
    "# Joint declaration\n"  # line 1
    "\n"
    "The sections of the International\n"  # line 3
    "agree on the following\n"
    "points of principle.\n"
    "\n"
    "\n"
    "## Demands\n"  # line 8
    "- Equal pay for equal work\n"  # line 9
    "  across every border.\n"
    "- A shorter working week\n"  # line 11
    "1. Numbered item\n"  # line 12
    "\n"
    "Signed by five sections."  # line 14
)


def test_blank_lines_separate_paragraphs_and_headings_and_list_items_are_blocks_of_their_own():
    paragraphs = split_paragraphs(DECLARATION)
    assert [(p.number, p.kind, p.first_line) for p in paragraphs] == [
        (1, "heading", 1),
        (2, "paragraph", 3),
        (3, "heading", 8),
        (4, "list_item", 9),
        (5, "list_item", 11),
        (6, "list_item", 12),
        (7, "paragraph", 14),
    ]
    assert DECLARATION[paragraphs[3].start : paragraphs[3].end] == (
        "- Equal pay for equal work\n  across every border."
    )


def test_a_range_is_located_by_paragraph_and_by_line_within_the_paragraph():
    start = DECLARATION.index("agree")
    end = DECLARATION.index("principle") + len("principle")
    assert locate(DECLARATION, start, end) == Location(2, 2, 2, 3)


def test_a_range_across_paragraphs_names_the_first_and_the_last():
    start = DECLARATION.index("points")
    end = DECLARATION.index("Equal") + 5
    assert locate(DECLARATION, start, end) == Location(2, 4, 3, 1)


def test_an_insertion_in_the_blank_lines_after_a_paragraph_belongs_to_that_paragraph():
    gap = DECLARATION.index("principle.\n") + len("principle.\n") + 1
    assert locate(DECLARATION, gap, gap) == Location(2, 2, 3, 3)


def test_an_insertion_at_the_very_end_belongs_to_the_last_paragraph():
    end = len(DECLARATION)
    assert locate(DECLARATION, end, end) == Location(7, 7, 1, 1)


def test_windows_line_endings_give_the_same_paragraphs_without_the_carriage_returns():
    crlf = DECLARATION.replace("\n", "\r\n")
    unix, windows = split_paragraphs(DECLARATION), split_paragraphs(crlf)
    assert [(p.kind, p.first_line) for p in unix] == [(p.kind, p.first_line) for p in windows]
    assert [crlf[p.start : p.end].replace("\r\n", "\n") for p in windows] == [
        DECLARATION[p.start : p.end] for p in unix
    ]


def test_a_text_without_paragraphs_still_locates_an_insertion_at_paragraph_one():
    assert split_paragraphs("\n\n  \n") == []
    assert locate("", 0, 0) == Location(1, 1, 1, 1)


@settings(max_examples=200, deadline=None)
@given(unicode_texts)
def test_paragraphs_are_in_order_hold_no_blank_line_and_cover_every_non_blank_line(text):
    paragraphs = split_paragraphs(text)
    previous_end = -1
    for paragraph in paragraphs:
        assert previous_end < paragraph.start <= paragraph.end
        body = text[paragraph.start : paragraph.end]
        assert all(line.strip() for line in body.split("\n"))
        previous_end = paragraph.end
    covered = "".join(text[p.start : p.end] + "\n" for p in paragraphs)
    assert [line.rstrip("\r") for line in covered.split("\n") if line.strip()] == [
        line.rstrip("\r") for line in text.split("\n") if line.strip()
    ]
