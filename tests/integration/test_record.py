"""The record: reading view with provenance, publication, permalinks and feed, history, the
audit log, and `declarations verify` on intact and tampered records."""

import re
import xml.etree.ElementTree as ET

import pytest
from corep_testing import adopt_a_declaration
from sqlalchemy import delete, select, text

from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent, Ballot, Vote
from corep_drafts.services import declarations


@pytest.fixture
def adopted(people):
    declaration, amendments = adopt_a_declaration(people)
    return declaration


def test_the_round_leaves_an_adopted_declaration_with_the_adopted_amendment_in_its_text(adopted):
    assert adopted.status == "adopted"
    assert "Work stops above 30 °C." in adopted.current_version.text
    assert "before summer" in adopted.current_version.text  # A2 was rejected


def test_a_member_reads_the_adopted_text_with_how_each_passage_came_to_be(client, auth, adopted):
    auth.login("member@example.org")
    page = client.get(f"/read/{adopted.id}").get_data(as_text=True)
    assert "Record verified" in page
    assert "by Argentina, Austria" in page
    passage = page.split('id="p3"')[1].split('id="p4"')[0]
    assert (
        "How this passage came to be" in passage
        and "A1" in passage
        and "proposed by Argentina" in passage
    )
    assert "with Austria" in passage and "A number, not a promise." in passage
    assert "Adopted: 2 of 2 sections voting said yes; majority needed 2." in passage
    untouched = page.split('id="p4"')[1].split('id="p5"')[0]
    assert "How this passage came to be" not in untouched
    assert 'href="#p2"' in page  # the table of contents links the headings


def test_readers_without_an_account_see_it_only_once_published(client, auth, people, adopted):
    assert client.get(f"/read/{adopted.id}").status_code == 404
    declarations.transition(people["executive"], adopted.id, "published")
    assert client.get(f"/read/{adopted.id}").status_code == 200
    assert client.get(f"/read/{adopted.id}/v/1").status_code == 200
    assert client.get(f"/read/{adopted.id}/v/9").status_code == 404


def test_the_atom_feed_lists_published_declarations_only(client, people, adopted):
    feed = ET.fromstring(client.get("/feed.atom").data)
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findall(f"{atom}entry") == []
    declarations.transition(people["executive"], adopted.id, "published")
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    entries = ET.fromstring(response.data).findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == ["On work in the heat"]
    assert entries[0].find(f"{atom}link").get("href").endswith(f"/read/{adopted.id}")


def test_the_history_lists_versions_and_shows_the_difference_between_two(client, auth, adopted):
    auth.login("member@example.org")
    page = client.get(f"/declarations/{adopted.id}/history?from=1&to=2").get_data(as_text=True)
    assert "amendment A1 adopted" in page
    assert '<ins class="cd-ins">30 °C.' in page and '<del class="cd-del">' in page
    assert "A2" in page and "A3" in page  # the index of amendments with their outcomes
    side = client.get(f"/declarations/{adopted.id}/history?from=1&to=2&view=side").get_data(
        as_text=True
    )
    assert "cd-diff--side-by-side" in side


def test_the_audit_log_is_the_executives_and_filters_by_action(client, auth, adopted):
    auth.login("member@example.org")
    assert client.get("/audit").status_code == 403
    auth.logout()
    auth.login("executive@example.org")
    page = client.get("/audit?action=vote.closed").get_data(as_text=True)
    assert page.count("<td>vote closed</td>") == 3
    assert "<td>amendment proposed</td>" not in page


def test_verify_says_ok_for_an_intact_record(runner, adopted):
    result = runner.invoke(args=["declarations", "verify", str(adopted.id)])
    assert result.exit_code == 0 and re.fullmatch(r"ok [0-9a-f]{64}:\d+\n", result.output)


def test_verify_names_an_altered_version(runner, adopted):
    db.session.execute(
        text("UPDATE version SET text = :t WHERE number = 2 AND declaration_id = :d"),
        {"t": "Forged.\n", "d": adopted.id},
    )
    db.session.commit()
    result = runner.invoke(args=["declarations", "verify", str(adopted.id)])
    assert result.exit_code == 1 and "version 2" in result.output


def test_verify_finds_a_deleted_vote(runner, adopted):
    vote_id = db.session.scalars(
        select(Vote.id).where(Vote.kind == "amendment").order_by(Vote.id)
    ).first()
    db.session.execute(delete(Ballot).where(Ballot.vote_id == vote_id))
    db.session.execute(delete(Vote).where(Vote.id == vote_id))
    db.session.commit()
    result = runner.invoke(args=["declarations", "verify", str(adopted.id)])
    assert result.exit_code == 1 and f"vote {vote_id}" in result.output


def test_verify_finds_a_changed_ballot(runner, adopted):
    ballot = db.session.scalars(select(Ballot).order_by(Ballot.id)).first()
    ballot.choice = "no" if ballot.choice != "no" else "yes"
    db.session.commit()
    result = runner.invoke(args=["declarations", "verify", str(adopted.id)])
    assert result.exit_code == 1 and "ballots on file differ" in result.output


def test_verify_finds_reordered_events(runner, adopted):
    first, second = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.declaration_id == adopted.id)
        .order_by(AuditEvent.id)
        .limit(2)
    ).all()
    swapped = {
        column: getattr(second, column)
        for column in ("action", "object_type", "object_id", "details")
    }
    for column in swapped:
        setattr(second, column, getattr(first, column))
        setattr(first, column, swapped[column])
    db.session.commit()
    result = runner.invoke(args=["declarations", "verify", str(adopted.id)])
    assert result.exit_code == 1 and "audit event" in result.output


def test_verify_of_an_unknown_declaration_fails_with_one_line(runner, app):
    result = runner.invoke(args=["declarations", "verify", "999"])
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0


def test_the_reading_view_reports_a_broken_record(client, auth, adopted):
    db.session.execute(
        text("UPDATE version SET text = :t WHERE number = 1 AND declaration_id = :d"),
        {"t": "Forged.\n", "d": adopted.id},
    )
    db.session.commit()
    auth.login("member@example.org")
    page = client.get(f"/read/{adopted.id}").get_data(as_text=True)
    assert "Record check failed: version 1" in page


@pytest.mark.parametrize(
    "fmt, media_type, magic",
    [
        ("md", "text/markdown", b"# On work in the heat"),
        ("html", "text/html", b"<!doctype html>"),
        ("pdf", "application/pdf", b"%PDF"),
        ("odt", "application/vnd.oasis.opendocument.text", b"PK"),
    ],
)
def test_a_member_downloads_every_export_of_the_adopted_declaration(
    client, auth, adopted, fmt, media_type, magic
):
    auth.login("member@example.org")
    response = client.get(f"/declarations/{adopted.id}/export.{fmt}")
    assert response.status_code == 200 and response.mimetype == media_type
    assert response.data[: len(magic)].lower() == magic.lower()
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="declaration-{adopted.id}.{fmt}"'
    )


def test_an_unknown_export_format_is_404(client, auth, adopted):
    auth.login("member@example.org")
    assert client.get(f"/declarations/{adopted.id}/export.docx").status_code == 404


def test_the_export_command_writes_the_text_with_its_record(runner, adopted, tmp_path):
    out = tmp_path / "record.md"
    result = runner.invoke(
        args=["declarations", "export", str(adopted.id), "--format", "md", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = out.read_text("utf-8")
    assert written.startswith(adopted.current_version.text)
    assert (
        "A1" in written
        and "Adopted: 2 of 2 sections voting said yes; majority needed 2." in written
    )
    bad = runner.invoke(args=["declarations", "export", "999", "--format", "md", "--out", str(out)])
    assert bad.exit_code == 1 and bad.output.startswith("Error: ")
