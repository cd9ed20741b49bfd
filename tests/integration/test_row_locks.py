"""Row locks: a later lock in the same transaction keeps the earlier ones (a close locks the
declaration, then the vote; two closes on one declaration once both adopted a version 2); a
ballot holds its vote FOR SHARE, so ballots run side by side while a close waits for them, and a
ballot that comes during a close waits for it and is refused."""

import threading
import time

import pytest
from corep_testing import postgres_server_url
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from corep_drafts.extensions import db
from corep_drafts.models import Ballot, Declaration, User
from corep_drafts.services import amendments, declarations, votes
from corep_drafts.services.errors import StateConflict
from corep_drafts.services.rows import lock_row

pytestmark = pytest.mark.skipif(
    postgres_server_url() is None, reason="row locks are seen from another session on PostgreSQL"
)


def is_locked_elsewhere(declaration_id: int) -> bool:
    other = create_engine(db.engine.url)
    try:
        with other.connect() as connection:
            connection.execute(
                text("SELECT id FROM declaration WHERE id = :id FOR UPDATE NOWAIT"),
                {"id": declaration_id},
            )
        return False
    except OperationalError:
        return True
    finally:
        other.dispose()


def test_a_second_row_lock_in_one_transaction_keeps_the_first(app, make_user):
    executive = make_user("executive")
    declaration_id = declarations.create_declaration("Locks", "Text.\n", created_by=executive).id
    declarations.lock_declaration(declaration_id)
    assert is_locked_elsewhere(declaration_id)
    lock_row(User, executive.id)
    assert is_locked_elsewhere(declaration_id)
    db.session.commit()
    assert not is_locked_elsewhere(declaration_id)
    lock_row(Declaration, declaration_id)  # a new transaction starts afresh
    assert is_locked_elsewhere(declaration_id)
    db.session.rollback()


def vote_lock_taken_elsewhere(vote_id: int, strength: str) -> bool:
    """Whether another session could lock the vote ``strength`` (SHARE, NO KEY UPDATE) now."""
    other = create_engine(db.engine.url)
    try:
        with other.connect() as connection:
            connection.execute(
                text(f"SELECT id FROM vote WHERE id = :id FOR {strength} NOWAIT"), {"id": vote_id}
            )
        return True
    except OperationalError:
        return False
    finally:
        other.dispose()


@pytest.fixture
def open_vote_id(people):
    text_ = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"
    declaration = declarations.create_declaration("Locks", text_, created_by=people["executive"])
    declarations.transition(people["executive"], declaration.id, "amending")
    amendment = amendments.propose(
        people["delegate_a"], declaration.id, 1, text_.replace("paid", "paid in full"), ""
    )
    return votes.open_amendment_vote(people["executive"], amendment.id).id


def test_a_ballot_in_progress_lets_other_ballots_in_but_keeps_a_close_waiting(people, open_vote_id):
    seen = {}

    def looking_before_the_ballot_commits(_session):
        seen["another ballot"] = vote_lock_taken_elsewhere(open_vote_id, "SHARE")
        seen["a close"] = vote_lock_taken_elsewhere(open_vote_id, "NO KEY UPDATE")

    event.listen(Session, "before_commit", looking_before_the_ballot_commits)
    try:
        votes.cast_ballot(people["delegate_a"], open_vote_id, "yes")
    finally:
        event.remove(Session, "before_commit", looking_before_the_ballot_commits)
    assert seen == {"another ballot": True, "a close": False}
    assert vote_lock_taken_elsewhere(open_vote_id, "NO KEY UPDATE")  # released at the commit


def test_a_ballot_that_comes_while_a_close_holds_the_vote_waits_then_stores_nothing(
    app, people, open_vote_id
):
    closing = create_engine(db.engine.url)
    delegate_id = people["delegate_a"].id
    outcome = {}

    def ballot():
        with app.app_context():
            try:
                votes.cast_ballot(db.session.get(User, delegate_id), open_vote_id, "yes")
                outcome["stored"] = True
            except StateConflict as refusal:
                outcome["refused"] = refusal.code
            finally:
                db.session.remove()

    try:
        with closing.connect() as connection:
            transaction = connection.begin()
            connection.execute(
                text("UPDATE vote SET state = 'closed' WHERE id = :id"), {"id": open_vote_id}
            )
            thread = threading.Thread(target=ballot, daemon=True)
            thread.start()
            assert waits_for_a_lock("INSERT INTO ballot"), "the ballot did not wait"
            transaction.commit()
            thread.join(timeout=30)
    finally:
        closing.dispose()
    assert outcome == {"refused": "vote_closed"}
    assert db.session.scalars(select(Ballot).where(Ballot.vote_id == open_vote_id)).all() == []


def waits_for_a_lock(statement: str) -> bool:
    """Whether a session running a ``statement`` comes to wait for a lock (bounded)."""
    watcher = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 30
    try:
        with watcher.connect() as connection:
            while time.monotonic() < deadline:
                waiting = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND position(:statement in query) > 0"
                    ),
                    {"statement": statement},
                ).scalar()
                if waiting:
                    return True
                time.sleep(0.01)
    finally:
        watcher.dispose()
    return False
