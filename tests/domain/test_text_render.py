"""HTML views: escaped, word-level, in their paragraphs, with the amendments marked."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markupsafe import Markup

from corep_drafts.domain.text import (
    edits_between,
    render_draft,
    render_inline,
    render_side_by_side,
)
from corep_drafts.domain.text.render import Wording

PARAGRAPHS = [f"Paragraph {number} says something about point {number}." for number in range(1, 9)]
BASE = "\n\n".join(PARAGRAPHS) + "\n"
HOSTILE_BASE = "Tom & Jerry <script>alert('old')</script> agree.\n\nSecond & last.\n"
HOSTILE_AMENDED = "Tom & Jerry <script>alert('new')</script> agree & sign.\n\nSecond & last.\n"


class TagCollector(HTMLParser):
    """The element names and the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def parsed(markup: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(markup)
    return collector


def test_every_view_escapes_the_users_text_in_both_versions():
    views = [
        render_inline(HOSTILE_BASE, HOSTILE_AMENDED),
        render_side_by_side(HOSTILE_BASE, HOSTILE_AMENDED),
        render_draft(HOSTILE_BASE, {"<b>A1</b>": HOSTILE_AMENDED}),
    ]
    for view in views:
        assert isinstance(view, Markup)
        assert "<script>" not in view and "<b>" not in view
        assert "script" not in parsed(view).tags
        assert "&lt;script&gt;" in view and "&amp; Jerry" in view
    assert '<del class="cd-del">old&#39;)&lt;/script&gt; agree.</del>' in views[0]
    assert '<ins class="cd-ins">new&#39;)&lt;/script&gt; agree &amp; sign.</ins>' in views[0]


def test_inline_view_marks_only_the_changed_word_and_shows_one_paragraph_of_context():
    amended = BASE.replace("about point 5", "about item 5")
    view = render_inline(BASE, amended)
    assert re.findall(r"<del[^>]*>(.*?)</del>", view) == ["point "]
    assert re.findall(r"<ins[^>]*>(.*?)</ins>", view) == ["item "]
    shown = re.findall(r'data-paragraph="(\d+)"', view)
    assert shown == ["4", "5", "6"]
    assert 'data-paragraph="5"' in view and "cd-para--changed" in view


def test_changes_far_apart_are_shown_in_separate_hunks():
    amended = BASE.replace("point 1.", "point one.").replace("point 8.", "point eight.")
    view = render_inline(BASE, amended, context_paragraphs=0)
    assert view.count('<section class="cd-hunk"') == 2
    assert re.findall(r'data-paragraph="(\d+)"', view) == ["1", "8"]


def test_side_by_side_puts_the_current_text_left_and_the_amended_text_right():
    amended = BASE.replace("about point 3", "about item 3")
    view = render_side_by_side(BASE, amended, context_paragraphs=0)
    (row,) = re.findall(r'<tr class="cd-para[^"]*" data-paragraph="3">(.*?)</tr>', view)
    old_cell, new_cell = re.findall(r'<td class="cd-(?:old|new)">(.*?)</td>', row)
    assert '<del class="cd-del">point </del>' in old_cell and "<ins" not in old_cell
    assert '<ins class="cd-ins">item </ins>' in new_cell and "<del" not in new_cell
    assert '<th scope="col" class="cd-old">−</th>' in view


def test_the_words_a_diff_carries_for_screen_readers_are_the_callers():
    amended = BASE.replace("about point 3", "about item 3")
    wording = Wording(
        paragraphs=lambda first, last: f"Absatz {first}–{last}",
        amendments_to=lambda number: f"Anträge zu {number}",
        old_label="Jetzt",
        new_label="<Neu>",
    )
    inline = render_inline(BASE, amended, wording=wording)
    side = render_side_by_side(BASE, amended, wording=wording)
    draft = render_draft(BASE, {"A1": amended}, wording=wording)
    assert 'aria-label="Absatz 2–4"' in inline
    assert '<th scope="col" class="cd-old">Jetzt</th>' in side and "&lt;Neu&gt;" in side
    assert 'aria-label="Anträge zu 3"' in draft
    assert "Paragraph" not in re.sub(r"Paragraph \d+ says", "", inline + side + draft)


def test_a_new_paragraph_inserted_between_two_is_shown_with_its_line_breaks_visible():
    amended = BASE.replace(PARAGRAPHS[2] + "\n\n", PARAGRAPHS[2] + "\n\nA new paragraph.\n\n")
    view = render_inline(BASE, amended, context_paragraphs=0)
    (inserted,) = re.findall(r"<ins[^>]*>(.*?)</ins>", view, flags=re.S)
    assert "A new paragraph." in inserted
    assert 'class="cd-newline"' in inserted


def test_the_draft_shows_every_paragraph_and_lists_the_amendments_touching_each():
    amendments = {
        "A1": BASE.replace("point 2", "point two"),
        "A2": edits_between(BASE, BASE.replace("Paragraph 2", "Section 2")),
        "A3": BASE.replace("point 7", "point seven"),
    }
    view = render_draft(BASE, amendments, label=lambda key: f"Amendment {key}")
    assert re.findall(r'id="cd-para-(\d+)"', view) == [str(n) for n in range(1, 9)]
    blocks = view.split('<div class="cd-para ')[1:]
    markers = {
        re.search(r'data-paragraph="(\d+)"', block)[1]: re.findall(r'cd-marker">(.*?)<', block)
        for block in blocks
    }
    assert markers["2"] == ["Amendment A1", "Amendment A2"]
    assert markers["7"] == ["Amendment A3"]
    assert all(markers[str(n)] == [] for n in (1, 3, 4, 5, 6, 8))
    assert view.count('<mark class="cd-touched">') == 3


def test_a_label_given_as_markup_is_kept_as_markup_in_the_draft():
    link = Markup('<a href="/amendments/1">Ä1</a>')
    view = render_draft(BASE, {1: BASE.replace("point 4", "point four")}, label=lambda _: link)
    assert '<li class="cd-marker"><a href="/amendments/1">Ä1</a></li>' in view


def test_an_insertion_point_is_marked_in_the_draft_without_hiding_the_text():
    amended = BASE.replace("Paragraph 6 says", "Paragraph 6 clearly says")
    view = render_draft(BASE, {"A9": amended})
    assert 'Paragraph 6 <span class="cd-insertion-point" aria-hidden="true">‸</span>says' in view


def test_text_added_to_an_empty_draft_is_shown():
    view = render_inline("", "First words & more.\n")
    assert '<ins class="cd-ins">First words &amp; more.' in view
