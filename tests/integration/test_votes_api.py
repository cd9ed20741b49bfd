"""Per-section voting over the API: opening, ballots, closing, adoption, secrecy, deadlines."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from corep_drafts.domain.record import chain_hash
from corep_drafts.extensions import db
from corep_drafts.models import Amendment, Ballot, Declaration, Vote
from corep_drafts.models.base import utcnow
from corep_drafts.services import amendments, declarations

TEXT = (
    "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n\nSections report "
    "before summer.\n"
)


@pytest.fixture
def draft(people):
    declaration = declarations.create_declaration("On heat", TEXT, created_by=people["executive"])
    return declarations.transition(people["executive"], declaration.id, "amending")


def propose(people, draft, role, old, new):
    return amendments.propose(
        people[role], draft.id, draft.current_version.number, TEXT.replace(old, new, 1), "why"
    )


def open_vote(api, amendment, **body):
    response = api("executive", "POST", f"/amendments/{amendment.id}/vote", body or None)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["vote_id"]


def ballot(api, role, vote_id, choice):
    return api(role, "POST", f"/votes/{vote_id}/ballots", {"choice": choice})


def test_the_executive_opens_a_vote_and_the_amendment_is_being_voted(api, people, draft):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    vote_id = open_vote(api, amendment)
    assert db.session.get(Amendment, amendment.id).status == "voting"
    body = api("delegate_b", "GET", f"/votes/{vote_id}").get_json()
    assert body["state"] == "open" and body["subject"]["label"] == "A1"
    assert body["result"]["outcome"] is None


@pytest.mark.parametrize("role, status", [("delegate_a", 403), ("member", 403), (None, 401)])
def test_only_the_executive_opens_votes(api, people, draft, role, status):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    assert api(role, "POST", f"/amendments/{amendment.id}/vote").status_code == status


def test_a_vote_cannot_be_opened_twice_or_on_a_withdrawn_amendment(api, people, draft):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    open_vote(api, amendment)
    assert api("executive", "POST", f"/amendments/{amendment.id}/vote").status_code == 409
    other = propose(people, draft, "delegate_b", "report", "write")
    amendments.withdraw(people["delegate_b"], other.id)
    assert api("executive", "POST", f"/amendments/{other.id}/vote").status_code == 409


def test_competing_amendments_are_voted_one_after_the_other(api, people, draft):
    first = propose(people, draft, "delegate_a", "a set temperature", "30 °C")
    second = propose(people, draft, "delegate_b", "a set temperature", "32 °C")
    open_vote(api, first)
    response = api("executive", "POST", f"/amendments/{second.id}/vote")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "competing_vote_open"


def test_a_delegate_casts_then_changes_a_ballot_and_only_the_latest_counts(api, people, draft):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    vote_id = open_vote(api, amendment)
    assert ballot(api, "delegate_a", vote_id, "no").status_code == 201
    assert ballot(api, "delegate_a", vote_id, "yes").status_code == 200
    assert ballot(api, "delegate_a", vote_id, "yes").status_code == 200
    rows = db.session.scalars(select(Ballot)).all()
    assert [(row.choice, row.changes) for row in rows] == [("yes", 1)]


@pytest.mark.parametrize(
    "role, status", [("executive", 403), ("member", 403), ("admin", 403), (None, 401)]
)
def test_only_delegates_cast_ballots(api, people, draft, role, status):
    vote_id = open_vote(api, propose(people, draft, "delegate_a", "paid", "paid in full"))
    assert ballot(api, role, vote_id, "yes").status_code == status


def test_a_ballot_must_be_yes_no_or_abstain(api, people, draft):
    vote_id = open_vote(api, propose(people, draft, "delegate_a", "paid", "paid in full"))
    assert ballot(api, "delegate_a", vote_id, "maybe").status_code == 422
    assert (
        api("delegate_a", "POST", f"/votes/{vote_id}/ballots", {"vote": "yes"}).status_code == 400
    )


def test_closing_adopts_the_amendment_as_a_new_chained_version_and_carries_the_others(
    api, people, draft, make_user, sections
):
    adopted = propose(
        people, draft, "delegate_a", "Breaks in the shade are paid.", "Breaks are paid."
    )
    apart = propose(people, draft, "delegate_b", "before summer", "before June")
    overlapping = propose(people, draft, "delegate_b", "in the shade", "in cool shade")
    vote_id = open_vote(api, adopted)
    ballot(api, "delegate_a", vote_id, "yes")
    ballot(api, "delegate_b", vote_id, "yes")

    response = api("executive", "POST", f"/votes/{vote_id}/close")
    assert response.status_code == 200
    result = response.get_json()["result"]
    assert result["outcome"] == "adopted"
    assert result["explanation"] == "Adopted: 2 of 2 sections voting said yes; majority needed 2."
    assert {s["name"]: s["position"] for s in result["sections"]} == {
        "Argentina": "yes",
        "Austria": "yes",
    }

    declaration = db.session.get(Declaration, draft.id)
    v1, v2 = declaration.versions
    assert v2.text == adopted.text and v2.cause == "amendment" and v2.amendment_id == adopted.id
    assert v2.prev_hash == v1.hash and v2.hash == chain_hash(v1.hash, v2.text)
    assert db.session.get(Amendment, adopted.id).status == "adopted"
    carried = db.session.get(Amendment, apart.id)
    assert carried.status == "submitted" and carried.base_version.number == 2
    assert carried.text == (
        "Work stops above a set temperature.\n\nBreaks are paid.\n\nSections report before June.\n"
    )
    assert db.session.get(Amendment, overlapping.id).status == "conflicted"
    versions = api("member", "GET", f"/declarations/{draft.id}/versions")
    assert versions.status_code == 404  # members do not read drafts


def test_a_rejected_amendment_changes_no_text(api, people, draft):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    vote_id = open_vote(api, amendment)
    ballot(api, "delegate_a", vote_id, "yes")
    ballot(api, "delegate_b", vote_id, "no")
    result = api("executive", "POST", f"/votes/{vote_id}/close").get_json()["result"]
    assert result["outcome"] == "rejected"
    assert len(db.session.get(Declaration, draft.id).versions) == 1
    assert db.session.get(Amendment, amendment.id).status == "rejected"


def test_a_ballot_after_the_close_gets_409_and_is_not_stored(api, people, draft):
    vote_id = open_vote(api, propose(people, draft, "delegate_a", "paid", "paid in full"))
    api("executive", "POST", f"/votes/{vote_id}/close")
    response = ballot(api, "delegate_a", vote_id, "yes")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "vote_closed"
    assert db.session.scalars(select(Ballot)).all() == []


def test_closing_twice_gets_409(api, people, draft):
    vote_id = open_vote(api, propose(people, draft, "delegate_a", "paid", "paid in full"))
    assert api("executive", "POST", f"/votes/{vote_id}/close").status_code == 200
    assert api("executive", "POST", f"/votes/{vote_id}/close").status_code == 409


def test_while_open_only_turnout_shows_and_after_the_close_positions_but_not_ballots(
    api, people, draft
):
    vote_id = open_vote(api, propose(people, draft, "delegate_a", "paid", "paid in full"))
    ballot(api, "delegate_a", vote_id, "no")
    during = api("executive", "GET", f"/votes/{vote_id}").get_json()
    assert during["turnout"] == {"voted": ["Argentina"], "waiting": ["Austria"]}
    assert during["result"]["sections"] == [] and "no" not in str(during["result"])
    api("executive", "POST", f"/votes/{vote_id}/close")
    after = api("delegate_b", "GET", f"/votes/{vote_id}").get_json()
    assert {s["name"]: s["position"] for s in after["result"]["sections"]} == {
        "Argentina": "no",
        "Austria": "absent",
    }
    assert all("ballots" not in s for s in after["result"]["sections"])


def test_while_open_only_the_executive_gets_the_turnout_by_section(api, people, draft):
    vote_id = open_vote(api, propose(people, draft, "delegate_a", "paid", "paid in full"))
    ballot(api, "delegate_a", vote_id, "yes")
    for role in ("delegate_a", "delegate_b"):
        turnout = api(role, "GET", f"/votes/{vote_id}").get_json()["turnout"]
        assert turnout == {"sections_voted": 1, "sections_total": 2}
    by_section = api("executive", "GET", f"/votes/{vote_id}").get_json()["turnout"]
    assert by_section == {"voted": ["Argentina"], "waiting": ["Austria"]}
    api("executive", "POST", f"/votes/{vote_id}/close")
    after = api("delegate_b", "GET", f"/votes/{vote_id}").get_json()["turnout"]
    assert after == {"voted": ["Argentina"], "waiting": ["Austria"]}


def test_a_roll_call_vote_shows_each_delegates_ballot_after_the_close(api, people, draft):
    vote_id = open_vote(
        api, propose(people, draft, "delegate_a", "paid", "paid in full"), mode="roll_call"
    )
    ballot(api, "delegate_a", vote_id, "yes")
    api("executive", "POST", f"/votes/{vote_id}/close")
    sections = api("executive", "GET", f"/votes/{vote_id}").get_json()["result"]["sections"]
    argentina = next(s for s in sections if s["name"] == "Argentina")
    assert argentina["ballots"] == [{"delegate": people["delegate_a"].name, "choice": "yes"}]


def test_a_vote_past_its_closing_time_counts_as_closed_before_anyone_closes_it(api, people, draft):
    vote_id = open_vote(
        api,
        propose(people, draft, "delegate_a", "paid", "paid in full"),
        closes_at=(utcnow() + timedelta(hours=1)).isoformat(),
    )
    ballot(api, "delegate_a", vote_id, "yes")
    db.session.execute(
        update(Vote).where(Vote.id == vote_id).values(closes_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert ballot(api, "delegate_b", vote_id, "no").status_code == 409
    body = api("delegate_b", "GET", f"/votes/{vote_id}").get_json()
    assert body["state"] == "closed" and body["result"]["outcome"] == "adopted"


def test_votes_close_due_closes_what_is_due_from_the_command_line(api, runner, people, draft):
    vote_id = open_vote(
        api,
        propose(people, draft, "delegate_a", "paid", "paid in full"),
        closes_at=(utcnow() + timedelta(hours=1)).isoformat(),
    )
    assert "No vote was due." in runner.invoke(args=["votes", "close-due"]).output
    db.session.execute(
        update(Vote).where(Vote.id == vote_id).values(closes_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    result = runner.invoke(args=["votes", "close-due"])
    assert result.exit_code == 0 and f"Closed vote {vote_id} (A1): rejected." in result.output
    assert db.session.get(Vote, vote_id).state == "closed"


def test_a_closing_time_in_the_past_or_an_unknown_mode_is_refused(api, people, draft):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    past = (utcnow() - timedelta(minutes=1)).isoformat()
    assert (
        api(
            "executive", "POST", f"/amendments/{amendment.id}/vote", {"closes_at": past}
        ).status_code
        == 422
    )
    assert (
        api(
            "executive", "POST", f"/amendments/{amendment.id}/vote", {"mode": "show of hands"}
        ).status_code
        == 422
    )
    assert (
        api(
            "executive", "POST", f"/amendments/{amendment.id}/vote", {"closes_at": "tomorrow"}
        ).status_code
        == 400
    )


def test_the_final_vote_needs_the_voting_stage_and_no_open_vote_then_adopts_the_declaration(
    api, people, draft
):
    amendment = propose(people, draft, "delegate_a", "paid", "paid in full")
    assert (
        api("executive", "POST", f"/declarations/{draft.id}/final-vote").status_code == 409
    )  # still amending
    vote_id = open_vote(api, amendment)
    api("executive", "POST", f"/declarations/{draft.id}/transitions", {"to": "voting"})
    refused = api("executive", "POST", f"/declarations/{draft.id}/final-vote")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "vote_open"
    ballot(api, "delegate_a", vote_id, "yes")
    api("executive", "POST", f"/votes/{vote_id}/close")

    final = api("executive", "POST", f"/declarations/{draft.id}/final-vote")
    assert final.status_code == 201
    final_id = final.get_json()["vote_id"]
    ballot(api, "delegate_a", final_id, "yes")
    ballot(api, "delegate_b", final_id, "yes")
    assert (
        api("executive", "POST", f"/votes/{final_id}/close").get_json()["result"]["outcome"]
        == "adopted"
    )
    assert api("member", "GET", f"/declarations/{draft.id}").get_json()["status"] == "adopted"
    assert api("member", "GET", f"/votes/{final_id}").status_code == 200


def test_a_failure_in_the_middle_of_closing_leaves_nothing_changed(api, people, draft, monkeypatch):
    adopted = propose(people, draft, "delegate_a", "paid", "paid in full")
    pending = propose(people, draft, "delegate_b", "report", "write")
    vote_id = open_vote(api, adopted)
    ballot(api, "delegate_a", vote_id, "yes")

    def crash(*args, **kwargs):
        raise RuntimeError("the disk caught fire after the new version was written")

    monkeypatch.setattr(amendments, "carry_all", crash)
    with pytest.raises(RuntimeError):
        from corep_drafts.services import votes

        votes.close_vote(people["executive"], vote_id)

    db.session.expire_all()
    assert len(db.session.get(Declaration, draft.id).versions) == 1
    vote = db.session.get(Vote, vote_id)
    assert (vote.state, vote.outcome, vote.result_json) == ("open", None, None)
    assert db.session.get(Amendment, adopted.id).status == "voting"
    assert db.session.get(Amendment, pending.id).status == "submitted"
    monkeypatch.undo()
    assert (
        api("executive", "POST", f"/votes/{vote_id}/close").get_json()["result"]["outcome"]
        == "adopted"
    )
