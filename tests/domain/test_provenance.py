"""Provenance: which version wrote which passage of the latest text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from corep_drafts.domain.provenance import contributions, owners, versions_by_paragraph


def is_subsequence(part: str, whole: str) -> bool:
    letters = iter(whole)
    return all(letter in letters for letter in part)


def test_an_insertion_is_attributed_to_the_version_that_made_it():
    v1 = "Work stops in the heat.\n\nBreaks are paid.\n"
    v2 = "Work stops in the heat.\n\nBreaks in the shade are paid.\n"
    (found,) = contributions([v1, v2])
    assert found.version == 2 and v2[found.start : found.end].strip() in {
        "in the shade",
        "Breaks in the shade",
    }
    assert versions_by_paragraph([v1, v2]) == {1: [], 2: [2]}


def test_a_change_survives_later_changes_elsewhere_and_moves_with_them():
    v1 = "One.\n\nTwo.\n\nThree.\n"
    v2 = "One.\n\nTwo, amended.\n\nThree.\n"
    v3 = "One, first.\n\nTwo, amended.\n\nThree.\n"
    assert versions_by_paragraph([v1, v2, v3]) == {1: [3], 2: [2], 3: []}
    owner = owners([v1, v2, v3])
    assert "".join(ch for ch, o in zip(v3, owner, strict=True) if o == 2).strip(" ,.") != ""


def test_a_deletion_leaves_a_point_in_the_paragraph_it_shortened():
    v1 = "Keep this.\n\nDrop the last words of this.\n"
    v2 = "Keep this.\n\nDrop this.\n"
    found = contributions([v1, v2])
    assert all(c.version == 2 for c in found)
    assert versions_by_paragraph([v1, v2]) == {1: [], 2: [2]}


def test_a_change_overwritten_later_still_counts_in_its_paragraphs_history():
    v1 = "The rule: 30 degrees.\n"
    v2 = "The rule: 32 degrees.\n"
    v3 = "The rule: 35 degrees.\n"
    assert versions_by_paragraph([v1, v2, v3]) == {1: [2, 3]}
    assert set(owners([v1, v2, v3])) <= {1, 3}


WORDS = st.sampled_from(["heat ", "work ", "sección ", "İşçi ", "ĉiu ", "paid ", "\n\n", "breaks "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=1, max_size=25).map("".join), min_size=2, max_size=5))
def test_what_each_version_is_credited_with_is_text_it_really_wrote(texts):
    owner = owners(texts)
    for number, text in enumerate(texts, start=1):
        credited = "".join(ch for ch, o in zip(texts[-1], owner, strict=True) if o == number)
        assert is_subsequence(credited, text)
    for c in contributions(texts):
        assert 0 <= c.start <= c.end <= len(texts[-1])


def test_contributor_covenant_history_is_attributed_across_six_revisions(corpus_dir):
    texts = [
        (corpus_dir / "contributor-covenant" / "en-versions" / f"v0{n}.md").read_text("utf-8")
        for n in range(7)
    ]
    owner = owners(texts)
    assert len(owner) == len(texts[-1])
    credited = {
        n: "".join(ch for ch, o in zip(texts[-1], owner, strict=True) if o == n)
        for n in range(1, 8)
    }
    for number, text in enumerate(texts, start=1):
        assert is_subsequence(credited[number], text)
    # 2.1 (the last) reworded the enforcement section: its words are credited to version 7
    assert credited[7] and "Enforcement" in texts[-1]
    by_paragraph = versions_by_paragraph(texts)
    assert any(7 in found for found in by_paragraph.values())
    assert any(6 in found for found in by_paragraph.values())  # 2.0, the great rewrite
