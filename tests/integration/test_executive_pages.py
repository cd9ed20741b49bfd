"""The executive's drafting pages: creating and editing a declaration, its life cycle, the
amendment deadline, and compromises."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from corep_testing import csrf_token_from
from drafting_support import TEXT, replace
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import Amendment, Declaration
from corep_drafts.services import amendments, declarations


@pytest.fixture
def draft(people):
    declaration = declarations.create_declaration(
        "Heat at work", TEXT, created_by=people["executive"]
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    return declaration


def test_the_executive_creates_edits_and_opens_a_declaration_for_amendments_and_sees_field_errors(
    client, auth, people
):
    auth.login("executive@example.org")
    page = client.get("/declarations/new").get_data(as_text=True)
    response = client.post(
        "/declarations/new",
        data={
            "csrf_token": csrf_token_from(page),
            "title": "On heat",
            "text": "  ",
            "rule": "majority",
            "language": "en",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id="text-error">The text is empty', response.get_data(as_text=True))
    response = client.post(
        "/declarations/new",
        data={
            "csrf_token": csrf_token_from(page),
            "title": "On heat",
            "text": "First.\r\n\r\nSecond.\r\n",
            "rule": "two-thirds",
            "quorum": "3",
            "language": "es",
        },
    )
    assert response.status_code == 302
    declaration = db.session.scalars(select(Declaration)).one()
    assert (declaration.rule, declaration.quorum, declaration.language) == ("two-thirds", 3, "es")
    page = client.get(f"/declarations/{declaration.id}/edit").get_data(as_text=True)
    client.post(
        f"/declarations/{declaration.id}/edit",
        data={
            "csrf_token": csrf_token_from(page),
            "title": "On heat at work",
            "text": "First.\n\nSecond, better.\n",
        },
    )
    assert db.session.get(Declaration, declaration.id).current_version.number == 2
    page = client.get(f"/declarations/{declaration.id}").get_data(as_text=True)
    assert "Open the amendment period" in page
    client.post(
        f"/declarations/{declaration.id}/transition",
        data={"csrf_token": csrf_token_from(page), "to": "amending"},
    )
    page = client.get(f"/declarations/{declaration.id}").get_data(as_text=True)
    assert "The declaration is now: open for amendments." in page
    assert db.session.get(Declaration, declaration.id).status == "amending"
    assert client.get(f"/declarations/{declaration.id}/edit").status_code == 302


def test_an_illegal_transition_is_refused_with_a_message(client, auth, draft):
    auth.login("executive@example.org")
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    client.post(
        f"/declarations/{draft.id}/transition",
        data={"csrf_token": csrf_token_from(page), "to": "published"},
    )
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert re.search(r'class="flash flash-error">[^<]*published', page)
    assert db.session.get(Declaration, draft.id).status == "amending"


@pytest.mark.parametrize(
    "fields",
    [
        {"deadline_iso": "2030-05-01T10:00:00.000Z", "deadline": "2030-05-01T12:00"},
        {"deadline": "2030-05-01T12:00", "tz_offset": "-120"},  # a browser two hours ahead of UTC
    ],
)
def test_the_deadline_is_read_in_the_writers_time_zone_stored_in_utc_and_nonsense_refused(
    client, auth, draft, fields
):
    auth.login("executive@example.org")
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    client.post(
        f"/declarations/{draft.id}/deadline", data={"csrf_token": csrf_token_from(page), **fields}
    )
    stored = db.session.get(Declaration, draft.id).amendment_deadline
    assert stored == datetime(2030, 5, 1, 10, 0, tzinfo=UTC)
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert 'datetime="2030-05-01T10:00:00+00:00"' in page
    client.post(
        f"/declarations/{draft.id}/deadline",
        data={"csrf_token": csrf_token_from(page), "clear": "1"},
    )
    assert db.session.get(Declaration, draft.id).amendment_deadline is None
    client.post(
        f"/declarations/{draft.id}/deadline",
        data={"csrf_token": csrf_token_from(page), "deadline": "soon"},
    )
    assert "not a date" in client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert db.session.get(Declaration, draft.id).amendment_deadline is None


def test_the_executive_merges_two_amendments_into_a_compromise_but_not_one(
    client, auth, people, draft
):
    first = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"), ""
    )
    second = amendments.propose(
        people["delegate_b"], draft.id, 1, replace("to join.", "to sign."), ""
    )
    auth.login("executive@example.org")
    page = client.get(f"/declarations/{draft.id}/compromise").get_data(as_text=True)
    assert "A1 — Argentina" in page and "A2 — Austria" in page
    response = client.post(
        f"/declarations/{draft.id}/compromise",
        data={
            "csrf_token": csrf_token_from(page),
            "amendments": [first.id],
            "text": TEXT,
            "rationale": "",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id="amendments-error">Choose at least two', response.get_data(as_text=True))
    response = client.post(
        f"/declarations/{draft.id}/compromise",
        data={
            "csrf_token": csrf_token_from(page),
            "amendments": [first.id, second.id],
            "text": TEXT.replace("\n", "\r\n"),
            "rationale": "Both.",
        },
    )
    assert response.status_code == 302
    merged = db.session.scalars(select(Amendment).where(Amendment.number == 3)).one()
    assert merged.text == replace("to join.", "to sign.", replace("the heat,", "the worst heat,"))
    assert [db.session.get(Amendment, a.id).status for a in (first, second)] == [
        "superseded",
        "superseded",
    ]
