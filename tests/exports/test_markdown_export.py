import dataclasses

from export_records import ADOPTED, RATIONALE_TRAP
from markdown_it import MarkdownIt

from corep_drafts.exports import export


def _tables(markdown: str):
    """Each GFM table as a list of rows of cell texts."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables, row, in_cell = [], None, False
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            tables[-1].append(row)
        elif token.type == "inline" and row is not None and in_cell:
            row.append(token.content)
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
    return tables


def test_markdown_starts_with_the_adopted_text_byte_for_byte(record):
    data = export(record, "md")
    assert data.startswith(ADOPTED.encode("utf-8"))
    assert data[len(ADOPTED.encode()) :].startswith(b"\n---\n\n## Record\n")


def test_a_text_without_final_newline_is_still_kept_whole_and_not_turned_into_a_heading(record):
    text = "# Title\n\nLast paragraph without newline"
    data = export(dataclasses.replace(record, text=text, tracked_changes=()), "md").decode()
    assert data.startswith(text)
    tokens = MarkdownIt("commonmark").parse(data)
    assert [t.tag for t in tokens if t.type == "heading_open"][:1] == ["h1"]
    assert any(t.type == "hr" for t in tokens)
    last_text = [
        t for t in tokens if t.type == "inline" and t.content == "Last paragraph without newline"
    ]
    assert last_text and tokens[tokens.index(last_text[0]) - 1].type == "paragraph_open"


def test_markdown_appendix_has_facts_versions_amendments_and_every_vote(record):
    data = export(record, "md").decode()
    appendix = data[len(ADOPTED) :]
    for expected in (
        "### Versions",
        "### Amendments",
        "### Votes on amendments",
        "### Final vote",
        record.version.hash,
        "France, Türkiye, Polska",
        "2025-03-07 18:00 UTC",
    ):
        assert expected in appendix
    for amendment in record.amendments:
        assert f"| {amendment.label} |" in appendix
        if amendment.vote:
            assert amendment.vote.explanation in appendix
    assert record.final_vote.explanation in appendix
    for version in record.versions:
        assert version.hash[:12] in appendix


def test_rationale_with_pipes_newlines_and_html_stays_in_its_table_cell(record):
    tables = _tables(export(record, "md").decode())
    amendments = next(t for t in tables if t[0][0] == "Amendment")
    assert len(amendments) == 1 + len(record.amendments)
    assert all(len(row) == 6 for row in amendments)
    a2 = next(row for row in amendments if row[0] == "A2")
    assert a2[3] == "rejected"
    assert "Workers | employers" in a2[5] and "Ĉu vi konsentas?" in a2[5]
    assert "\n" not in a2[5]
    html = (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .render(export(record, "md").decode())
    )
    assert "<script>" not in html and "&lt;script&gt;alert" in html
    assert "Workers | employers" in html
    assert RATIONALE_TRAP.count("|") == 1


def test_every_vote_table_lists_each_section_with_its_counts(record):
    tables = _tables(export(record, "md").decode())
    vote_tables = [t for t in tables if t[0][0] == "Section"]
    voted = [a for a in record.amendments if a.vote] + [record]
    assert len(vote_tables) == len(voted)
    final = vote_tables[-1]
    assert final[1:] == [
        [s.name, s.position.capitalize(), str(s.yes), str(s.no), str(s.abstain)]
        for s in record.final_vote.sections
    ]


def test_names_with_markdown_punctuation_are_escaped_in_the_appendix(record):
    amendment = dataclasses.replace(record.amendments[0], section="Sección *Sur* | Norte")
    data = export(dataclasses.replace(record, amendments=(amendment,)), "md").decode()
    tables = _tables(data)
    amendments = next(t for t in tables if t[0][0] == "Amendment")
    assert amendments[1][1] == "Sección \\*Sur\\* | Norte"
    assert len(amendments[1]) == 6
