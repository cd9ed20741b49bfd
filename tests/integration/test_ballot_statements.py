"""What a ballot costs the database: the token (with its user and roles) in one query, then one
statement that checks the vote is open, stores the ballot and, on PostgreSQL, sends the live
notice; the vote is read only to explain a refusal."""

import pytest
from sqlalchemy import event, select

from corep_drafts.extensions import db
from corep_drafts.models import Ballot
from corep_drafts.services import accounts, amendments, declarations, votes

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"


@pytest.fixture
def vote_id(people):
    declaration = declarations.create_declaration("On heat", TEXT, created_by=people["executive"])
    declarations.transition(people["executive"], declaration.id, "amending")
    amendment = amendments.propose(
        people["delegate_a"], declaration.id, 1, TEXT.replace("paid", "paid in full"), ""
    )
    return votes.open_amendment_vote(people["executive"], amendment.id).id


def statements_of(action) -> list[str]:
    seen = []

    def count(_connection, _cursor, statement, *_):
        seen.append(statement.split()[0].upper())

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return seen


@pytest.fixture
def cast(client, people):
    """A ballot through the API by delegate A, with one token (used once, so that the minute's
    write of its last use is behind it)."""
    token = accounts.create_token(people["delegate_a"])
    headers = {"Authorization": "Bearer " + token}
    assert client.get("/api/v1/declarations", headers=headers).status_code == 200

    def action_of(vote_id, choice, expected_status):
        def action():
            response = client.post(
                f"/api/v1/votes/{vote_id}/ballots", json={"choice": choice}, headers=headers
            )
            assert response.status_code == expected_status, response.get_json()
            return response

        return action

    return action_of


def test_a_first_ballot_a_changed_one_and_a_repeat_each_run_one_query_and_one_upsert(cast, vote_id):
    # on PostgreSQL the upsert is wrapped: WITH stored AS (INSERT ...) SELECT ..., pg_notify(...)
    upsert = "WITH" if db.engine.dialect.name == "postgresql" else "INSERT"
    assert statements_of(cast(vote_id, "yes", 201)) == ["SELECT", upsert]
    assert statements_of(cast(vote_id, "no", 200)) == ["SELECT", upsert]
    assert statements_of(cast(vote_id, "no", 200)) == ["SELECT", upsert]
    stored = db.session.scalars(select(Ballot).where(Ballot.vote_id == vote_id)).one()
    assert (stored.choice, stored.changes) == ("no", 1)
    assert stored.changed_at is not None and stored.changed_at > stored.cast_at


def test_a_ballot_on_no_such_vote_is_404_and_on_a_closed_one_409_and_stores_nothing(
    cast, people, vote_id
):
    cast(vote_id + 1000, "yes", 404)()
    votes.close_vote(people["executive"], vote_id)
    response = cast(vote_id, "yes", 409)()
    assert response.get_json()["error"]["code"] == "vote_closed"
    assert db.session.scalars(select(Ballot)).all() == []
