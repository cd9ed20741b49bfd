"""Row locks: a later lock in the same transaction keeps the earlier ones (a close locks the
declaration, then the vote; two closes on one declaration once both adopted a version 2)."""

import pytest
from corep_testing import postgres_server_url
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from corep_drafts.extensions import db
from corep_drafts.models import Declaration, User
from corep_drafts.services import declarations
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
