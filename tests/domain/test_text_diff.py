"""Word-level diffs: exact, word-sized, bounded in time, at home in every script."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from corep_drafts.domain.text import diff_words
from corep_drafts.domain.text.tokens import word_tokens

FRAGMENTS = [
    "word",
    "Wort ",
    "mot, ",
    "kelime. ",
    "vorto; ",
    "İstanbul ",
    "ışık ",
    "ĉiuĵaŭde ",
    "e\u0301te\u0301 ",
    "n\u0303",
    "שָׁלוֹם ",
    "مرحبا ",
    "السلام، ",
    "日本語",
    "の",
    "「引用」",
    "１２３",
    "ภาษาไทย",
    "नमस्ते ",
    "한국어 ",
    "👩\u200d👩\u200d👧",
    "👍🏽 ",
    "\u200f",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\n\n",
    "\r",
    "-",
    "* ",
    "# ",
    "&",
    "<b>",
    "(",
    ") ",
    "...",
    "—",
]

unicode_texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
    st.text(max_size=200),
)


def rebuild_old(diff: list[tuple[int, str]]) -> str:
    return "".join(text for op, text in diff if op <= 0)


def rebuild_new(diff: list[tuple[int, str]]) -> str:
    return "".join(text for op, text in diff if op >= 0)


def changes(diff: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(op, text) for op, text in diff if op != 0]


def generated_text(size: int, seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyzäöü") for _ in range(rng.randint(2, 10)))
        for _ in range(2000)
    ]
    pieces, length = [], 0
    while length < size:
        piece = rng.choice(vocabulary) + rng.choice([" ", " ", " ", ", ", ". ", ".\n\n", "\n"])
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(unicode_texts, unicode_texts)
def test_equal_and_deleted_segments_rebuild_the_old_text_and_equal_and_inserted_the_new(old, new):
    diff = diff_words(old, new)
    assert rebuild_old(diff) == old
    assert rebuild_new(diff) == new


@settings(max_examples=200, deadline=None)
@given(unicode_texts)
def test_word_tokens_join_back_into_the_text_and_never_cross_a_line_break(text):
    tokens = word_tokens(text)
    assert "".join(tokens) == text
    for token in tokens:
        assert token in ("\n", "\r", "\r\n") or not ({"\n", "\r"} & set(token))


@settings(max_examples=100, deadline=None)
@given(unicode_texts)
def test_a_text_compared_with_itself_is_one_equal_segment(text):
    assert diff_words(text, text) == ([(0, text)] if text else [])


def test_a_word_carries_its_trailing_punctuation_and_space():
    assert word_tokens("Hello, world! (yes)\n") == ["Hello, ", "world! ", "(", "yes)", "\n"]


def test_a_combining_accent_stays_inside_its_word():
    assert word_tokens("cafe\u0301 ole\u0301") == ["cafe\u0301 ", "ole\u0301"]


def test_japanese_and_thai_are_cut_per_character_with_trailing_punctuation():
    assert word_tokens("行政、くらし。") == ["行", "政、", "く", "ら", "し。"]
    assert word_tokens("ภาษา") == ["ภ", "า", "ษ", "า"]


def test_one_changed_word_in_20_kb_is_one_deletion_and_one_insertion_of_that_word():
    old = generated_text(20_000, seed=3)
    words = old.split(" ")
    middle = len(words) // 2
    assert "\n" not in words[middle]
    changed = words[:middle] + ["replacement"] + words[middle + 1 :]
    diff = diff_words(old, " ".join(changed))
    assert changes(diff) == [(-1, words[middle] + " "), (1, "replacement ")]


def test_one_changed_word_in_japanese_text_without_spaces_is_a_small_span():
    old = "行政手続のオンライン化をさらに推進する。書面・対面義務規定の更なる見直しを実施します。"
    new = old.replace("更なる", "抜本的な")
    assert changes(diff_words(old, new)) == [(-1, "更なる"), (1, "抜本的な")]


def test_semantic_clean_up_joins_a_rewritten_sentence_instead_of_keeping_letter_soup():
    old = "The committee shall meet once a year.\n"
    new = "The board may convene whenever it likes.\n"
    diff = diff_words(old, new)
    assert changes(diff) == [
        (-1, "committee shall meet once a year."),
        (1, "board may convene whenever it likes."),
    ]


def test_a_blank_line_inserted_between_paragraphs_is_a_line_break_not_a_word_change():
    old = "First paragraph.\n\nSecond paragraph.\n"
    new = "First paragraph.\n\n\nSecond paragraph.\n"
    assert changes(diff_words(old, new)) == [(1, "\n")]


def test_crlf_line_endings_survive_a_diff_byte_for_byte():
    old = "One line.\r\nTwo lines.\r\n"
    new = "One line.\r\nTwo long lines.\r\n"
    diff = diff_words(old, new)
    assert changes(diff) == [(1, "long ")]
    assert rebuild_old(diff) == old and rebuild_new(diff) == new


def test_a_full_rewrite_of_200_kb_is_bounded_by_the_timeout_and_still_exact():
    old, new = generated_text(200_000, seed=1), generated_text(200_000, seed=2)
    started = time.perf_counter()
    diff = diff_words(old, new, timeout=0.2)
    elapsed = time.perf_counter() - started
    assert rebuild_old(diff) == old and rebuild_new(diff) == new
    # Tokenising 400 KB is the part of the work outside the diff's own deadline.
    assert elapsed < 0.2 + 0.5


def test_a_text_with_more_distinct_words_than_the_basic_plane_holds_still_diffs_exactly():
    # Changes at both ends keep every word inside the part that is tokenised.
    old = " ".join(f"w{number}" for number in range(60_000))
    new = "first " + old[len("w0 ") : -len("w59999")] + "last"
    diff = diff_words(old, new, timeout=5)
    assert rebuild_old(diff) == old and rebuild_new(diff) == new
    assert changes(diff) == [(-1, "w0 "), (1, "first "), (-1, "w59999"), (1, "last")]
