"""Meeting mode in the pages: the votes list, opening, ballots, the live state, closing."""

import pytest
from sqlalchemy import event

from corep_drafts.extensions import db
from corep_drafts.models import Amendment, Vote
from corep_drafts.services import amendments, declarations, votes

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"


@pytest.fixture
def amendment(people):
    declaration = declarations.create_declaration("On heat", TEXT, created_by=people["executive"])
    declarations.transition(people["executive"], declaration.id, "amending")
    return amendments.propose(
        people["delegate_a"], declaration.id, 1, TEXT.replace("paid", "paid in full"), ""
    )


def test_the_executive_opens_a_vote_from_the_votes_page(client, auth, amendment):
    auth.login("executive@example.org")
    page = client.get(f"/declarations/{amendment.declaration_id}/votes").get_data(as_text=True)
    assert "Open the vote on A1" in page
    response = auth.post(
        f"/amendments/{amendment.id}/vote",
        {"mode": "roll_call", "closes_at": ""},
        token_page=f"/declarations/{amendment.declaration_id}/votes",
    )
    vote = db.session.query(Vote).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/votes/{vote.id}"
    )
    assert vote.mode == "roll_call" and db.session.get(Amendment, amendment.id).status == "voting"


def test_a_delegate_votes_on_the_live_page_and_sees_their_ballot(client, auth, people, amendment):
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    auth.login("delegate.b@example.org")
    page = client.get(f"/votes/{vote.id}").get_data(as_text=True)
    assert "Your ballot for Austria" in page and "0 of 2 sections have voted" in page
    auth.post(f"/votes/{vote.id}/ballot", {"choice": "no"}, token_page=f"/votes/{vote.id}")
    page = client.get(f"/votes/{vote.id}").get_data(as_text=True)
    assert "Your ballot was counted." in page and "1 of 2 sections has voted" in page
    assert 'aria-pressed="true">No<' in page


def test_the_live_state_shows_turnout_but_never_ballots_while_open(client, auth, people, amendment):
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    votes.cast_ballot(people["delegate_a"], vote.id, "no")
    auth.login("delegate.b@example.org")
    state = client.get(f"/votes/{vote.id}/live").get_json()
    assert state == {
        "state": "open",
        "turnout": "1 of 2 sections has voted",
        "outcome": None,
        "explanation": None,
    }
    assert client.get(f"/votes/{vote.id}/live").headers["Cache-Control"] == "no-store"


def test_only_the_executive_sees_which_sections_have_voted_while_the_vote_is_open(
    client, auth, people, amendment
):
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    votes.cast_ballot(people["delegate_a"], vote.id, "no")
    for email in ("delegate.b@example.org", "delegate.a@example.org"):
        auth.login(email)
        state = client.get(f"/votes/{vote.id}/live").get_json()
        assert "voted" not in state and "waiting" not in state
        for page in (f"/votes/{vote.id}", f"/votes/{vote.id}/projector"):
            html = client.get(page).get_data(as_text=True)
            assert 'data-live="waiting"' not in html
            assert "Not voted yet:" not in html and "Waiting for:" not in html
        auth.logout()
    auth.login("executive@example.org")
    state = client.get(f"/votes/{vote.id}/live").get_json()
    assert state["voted"] == ["Argentina"] and state["waiting"] == ["Austria"]
    for page in (f"/votes/{vote.id}", f"/votes/{vote.id}/projector"):
        assert 'data-live="waiting">Austria<' in client.get(page).get_data(as_text=True)


def test_once_closed_every_reader_sees_which_sections_voted(client, auth, people, amendment):
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    votes.cast_ballot(people["delegate_a"], vote.id, "no")
    votes.close_vote(people["executive"], vote.id)
    auth.login("delegate.b@example.org")
    state = client.get(f"/votes/{vote.id}/live").get_json()
    assert state["voted"] == ["Argentina"] and state["waiting"] == ["Austria"]


def test_the_executive_sees_which_sections_have_not_voted_and_closes(
    client, auth, people, amendment
):
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    votes.cast_ballot(people["delegate_a"], vote.id, "yes")
    auth.login("executive@example.org")
    page = client.get(f"/votes/{vote.id}").get_data(as_text=True)
    assert "Not voted yet:" in page and "Austria" in page
    auth.post(f"/votes/{vote.id}/close", token_page=f"/votes/{vote.id}")
    page = client.get(f"/votes/{vote.id}").get_data(as_text=True)
    assert "Adopted: 1 of 1 section voting said yes; majority needed 1." in page
    assert "Read the new version" in page
    assert len(db.session.get(Amendment, amendment.id).declaration.versions) == 2


def test_a_ballot_on_a_closed_vote_is_refused_with_a_message(client, auth, people, amendment):
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    auth.login("delegate.a@example.org")
    token_page = f"/votes/{vote.id}"
    client.get(token_page)
    votes.close_vote(people["executive"], vote.id)
    response = auth.post(
        f"/votes/{vote.id}/ballot", {"choice": "yes"}, token_page=token_page, follow_redirects=True
    )
    assert "This vote is closed; the ballot was not counted." in response.get_data(as_text=True)


def test_the_projector_view_shows_turnout_in_large_type_and_the_result_after(
    client, auth, people, amendment
):
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    auth.login("executive@example.org")
    page = client.get(f"/votes/{vote.id}/projector").get_data(as_text=True)
    assert 'class="projector"' in page and "0 of 2 sections have voted" in page
    votes.close_vote(people["executive"], vote.id)
    page = client.get(f"/votes/{vote.id}/projector").get_data(as_text=True)
    assert "Rejected" in page and "Argentina" in page


def test_members_cannot_see_votes_of_a_draft(client, auth, people, amendment):
    vote = votes.open_amendment_vote(people["executive"], amendment.id)
    auth.login("member@example.org")
    assert client.get(f"/votes/{vote.id}").status_code == 404
    assert client.get(f"/votes/{vote.id}/live").status_code == 404


def test_the_amendment_page_offers_the_executive_to_put_it_to_the_vote_and_links_the_vote(
    client, auth, people, amendment
):
    auth.login("executive@example.org")
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Put A1 to the vote" in page
    auth.post(
        f"/amendments/{amendment.id}/vote",
        {"mode": "secret"},
        token_page=f"/amendments/{amendment.id}",
    )
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Put A1 to the vote" not in page and "The vote is open: go to it" in page
    auth.logout()
    auth.login("delegate.b@example.org")
    assert "Put A1 to the vote" not in client.get(f"/amendments/{amendment.id}").get_data(
        as_text=True
    )


def test_a_refused_opening_goes_back_to_the_votes_page_with_the_reason(
    client, auth, people, amendment
):
    amendments.withdraw(people["delegate_a"], amendment.id)
    auth.login("executive@example.org")
    response = auth.post(
        f"/amendments/{amendment.id}/vote",
        {"mode": "secret"},
        token_page=f"/declarations/{amendment.declaration_id}/votes",
        follow_redirects=True,
    )
    assert response.request.path == f"/declarations/{amendment.declaration_id}/votes"
    assert "A1 cannot be put to the vote: its status is “withdrawn”." in response.get_data(
        as_text=True
    )
    final = auth.post(
        f"/declarations/{amendment.declaration_id}/final-vote",
        {"mode": "secret"},
        token_page=f"/declarations/{amendment.declaration_id}/votes",
        follow_redirects=True,
    )
    assert "The final vote is held when the declaration is in the voting stage." in final.get_data(
        as_text=True
    )


def statements_while(action) -> int:
    statements = []

    def counted(*arguments):
        statements.append(arguments)

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return len(statements)


def test_the_vote_page_takes_as_many_statements_with_ten_ballots_as_with_two_and_names_them(
    client, auth, people, sections, make_user, amendment
):
    """Every delegate in the hall reloads the live page when a vote closes: the names beside
    the ballots of a roll call come in one query, not one per ballot."""
    vote = votes.open_amendment_vote(people["executive"], amendment.id, mode="roll_call")
    voters = [people["delegate_a"], people["delegate_b"]]
    voters += [
        make_user("delegate", "member", section=sections["A"], name=f"Voter {n}") for n in range(8)
    ]
    auth.login("delegate.b@example.org")
    page = f"/votes/{vote.id}"
    for voter in voters[:2]:
        votes.cast_ballot(voter, vote.id, "yes")
    with_two = statements_while(lambda: client.get(page))
    assert client.get(page).status_code == 200
    for voter in voters[2:]:
        votes.cast_ballot(voter, vote.id, "no")
    assert statements_while(lambda: client.get(page)) == with_two
    votes.close_vote(people["executive"], vote.id)
    result = client.get(page).get_data(as_text=True)
    assert all(f"Voter {n}: No" in result for n in range(8))
