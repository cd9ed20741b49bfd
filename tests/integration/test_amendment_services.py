"""Drafting rules below the web and the API: co-sponsoring, comments, compromise, carrying
pending amendments onto an adopted version, and the audit trail."""

import pytest
from sqlalchemy import select

from corep_drafts.domain import text as engine
from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent
from corep_drafts.services import amendments, compromises, declarations
from corep_drafts.services.errors import InvalidInput, NotAllowed, StateConflict

TEXT = (
    "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n\nSections report "
    "before summer.\n"
)


@pytest.fixture
def draft(people):
    declaration = declarations.create_declaration("On heat", TEXT, created_by=people["executive"])
    return declarations.transition(people["executive"], declaration.id, "amending")


def propose(people, draft, role, old, new, text=TEXT):
    return amendments.propose(
        people[role], draft.id, draft.current_version.number, text.replace(old, new, 1), "why"
    )


def test_a_delegate_of_another_section_cosponsors_once(people, draft, make_user, sections):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    with pytest.raises(NotAllowed):
        amendments.cosponsor(people["delegate_a"], amendment.id)  # own section
    amendments.cosponsor(people["delegate_b"], amendment.id)
    assert [c.section.name for c in amendment.cosponsors] == ["Austria"]
    colleague = make_user("delegate", section=sections["B"])
    with pytest.raises(NotAllowed):
        amendments.cosponsor(colleague, amendment.id)  # Austria already co-sponsors
    amendments.withdraw_cosponsorship(people["delegate_b"], amendment.id)
    assert amendment.cosponsors == []


def test_comments_belong_to_delegates_and_the_executive_and_are_not_empty(people, draft):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    amendments.add_comment(people["executive"], amendment.id, "  Agreed in principle.  ")
    amendments.add_comment(people["delegate_b"], amendment.id, "Austria agrees.")
    assert [c.body for c in amendment.comments] == ["Agreed in principle.", "Austria agrees."]
    with pytest.raises(InvalidInput):
        amendments.add_comment(people["delegate_b"], amendment.id, "   ")


def test_a_compromise_of_amendments_that_do_not_compete_merges_them_exactly(people, draft):
    first = propose(people, draft, "delegate_a", "paid", "paid in full")
    second = propose(people, draft, "delegate_b", "report", "report in writing")
    merged = compromises.compromise(people["executive"], draft.id, [first.id, second.id])
    assert merged.text == TEXT.replace("paid", "paid in full").replace(
        "report", "report in writing"
    )
    assert merged.label == "A3" and merged.status == "submitted"
    assert {first.status, second.status} == {"superseded"}
    assert first.superseded_by_id == merged.id == second.superseded_by_id
    assert sorted(c.section.name for c in merged.cosponsors) == ["Argentina", "Austria"]


def test_competing_amendments_need_the_executives_own_compromise_text(people, draft):
    first = propose(people, draft, "delegate_a", "a set temperature", "30 °C")
    second = propose(people, draft, "delegate_b", "a set temperature", "32 °C")
    with pytest.raises(InvalidInput, match="A1 and A2 compete"):
        compromises.compromise(people["executive"], draft.id, [first.id, second.id])
    assert first.status == second.status == "submitted"
    merged = compromises.compromise(
        people["executive"],
        draft.id,
        [first.id, second.id],
        text=TEXT.replace("a set temperature", "31 °C"),
    )
    assert "31 °C" in merged.text and first.status == "superseded"


def test_only_the_executive_makes_a_compromise(people, draft):
    first = propose(people, draft, "delegate_a", "paid", "paid in full")
    second = propose(people, draft, "delegate_a", "report", "write")
    with pytest.raises(NotAllowed):
        compromises.compromise(people["delegate_a"], draft.id, [first.id, second.id])


def test_after_an_adoption_disjoint_amendments_are_carried_exactly_and_overlapping_ones_conflict(
    people, draft
):
    adopted = propose(
        people, draft, "delegate_a", "Breaks in the shade are paid.", "Breaks are paid."
    )
    apart = propose(people, draft, "delegate_b", "before summer", "before June")
    overlapping = propose(people, draft, "delegate_b", "in the shade", "in cool shade")
    new_version = declarations.add_version(draft, adopted.text, "amendment", amendment=adopted)
    db.session.flush()
    assert amendments.carry_all([apart], new_version)[apart.id] == "submitted"
    assert amendments.carry_all([overlapping], new_version)[overlapping.id] == "conflicted"
    db.session.commit()
    assert apart.text == (
        "Work stops above a set temperature.\n\nBreaks are paid.\n\nSections report before June.\n"
    )
    assert apart.base_version.number == 2
    assert overlapping.base_version.number == 1 and overlapping.text == TEXT.replace(
        "in the shade", "in cool shade"
    )
    assert overlapping.conflict_reason
    assert [r.kind for r in overlapping.revisions] == ["proposed", "conflicted"]


def test_the_same_edit_already_adopted_leaves_the_amendment_conflicted_not_doubled(people, draft):
    adopted = propose(people, draft, "delegate_a", "paid", "paid in full")
    twin = propose(people, draft, "delegate_b", "paid", "paid in full")
    new_version = declarations.add_version(draft, adopted.text, "amendment", amendment=adopted)
    db.session.flush()
    amendments.carry_all([twin], new_version)
    db.session.commit()
    assert "in full in full" not in twin.text
    assert twin.status == "conflicted"


def test_every_state_change_is_in_the_audit_trail(people, draft):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    amendments.revise(people["delegate_a"], amendment.id, 1, TEXT.replace("paid", "well paid"))
    amendments.withdraw(people["delegate_a"], amendment.id)
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == [
        "declaration.created",
        "version.created",
        "declaration.transition",
        "amendment.proposed",
        "amendment.revised",
        "amendment.withdrawn",
    ]


def test_an_editorial_change_is_only_possible_in_draft(people, draft):
    with pytest.raises(StateConflict):
        declarations.edit_draft(people["executive"], draft.id, TEXT + "\nMore.\n")


def test_an_amendment_keeps_its_word_edits_so_an_adoption_needs_no_diff(people, draft):
    amendment = propose(
        people, draft, "delegate_a", "in the shade are paid", "in cool shade are paid in full"
    )
    stored = amendments.stored_edits(amendment)
    fresh = engine.edits_between(amendment.base_version.text, amendment.text)
    assert stored == fresh and stored
    assert [(e.reach, e.words) for e in stored] == [(e.reach, e.words) for e in fresh]
    assert engine.apply_edits(amendment.base_version.text, stored) == amendment.text
