"""The audit chain's head, kept outside the database, shows a cut-off tail: `declarations verify`
prints it, `--expect` checks the chain still holds it, and every export and the feed carry it."""

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from corep_testing import HEAT_TEXT, adopt_a_declaration
from pypdf import PdfReader
from sqlalchemy import delete, select

from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent, Ballot, Version, Vote
from corep_drafts.services import declarations

HEAD = re.compile(r"ok ([0-9a-f]{64}):(\d+)\n")


@pytest.fixture
def adopted(people):
    declaration, _amendments = adopt_a_declaration(people)
    return declaration


def verify(runner, declaration_id, expect=None):
    args = ["declarations", "verify", str(declaration_id)]
    return runner.invoke(args=args + (["--expect", expect] if expect else []))


def kept_head(runner, declaration_id) -> str:
    result = verify(runner, declaration_id)
    match = HEAD.fullmatch(result.output)
    assert result.exit_code == 0 and match, result.output
    return f"{match[1]}:{match[2]}"


def events_of(declaration_id) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.declaration_id == declaration_id)
            .order_by(AuditEvent.id)
        )
    )


def cut_events_from(event: AuditEvent) -> None:
    """What an intruder with the database does: delete an event and every one after it."""
    db.session.execute(
        delete(AuditEvent).where(
            AuditEvent.declaration_id == event.declaration_id, AuditEvent.id >= event.id
        )
    )


def assert_caught(runner, declaration_id, head):
    """The cut passes a check without the head (a chain cannot see its own tail cut off) and
    fails against the kept head, in one line."""
    assert verify(runner, declaration_id).exit_code == 0
    result = verify(runner, declaration_id, head)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert head in result.output


def test_an_untouched_chain_passes_against_its_kept_head(runner, adopted):
    head = kept_head(runner, adopted.id)
    events = events_of(adopted.id)
    assert head == f"{events[-1].hash}:{len(events)}"
    assert verify(runner, adopted.id, head).output == f"ok {head}\n"


def test_a_chain_that_grew_since_the_kept_head_passes_and_prints_the_new_head(
    runner, people, adopted
):
    head = kept_head(runner, adopted.id)
    declarations.transition(people["executive"], adopted.id, "published")
    result = verify(runner, adopted.id, head)
    match = HEAD.fullmatch(result.output)
    assert result.exit_code == 0 and match
    assert int(match[2]) == int(head.split(":")[1]) + 1 and match[1] != head.split(":")[0]


def test_deleting_the_newest_event_is_caught_against_the_kept_head(runner, adopted):
    head = kept_head(runner, adopted.id)
    cut_events_from(events_of(adopted.id)[-1])
    db.session.commit()
    assert_caught(runner, adopted.id, head)


def test_deleting_the_newest_version_is_caught_against_the_kept_head(runner, people):
    executive = people["executive"]
    declaration = declarations.create_declaration("Draft", HEAT_TEXT, created_by=executive)
    declarations.edit_draft(executive, declaration.id, HEAT_TEXT + "\nA second thought.\n")
    head = kept_head(runner, declaration.id)
    newest = max(declaration.versions, key=lambda v: v.number)
    announcement = next(
        e
        for e in events_of(declaration.id)
        if e.action == "version.created" and json.loads(e.details)["number"] == newest.number
    )
    cut_events_from(announcement)
    db.session.execute(delete(Version).where(Version.id == newest.id))
    db.session.commit()
    assert_caught(runner, declaration.id, head)


def test_deleting_a_whole_vote_is_caught_against_the_kept_head(runner, adopted):
    head = kept_head(runner, adopted.id)
    final = db.session.scalars(
        select(Vote).where(Vote.declaration_id == adopted.id, Vote.kind == "final")
    ).one()
    opening = next(
        e for e in events_of(adopted.id) if e.action == "vote.opened" and e.object_id == final.id
    )
    cut_events_from(opening)
    db.session.execute(delete(Ballot).where(Ballot.vote_id == final.id))
    db.session.execute(delete(Vote).where(Vote.id == final.id))
    db.session.commit()
    assert_caught(runner, adopted.id, head)


def test_deleting_an_open_vote_alone_is_seen_without_a_head(runner, people, adopted):
    from corep_drafts.services import votes

    declarations.transition(people["executive"], adopted.id, "published")
    declaration = declarations.create_declaration(
        "Second", HEAT_TEXT, created_by=people["executive"]
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    declarations.transition(people["executive"], declaration.id, "voting")
    vote = votes.open_final_vote(people["executive"], declaration.id)
    votes.cast_ballot(people["delegate_a"], vote.id, "yes")
    db.session.execute(delete(Ballot).where(Ballot.vote_id == vote.id))
    db.session.execute(delete(Vote).where(Vote.id == vote.id))
    db.session.commit()
    result = verify(runner, declaration.id)
    assert result.exit_code == 1 and f"vote {vote.id}" in result.output


@pytest.mark.parametrize(
    "expect",
    [
        "nothing",
        "abc:3",
        "0" * 64 + ":x",
        "0" * 64 + ":99999999999",
        "g" * 64 + ":1",
        "0" * 64 + ":" + "9" * 5000,
    ],
)
def test_a_malformed_head_is_refused_in_one_line(runner, adopted, expect):
    result = verify(runner, adopted.id, expect)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith("Error: ")


def test_a_head_longer_than_the_chain_is_caught(runner, adopted):
    digest, length = kept_head(runner, adopted.id).split(":")
    result = verify(runner, adopted.id, f"{digest}:{int(length) + 5}")
    assert result.exit_code == 1 and "is missing" in result.output


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_every_export_carries_the_head_at_the_time_it_was_made(runner, client, auth, adopted):
    head = kept_head(runner, adopted.id)
    auth.login("member@example.org")
    exported = {
        fmt: client.get(f"/declarations/{adopted.id}/export.{fmt}").data
        for fmt in ("md", "html", "pdf", "odt")
    }
    assert head in exported["md"].decode()
    assert head in exported["html"].decode()
    assert head in re.sub(r"\s+", "", pdf_text(exported["pdf"]))
    with zipfile.ZipFile(io.BytesIO(exported["odt"])) as odt:
        assert head in odt.read("content.xml").decode()
        assert head in odt.read("meta.xml").decode()


def test_the_atom_feed_carries_each_declarations_head(runner, client, people, adopted):
    declarations.transition(people["executive"], adopted.id, "published")
    head = kept_head(runner, adopted.id)
    feed = ET.fromstring(client.get("/feed.atom").data)
    atom, corep = "{http://www.w3.org/2005/Atom}", "{urn:corep-drafts:record}"
    (entry,) = feed.findall(f"{atom}entry")
    assert entry.find(f"{corep}chain-head").text == head
