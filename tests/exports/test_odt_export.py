import dataclasses
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from export_records import ADOPTED, ROUND_BASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odf_walk import (
    accept_all,
    markdown_paragraphs,
    normalise,
    q,
    read,
    regions,
    reject_all,
    section,
)

from corep_drafts.domain.text import diff_words
from corep_drafts.exports import export
from corep_drafts.exports.model import TrackedChange
from corep_drafts.exports.odt_body import InconsistentChanges


def test_odt_package_starts_with_an_uncompressed_mimetype_and_lists_its_parts(record):
    data = export(record, "odt")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b""
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert data[30:38] == b"mimetype"  # readers sniff the type at this fixed offset
        names = set(package.namelist())
    assert {"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} <= names
    parts = read(data)
    entries = {
        e.get(q("manifest:full-path")): e.get(q("manifest:media-type"))
        for e in parts["META-INF/manifest.xml"]
    }
    assert entries["/"] == "application/vnd.oasis.opendocument.text"
    assert {"content.xml", "styles.xml", "meta.xml"} <= set(entries)
    meta = parts["meta.xml"]
    assert meta.find(f".//{q('dc:title')}").text == record.title
    assert meta.find(f".//{q('dc:language')}").text == "en"


def test_one_changed_region_per_tracked_change_with_its_author_and_date(record):
    content = read(export(record, "odt"))["content.xml"]
    changed = [c for c in record.tracked_changes if c.op != 0]
    found = list(content.iter(q("text:changed-region")))
    assert len(found) == len(changed) == 5
    kinds = [
        ("insertion" if r.find(q("text:insertion")) is not None else "deletion") for r in found
    ]
    assert kinds == ["deletion" if c.op == -1 else "insertion" for c in changed]
    assert [r.find(f".//{q('dc:creator')}").text for r in found] == [c.author for c in changed]
    dates = {r.find(f".//{q('dc:creator')}").text: r.find(f".//{q('dc:date')}").text for r in found}
    assert dates == {
        "A3 (France)": "2025-03-04T10:00:00",
        "A6 (Polska)": "2025-03-06T10:00:00",
        "A5 (Türkiye)": "2025-03-05T10:00:00",
    }
    # Every mark in the body names a region of the matching kind, and every region is marked.
    body = section(content, "Declaration")
    by_id = regions(content)
    starts = [m.get(q("text:change-id")) for m in body.iter(q("text:change-start"))]
    ends = [m.get(q("text:change-id")) for m in body.iter(q("text:change-end"))]
    deletions = [m.get(q("text:change-id")) for m in body.iter(q("text:change"))]
    assert starts == ends and sorted(starts + deletions) == sorted(by_id)


def test_accepting_all_changes_gives_the_adopted_text(record):
    content = read(export(record, "odt"))["content.xml"]
    assert accept_all(content) == markdown_paragraphs(ADOPTED)


def test_rejecting_all_changes_gives_the_text_the_round_began_with(record):
    content = read(export(record, "odt"))["content.xml"]
    assert reject_all(content) == markdown_paragraphs(ROUND_BASE)
    deleted = " ".join(normalise("".join(r.itertext())) for r in regions(content).values())
    assert "shorter" in deleted and "This text is provisional." in deleted


def test_headings_lists_and_paragraphs_keep_their_kind(record):
    body = section(read(export(record, "odt"))["content.xml"], "Declaration")
    headings = [
        (h.get(q("text:outline-level")), normalise("".join(h.itertext())))
        for h in body.iter(q("text:h"))
    ]
    assert headings == [("1", record.title), ("2", "Preamble"), ("2", "Demands")]
    lists = list(body.iter(q("text:list")))
    assert len(lists) == 1 and len(lists[0].findall(q("text:list-item"))) == 3
    assert (
        normalise("".join(lists[0].find(q("text:list-item")).itertext()))
        == "a thirty-two hour working week for all workers without loss of pay;"
    )


def test_the_record_follows_as_tables_with_every_amendment_and_vote(record):
    content = read(export(record, "odt"))["content.xml"]
    appendix = section(content, "Record")
    text = " ".join(normalise(t) for t in appendix.itertext())
    for amendment in record.amendments:
        assert amendment.label in text
        if amendment.vote:
            assert amendment.vote.explanation in text
    assert "<script>alert('pwned')</script>" in text and "Workers | employers" in text
    assert record.final_vote.explanation in text and record.version.hash in text
    tables = list(appendix.iter(q("table:table")))
    names = [t.get(q("table:name")) for t in tables]
    assert len(set(names)) == len(names)
    votes = [
        t
        for t in tables
        if t.get(q("table:name")).startswith(("A", "Final vote"))
        and t.get(q("table:name")).split()[0] not in ("Amendments",)
    ]
    assert len(votes) == sum(1 for a in record.amendments if a.vote) + 1


def test_without_tracked_changes_the_body_is_the_clean_text(record):
    record = dataclasses.replace(record, tracked_changes=())
    content = read(export(record, "odt"))["content.xml"]
    assert content.find(f".//{q('text:tracked-changes')}") is None
    assert accept_all(content) == reject_all(content) == markdown_paragraphs(ADOPTED)


def test_tracked_changes_that_do_not_lead_to_the_text_are_refused(record):
    broken = record.tracked_changes[:-1]
    with pytest.raises(InconsistentChanges):
        export(dataclasses.replace(record, tracked_changes=broken), "odt")


def test_a_title_not_in_the_text_comes_first_outside_the_tracked_text(record):
    text = "Only one paragraph, no heading.\n"
    record = dataclasses.replace(record, text=text, round_base_text=text, tracked_changes=())
    content = read(export(record, "odt"))["content.xml"]
    office_text = content.find(f".//{q('office:text')}")
    first = next(child for child in office_text if child.tag == q("text:p"))
    assert first.text == record.title
    assert accept_all(content) == ["Only one paragraph, no heading."]


TRICKY = [
    # a paragraph split in two, and two joined
    ("One two three four.\n\nFive six.\n", "One two.\n\nThree four.\nFive six.\n"),
    ("Alpha.\n\nBeta.\n\nGamma.\n", "Alpha. Beta.\n\nGamma.\n"),
    # a paragraph becomes a heading, a list item becomes a paragraph
    (
        "Intro\n\nMiddle text\n\n- item one\n- item two\n",
        "Intro\n\n## Middle text\n\nitem one\n\n- item two\n",
    ),
    # everything changes at the start and the end
    ("# Old title\n\nBody stays.\n\nLast words here.\n", "New first paragraph.\n\nBody stays.\n"),
    # nested and numbered lists, a soft line break, spaces that ODF would collapse
    (
        "1. first\n2. second\n   - nested ĉu\n\nA  line\nbroken",
        "1. first\n3. third\n   - nested ŭ\n\nA  line broken\nhere",
    ),
    # from nothing, and to nothing
    ("", "# Heading\n\nText."),
    ("Text to drop.\n\n- all of it\n", ""),
]


@pytest.mark.parametrize("old, new", TRICKY)
def test_changes_across_paragraph_breaks_accept_and_reject_to_the_right_paragraphs(
    record, old, new
):
    changes = tuple(
        TrackedChange(op, text, None if op == 0 else f"A{n} (France)")
        for n, (op, text) in enumerate(diff_words(old, new))
    )
    record = dataclasses.replace(
        record, text=new, round_base_text=old, tracked_changes=changes, title="Another title"
    )
    content = read(export(record, "odt"))["content.xml"]
    expected_new = markdown_paragraphs(new) or [""]
    expected_old = markdown_paragraphs(old) or [""]
    assert accept_all(content) == expected_new
    assert reject_all(content) == expected_old


_WORDS = st.sampled_from(
    [
        "alpha",
        "beta",
        "İzmir",
        "ılık",
        "ĉu",
        "ŭ",
        "x",
        " ",
        " ",
        "\n",
        "\n\n",
        "\n- ",
        "\n## ",
        "\n1. ",
        "\n  - ",
        "  ",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    old=st.lists(_WORDS, max_size=25).map("".join), new=st.lists(_WORDS, max_size=25).map("".join)
)
def test_any_round_of_changes_accepts_to_the_new_words_and_rejects_to_the_old(record, old, new):
    changes = tuple(
        TrackedChange(op, text, None if op == 0 else ("A1 (France)" if n % 2 else "A2 (Polska)"))
        for n, (op, text) in enumerate(diff_words(old, new))
    )
    record = dataclasses.replace(record, text=new, round_base_text=old, tracked_changes=changes)
    content = read(export(record, "odt"))["content.xml"]
    words = lambda paragraphs: " ".join(paragraphs).split()  # noqa: E731
    assert words(accept_all(content)) == words(markdown_paragraphs(new))
    assert words(reject_all(content)) == words(markdown_paragraphs(old))
    assert len(accept_all(content)) == max(len(markdown_paragraphs(new)), 1)
    assert len(reject_all(content)) == max(len(markdown_paragraphs(old)), 1)


def libreoffice_with_uno() -> bool:
    if shutil.which("soffice") is None or not Path("/usr/bin/python3").exists():
        return False
    return (
        subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode
        == 0
    )


@pytest.mark.skipif(
    not libreoffice_with_uno(), reason="LibreOffice with python3-uno is not installed"
)
@pytest.mark.parametrize("action", ["accept", "reject"])
def test_libreoffice_sees_the_tracked_changes_and_accepting_or_rejecting_them_gives_each_text(
    record, tmp_path, action
):
    source = tmp_path / "declaration.odt"
    source.write_bytes(export(record, "odt"))
    target = tmp_path / f"{action}.txt"
    port = str(2002 + (os.getpid() % 1000) + (action == "reject"))
    script = Path(__file__).with_name("libreoffice_changes.py")
    run = subprocess.run(
        ["/usr/bin/python3", str(script), str(source), str(target), action, port],
        check=True,
        timeout=180,
        capture_output=True,
        text=True,
    )
    seen = int(run.stdout.split("tracked changes seen by LibreOffice:")[1].split()[0])
    content = read(export(record, "odt"))["content.xml"]
    assert seen == len(list(content.iter(q("text:changed-region")))) > 0
    shown = target.read_text(encoding="utf-8-sig").split("\nRecord\n")[0]
    expected = record.text if action == "accept" else record.round_base_text
    shown_words = [word for word in shown.split() if word != "•"]  # LibreOffice's list bullets
    assert shown_words == " ".join(normalise(p) for p in markdown_paragraphs(expected)).split()
