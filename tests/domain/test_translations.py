"""Translations aligned paragraph by paragraph with their source, and carried onto a new version
so that only the changed passages are redone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corep_drafts.domain.text import split_paragraphs
from corep_drafts.domain.translations import (
    KindMismatch,
    Misaligned,
    assemble,
    blocks,
    carry,
    check_alignment,
    pair_paragraphs,
    source_changes,
)

SOURCE = (
    "# Declaración sobre la libertad de reunión\n\n"
    "## Lo que defendemos\n\n"
    "La libertad de reunirse sin permiso previo.\n\n"
    "La libertad de hacer huelga.\n\n"
    "- en las calles\n"
    "- en las plazas\n"
)
GERMAN = (
    "# Erklärung zur Versammlungsfreiheit\n\n"
    "## Was wir verteidigen\n\n"
    "Die Freiheit, sich ohne vorherige Genehmigung zu versammeln.\n\n"
    "Die Freiheit zu streiken.\n\n"
    "- auf den Straßen\n"
    "- auf den Plätzen\n"
)


def test_a_translation_with_the_same_paragraphs_of_the_same_kinds_is_aligned():
    check_alignment(SOURCE, GERMAN)


def test_a_translation_with_a_paragraph_too_many_is_refused_naming_both_counts():
    with pytest.raises(Misaligned) as refused:
        check_alignment(SOURCE, GERMAN + "\nEin Absatz zu viel.\n")
    assert refused.value.params == {"source_paragraphs": 6, "translation_paragraphs": 7}
    assert refused.value.code == "translation_misaligned"


def test_a_heading_translated_as_a_plain_paragraph_is_refused_naming_the_paragraph():
    with pytest.raises(KindMismatch) as refused:
        check_alignment(SOURCE, GERMAN.replace("## Was wir verteidigen", "Was wir verteidigen"))
    assert refused.value.params == {
        "paragraph": 2,
        "source_kind": "heading",
        "translation_kind": "paragraph",
    }


def test_assembling_keeps_the_sources_markers_and_breaks_so_the_result_is_aligned():
    contents = [block.content for block in blocks(GERMAN)]
    assert assemble(SOURCE, contents) == GERMAN
    check_alignment(SOURCE, assemble(SOURCE, ["Titel", "Kopf", "Eins.\n", "  Zwei.", "a", "b"]))


def test_a_blank_line_inside_a_translated_paragraph_makes_it_misaligned():
    text = assemble(SOURCE, ["Titel", "Kopf", "Eins.\n\nNoch eins.", "Zwei.", "a", "b"])
    with pytest.raises(Misaligned):
        check_alignment(SOURCE, text)


def test_an_unchanged_source_carries_every_translated_paragraph_as_it_was():
    carried = carry(SOURCE, SOURCE, GERMAN)
    assert [p.translation for p in carried.paragraphs] == [b.content for b in blocks(GERMAN)]
    assert carried.changes == () and carried.removed == ()


def test_a_changed_paragraph_keeps_its_old_translation_beside_the_word_diff_of_its_source():
    amended = SOURCE.replace("hacer huelga.", "hacer huelga y de organizar piquetes.")
    carried = carry(SOURCE, amended, GERMAN)
    changed = [p for p in carried.paragraphs if p.change]
    assert [p.number for p in changed] == [4]
    assert changed[0].translation == "Die Freiheit zu streiken."
    assert (1, "huelga y de organizar piquetes.") in changed[0].change.diff
    assert changed[0].change.kind == "changed" and changed[0].change.old_paragraph == 4


def test_an_added_paragraph_starts_empty_and_the_others_keep_their_numbers_and_translations():
    amended = SOURCE.replace(
        "## Lo que defendemos\n\n", "## Lo que defendemos\n\nUn párrafo nuevo.\n\n"
    )
    carried = carry(SOURCE, amended, GERMAN)
    added = carried.paragraphs[2]
    assert (added.number, added.translation, added.change.kind) == (3, "", "added")
    assert (
        carried.paragraphs[3].translation
        == "Die Freiheit, sich ohne vorherige Genehmigung zu versammeln."
    )
    assert carried.paragraphs[3].change is None


def test_a_removed_paragraph_is_reported_with_the_translation_that_went_with_it():
    amended = SOURCE.replace("La libertad de hacer huelga.\n\n", "")
    carried = carry(SOURCE, amended, GERMAN)
    ((change, translation),) = carried.removed
    assert (change.kind, change.old_paragraph, change.paragraph) == ("removed", 4, 4)
    assert translation == "Die Freiheit zu streiken."
    assert len(carried.paragraphs) == 5


def test_a_changed_paragraph_between_an_added_and_a_removed_one_pairs_with_its_likeness():
    old = ["Alpha beta gamma delta.", "Work stops above a set temperature.", "Omega."]
    new = ["Something entirely new here.", "Work stops above 30 degrees.", "Omega."]
    assert pair_paragraphs(old, new) == [(0, None), (None, 0), (1, 1), (2, 2)]


def test_source_changes_list_each_changed_paragraph_in_the_order_of_the_new_text():
    amended = SOURCE.replace("previo.", "previo ni aviso.").replace(
        "- en las plazas\n", "- en las plazas\n- en los lugares de trabajo\n"
    )
    changes = source_changes(SOURCE, amended)
    assert [(c.paragraph, c.kind) for c in changes] == [(3, "changed"), (7, "added")]


def test_a_text_in_a_script_without_spaces_is_diffed_by_characters_not_as_one_word():
    old = "# 宣言\n\n人人生而自由，在尊严和权利上一律平等。\n"
    new = "# 宣言\n\n人人生而自由，在尊严和权利上完全平等。\n"
    ((change,),) = [source_changes(old, new)]
    assert (-1, "一律") in change.diff and (1, "完全") in change.diff


paragraph_words = st.lists(
    st.sampled_from(["uno", "dos", "tres", "ĉu", "İstanbul", "ırmak", "نعم", "自由"]),
    min_size=1,
    max_size=5,
).map(" ".join)
texts = st.lists(paragraph_words, min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts)
def test_pairing_is_in_order_and_accounts_for_every_paragraph_once(old, new):
    pairs = pair_paragraphs(old, new)
    olds = [i for i, _ in pairs if i is not None]
    news = [j for _, j in pairs if j is not None]
    assert olds == list(range(len(old))) and news == list(range(len(new)))


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts)
def test_carrying_keeps_the_translation_of_exactly_the_unchanged_paragraphs(old, new):
    source, target = "\n\n".join(old) + "\n", "\n\n".join(new) + "\n"
    translation = (
        "\n\n".join(f"T{number}" for number in range(1, len(split_paragraphs(source)) + 1)) + "\n"
    )
    carried = carry(source, target, translation)
    assert [p.number for p in carried.paragraphs] == list(
        range(1, len(split_paragraphs(target)) + 1)
    )
    for paragraph in carried.paragraphs:
        if paragraph.change is None:
            assert paragraph.translation.startswith("T")
            assert old[int(paragraph.translation[1:]) - 1] == paragraph.source.text
    kept = sum(1 for p in carried.paragraphs if p.translation) + len(carried.removed)
    assert kept == len(split_paragraphs(source))


@settings(max_examples=100, deadline=None)
@given(old=texts)
def test_assembling_the_carried_translation_of_an_unchanged_text_gives_the_translation_back(old):
    source = "\n\n".join(old) + "\n"
    translation = "\n\n".join(f"Übersetzung {n}" for n in range(1, len(old) + 1)) + "\n"
    carried = carry(source, source, translation)
    assert assemble(source, [p.translation for p in carried.paragraphs]) == translation


def test_the_real_declaration_of_human_rights_in_spanish_esperanto_and_turkish_aligns(corpus_dir):
    spanish = (corpus_dir / "udhr" / "md" / "spa.md").read_text("utf-8")
    for code in ("epo", "tur", "eng"):
        check_alignment(spanish, (corpus_dir / "udhr" / "md" / f"{code}.md").read_text("utf-8"))


def test_the_real_arabic_declaration_with_a_paragraph_fewer_is_refused(corpus_dir):
    spanish = (corpus_dir / "udhr" / "md" / "spa.md").read_text("utf-8")
    with pytest.raises(Misaligned) as refused:
        check_alignment(spanish, (corpus_dir / "udhr" / "md" / "arb.md").read_text("utf-8"))
    assert refused.value.params == {"source_paragraphs": 92, "translation_paragraphs": 91}
