"""Compromises: the executive makes one at once; the proposers make one together, once every
proposer of the merged amendments agreed."""

import pytest

from corep_drafts.extensions import db
from corep_drafts.models import Amendment
from corep_drafts.services import amendments, compromises, declarations
from corep_drafts.services.errors import NotAllowed, StateConflict

TEXT = (
    "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n\nSections report "
    "before summer.\n"
)


@pytest.fixture
def draft(people):
    declaration = declarations.create_declaration("On heat", TEXT, created_by=people["executive"])
    return declarations.transition(people["executive"], declaration.id, "amending")


def propose(people, draft, role, old, new):
    return amendments.propose(people[role], draft.id, 1, TEXT.replace(old, new, 1), "why")


def test_a_compromise_drafted_by_one_proposer_waits_for_the_other_and_is_then_made(people, draft):
    first = propose(people, draft, "delegate_a", "a set temperature", "30 °C")
    second = propose(people, draft, "delegate_b", "a set temperature", "32 °C")
    proposal = compromises.propose(
        people["delegate_a"],
        draft.id,
        [first.id, second.id],
        TEXT.replace("a set temperature", "31 °C"),
        "We meet halfway.",
    )
    assert proposal.status == "pending" and proposal.result is None
    assert first.status == second.status == "submitted"
    assert [p.id for p in compromises.waiting_for(second.id)] == [proposal.id]

    proposal = compromises.agree(people["delegate_b"], proposal.id)
    assert proposal.status == "made"
    made = proposal.result
    assert made.label == "A3" and made.text == TEXT.replace("a set temperature", "31 °C")
    assert made.proposer_id == people["delegate_a"].id and made.rationale == "We meet halfway."
    assert [c.section.name for c in made.cosponsors] == ["Austria"]
    assert db.session.get(Amendment, first.id).status == "superseded"
    assert compromises.waiting_for(second.id) == []


def test_a_proposer_of_every_merged_amendment_makes_the_compromise_at_once(people, draft):
    first = propose(people, draft, "delegate_a", "paid", "paid in full")
    second = propose(people, draft, "delegate_a", "before summer", "before June")
    proposal = compromises.propose(people["delegate_a"], draft.id, [first.id, second.id])
    assert proposal.status == "made"
    assert proposal.result.text == TEXT.replace("paid", "paid in full").replace(
        "before summer", "before June"
    )


def test_only_proposers_of_the_merged_amendments_draft_or_agree(people, draft, make_user, sections):
    first = propose(people, draft, "delegate_a", "paid", "paid in full")
    second = propose(people, draft, "delegate_b", "before summer", "before June")
    outsider = make_user("delegate", section=sections["A"])
    with pytest.raises(NotAllowed):
        compromises.propose(outsider, draft.id, [first.id, second.id])
    proposal = compromises.propose(people["delegate_b"], draft.id, [first.id, second.id])
    with pytest.raises(NotAllowed):
        compromises.agree(outsider, proposal.id)
    assert proposal.status == "pending"


def test_a_drafted_compromise_lapses_when_one_of_its_amendments_is_withdrawn(people, draft):
    first = propose(people, draft, "delegate_a", "paid", "paid in full")
    second = propose(people, draft, "delegate_b", "before summer", "before June")
    proposal = compromises.propose(people["delegate_a"], draft.id, [first.id, second.id])
    amendments.withdraw(people["delegate_a"], first.id)
    proposal = compromises.agree(people["delegate_b"], proposal.id)
    assert proposal.status == "lapsed" and proposal.result is None
    assert db.session.get(Amendment, second.id).status == "submitted"
    with pytest.raises(StateConflict):
        compromises.agree(people["delegate_b"], proposal.id)


def test_competing_amendments_need_a_wording_even_among_proposers(people, draft):
    first = propose(people, draft, "delegate_a", "a set temperature", "30 °C")
    second = propose(people, draft, "delegate_b", "a set temperature", "32 °C")
    with pytest.raises(Exception, match="compete"):
        compromises.propose(people["delegate_a"], draft.id, [first.id, second.id])


def test_the_other_proposer_agrees_on_the_amendment_page(client, auth, people, draft):
    first = propose(people, draft, "delegate_a", "paid", "paid in full")
    second = propose(people, draft, "delegate_b", "before summer", "before June")
    auth.login("delegate.a@example.org")
    response = auth.post(
        f"/declarations/{draft.id}/compromise",
        {"amendments": [first.id, second.id], "text": TEXT, "rationale": ""},
        token_page=f"/declarations/{draft.id}/compromise",
    )
    assert response.status_code == 302
    auth.logout()
    auth.login("delegate.b@example.org")
    page = client.get(f"/amendments/{second.id}").get_data(as_text=True)
    assert "A compromise is proposed" in page and "Agree to the compromise" in page
    proposal = compromises.waiting_for(second.id)[0]
    response = auth.post(f"/compromises/{proposal.id}/agree", token_page=f"/amendments/{second.id}")
    made = db.session.get(Amendment, first.id).superseded_by
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/amendments/{made.id}"
    )
    assert made.text == TEXT.replace("paid", "paid in full").replace("before summer", "before June")
