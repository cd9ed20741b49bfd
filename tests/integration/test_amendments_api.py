"""Drafting over the JSON API (CONTRACT.md): transitions, proposing, revising, withdrawing."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import Amendment, AuditEvent
from corep_drafts.models.base import utcnow
from corep_drafts.services import declarations

TEXT = (
    "# On heat\n\n"
    "Work stops above a set temperature.\n\n"
    "Breaks in the shade are paid.\n\n"
    "Sections report before summer.\n"
)


@pytest.fixture
def declaration(people):
    return declarations.create_declaration("On heat", TEXT, created_by=people["executive"])


@pytest.fixture
def amending(api, declaration):
    assert (
        api(
            "executive", "POST", f"/declarations/{declaration.id}/transitions", {"to": "amending"}
        ).status_code
        == 200
    )
    return declaration


def amend(old: str, new: str, text: str = TEXT) -> str:
    assert old in text
    return text.replace(old, new, 1)


def propose(api, declaration, role="delegate_a", base=1, text=None, rationale="Because."):
    return api(
        role,
        "POST",
        f"/declarations/{declaration.id}/amendments",
        {
            "base_version": base,
            "text": text if text is not None else amend("paid", "paid in full"),
            "rationale": rationale,
        },
    )


# --- transitions ------------------------------------------------------------------------------


def test_the_executive_opens_the_amendment_period_and_the_answer_is_the_declaration(
    api, declaration
):
    response = api(
        "executive", "POST", f"/declarations/{declaration.id}/transitions", {"to": "amending"}
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "amending"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "declaration.transition")
    ).one()
    assert (event.from_state, event.to_state, event.actor_id) == (
        "draft",
        "amending",
        declaration.created_by_id,
    )


@pytest.mark.parametrize(
    "target, status, code",
    [
        ("voting", 409, "illegal_transition"),
        ("adopted", 409, "adoption_needs_final_vote"),
        ("published", 409, "illegal_transition"),
        ("finished", 422, "invalid_input"),
    ],
)
def test_an_illegal_transition_is_refused_with_a_clear_code(api, declaration, target, status, code):
    response = api(
        "executive", "POST", f"/declarations/{declaration.id}/transitions", {"to": target}
    )
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert declarations.get_visible_declaration(None, declaration.id) if False else True
    assert db.session.get(type(declaration), declaration.id).status == "draft"


def test_only_the_executive_moves_a_declaration(api, declaration):
    assert (
        api(
            "delegate_a", "POST", f"/declarations/{declaration.id}/transitions", {"to": "amending"}
        ).status_code
        == 403
    )


def test_a_transition_without_a_json_body_is_malformed(api, declaration):
    response = api(
        "executive", "POST", f"/declarations/{declaration.id}/transitions", data="to=amending"
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_request"


# --- proposing --------------------------------------------------------------------------------


def test_a_delegate_proposes_an_amendment_and_gets_it_back_with_its_diff(api, amending, people):
    response = propose(api, amending)
    assert response.status_code == 201
    body = response.get_json()
    assert body["number"] == 1 and body["label"] == "A1"
    assert body["status"] == "submitted" and body["base_version"] == 1
    assert body["section"] == "Argentina" and body["proposer"]["id"] == people["delegate_a"].id
    assert body["text"] == amend("paid", "paid in full")
    changes = [[op, text] for op, text in body["diff"] if op != 0]
    assert changes == [
        [-1, "paid."],
        [1, "paid in full."],
    ]  # word-level: the word with its punctuation
    assert "".join(t for op, t in body["diff"] if op != 1) == TEXT
    assert "".join(t for op, t in body["diff"] if op != -1) == body["text"]
    assert body["competing_with"] == []


def test_numbers_are_stable_and_never_reused(api, amending):
    first = propose(api, amending).get_json()
    api("delegate_a", "POST", f"/amendments/{first['id']}/withdraw")
    second = propose(
        api, amending, text=amend("set temperature", "legal maximum temperature")
    ).get_json()
    assert second["label"] == "A2"


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"base_version": 1, "text": TEXT}, 422, "invalid_input"),  # no change at all
        (
            {"base_version": 7, "text": amend("paid", "unpaid")},
            422,
            "invalid_input",
        ),  # unknown version
        ({"base_version": 1, "text": TEXT * 11}, 422, "invalid_input"),  # over ten times the base
        ({"base_version": 1, "text": "x" * (1024 * 1024 + 1)}, 422, "invalid_input"),  # over 1 MB
        ({"base_version": "1", "text": amend("paid", "unpaid")}, 400, "malformed_request"),
        ({"text": amend("paid", "unpaid")}, 400, "malformed_request"),
        ({"base_version": 1, "text": 42}, 400, "malformed_request"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_stored(api, amending, body, status, code):
    response = api("delegate_a", "POST", f"/declarations/{amending.id}/amendments", body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert db.session.scalars(select(Amendment)).all() == []


def test_a_version_of_another_declaration_is_not_a_base(api, amending, people):
    other = declarations.create_declaration(
        "Other", "Other text.\n\nMore.\n", created_by=people["executive"]
    )
    declarations.edit_draft(people["executive"], other.id, "Other text, edited.\n\nMore.\n")
    response = api(
        "delegate_a",
        "POST",
        f"/declarations/{amending.id}/amendments",
        {"base_version": 2, "text": amend("paid", "unpaid")},
    )
    assert response.status_code == 422


def test_proposing_outside_the_amendment_period_is_409(api, declaration):
    response = propose(api, declaration)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "amendment_period_closed"


def test_proposing_after_the_deadline_is_409(api, amending, people):
    declarations.set_amendment_deadline(
        people["executive"], amending.id, utcnow() - timedelta(minutes=1)
    )
    response = propose(api, amending)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "deadline_passed"
    declarations.set_amendment_deadline(
        people["executive"], amending.id, utcnow() + timedelta(days=1)
    )
    assert propose(api, amending).status_code == 201


@pytest.mark.parametrize(
    "role, status", [("member", 403), ("executive", 403), ("admin", 403), (None, 401)]
)
def test_only_delegates_propose(api, amending, role, status):
    assert propose(api, amending, role=role).status_code == status


def test_members_do_not_see_amendments_of_a_draft(api, amending):
    propose(api, amending)
    assert api("member", "GET", f"/declarations/{amending.id}/amendments").status_code == 404


# --- older versions, rebase at submission -----------------------------------------------------


@pytest.fixture
def two_versions(api, declaration, people):
    """Version 2 rewrote the first rule before the amendment period opened."""
    declarations.edit_draft(
        people["executive"], declaration.id, amend("a set temperature", "30 °C")
    )
    api("executive", "POST", f"/declarations/{declaration.id}/transitions", {"to": "amending"})
    return declaration


def test_an_amendment_written_on_an_older_version_is_carried_onto_the_current_one(
    api, two_versions
):
    response = propose(api, two_versions, base=1, text=amend("paid", "paid in full"))
    body = response.get_json()
    assert response.status_code == 201
    assert body["status"] == "submitted" and body["base_version"] == 2
    assert body["text"] == amend("paid", "paid in full", amend("a set temperature", "30 °C"))
    amendment = db.session.get(Amendment, body["id"])
    assert [(r.kind, r.base_version.number) for r in amendment.revisions] == [
        ("proposed", 1),
        ("rebased", 2),
    ]


def test_an_older_amendment_that_touches_what_changed_since_is_flagged_conflicted(
    api, two_versions
):
    response = propose(api, two_versions, base=1, text=amend("a set temperature", "35 °C"))
    body = response.get_json()
    assert response.status_code == 201
    assert body["status"] == "conflicted" and body["base_version"] == 1
    assert body["text"] == amend("a set temperature", "35 °C")
    assert body["conflict"]


def test_an_older_amendment_already_contained_in_the_current_version_is_refused(api, two_versions):
    response = propose(api, two_versions, base=1, text=amend("a set temperature", "30 °C"))
    assert response.status_code == 422
    assert "already contains" in response.get_json()["error"]["message"]


# --- competing, revising, withdrawing ---------------------------------------------------------


def test_amendments_touching_the_same_words_compete_both_ways(api, amending):
    a = propose(api, amending, text=amend("Breaks in the shade", "Breaks indoors")).get_json()
    b = propose(
        api,
        amending,
        role="delegate_b",
        text=amend("in the shade are", "in the shade and water are"),
    ).get_json()
    c = propose(api, amending, role="delegate_b", text=amend("report", "write")).get_json()
    listing = {
        item["id"]: item
        for item in api("executive", "GET", f"/declarations/{amending.id}/amendments").get_json()
    }
    assert listing[a["id"]]["competing_with"] == [b["id"]]
    assert listing[b["id"]]["competing_with"] == [a["id"]]
    assert listing[c["id"]]["competing_with"] == []
    assert api("delegate_a", "GET", f"/amendments/{a['id']}").get_json()["competing_with"] == [
        b["id"]
    ]


def test_the_proposer_revises_and_every_revision_is_kept(api, amending):
    created = propose(api, amending).get_json()
    response = api(
        "delegate_a",
        "PUT",
        f"/amendments/{created['id']}",
        {
            "base_version": 1,
            "text": amend("paid", "paid at the full rate"),
            "rationale": "Clearer.",
        },
    )
    assert response.status_code == 200
    assert response.get_json()["text"] == amend("paid", "paid at the full rate")
    assert response.get_json()["rationale"] == "Clearer."
    amendment = db.session.get(Amendment, created["id"])
    assert [r.text for r in amendment.revisions] == [
        amend("paid", "paid in full"),
        amend("paid", "paid at the full rate"),
    ]


def test_nobody_but_the_proposer_revises_or_withdraws(api, amending):
    created = propose(api, amending).get_json()
    body = {"base_version": 1, "text": amend("paid", "unpaid")}
    assert api("delegate_b", "PUT", f"/amendments/{created['id']}", body).status_code == 403
    assert api("delegate_b", "POST", f"/amendments/{created['id']}/withdraw").status_code == 403
    assert api("executive", "PUT", f"/amendments/{created['id']}", body).status_code == 403


def test_a_withdrawn_amendment_can_be_neither_withdrawn_again_nor_revised(api, amending):
    created = propose(api, amending).get_json()
    assert (
        api("delegate_a", "POST", f"/amendments/{created['id']}/withdraw").get_json()["status"]
        == "withdrawn"
    )
    again = api("delegate_a", "POST", f"/amendments/{created['id']}/withdraw")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "illegal_transition"
    revised = api(
        "delegate_a",
        "PUT",
        f"/amendments/{created['id']}",
        {"base_version": 1, "text": amend("paid", "x")},
    )
    assert revised.status_code == 409


def test_revising_a_conflicted_amendment_onto_the_current_version_makes_it_submitted(
    api, two_versions
):
    created = propose(
        api, two_versions, base=1, text=amend("a set temperature", "35 °C")
    ).get_json()
    current = amend("a set temperature", "30 °C")
    response = api(
        "delegate_a",
        "PUT",
        f"/amendments/{created['id']}",
        {"base_version": 2, "text": current.replace("30 °C", "35 °C")},
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "submitted" and response.get_json()["base_version"] == 2


def test_an_unknown_amendment_is_404_json(api, amending):
    response = api("delegate_a", "GET", "/amendments/999")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_user_text_comes_back_exactly_and_is_never_interpreted(api, amending):
    text = amend("paid", "paid <script>alert('x')</script> & more")
    body = propose(api, amending, text=text, rationale="<b>bold</b>").get_json()
    assert body["text"] == text and body["rationale"] == "<b>bold</b>"
