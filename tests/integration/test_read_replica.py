"""A read replica: the public record's pages read from it, everything else from the primary.

The "replica" here is a second database holding an older state of the same declaration (another
title), so each page shows which database it read from.
"""

import pytest
from corep_testing import PASSWORD, AuthActions, config_for_tests
from sqlalchemy import func, select

from corep_drafts import create_app, read_replica
from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent, Declaration
from corep_drafts.services import accounts, declarations

READER = "reader@example.org"


def seeded(app, title: str) -> None:
    """The same member and the same adopted declaration (id 1) in a database, under `title`."""
    with app.app_context():
        db.create_all()
        accounts.add_user(READER, "Reader", ["member"], PASSWORD)
        declaration = declarations.create_declaration(title, "We agree.\n")
        declaration.status = "adopted"  # the record shows adopted declarations
        db.session.commit()


@pytest.fixture(scope="module")
def primary_and_replica(fresh_database_url):
    replica_url = fresh_database_url("replica")
    replica_app = create_app(config_for_tests(replica_url))
    seeded(replica_app, "As the replica has it")
    settings = read_replica.settings(replica_url, lag_seconds=0)
    primary_app = create_app({**config_for_tests(fresh_database_url("primary")), **settings})
    seeded(primary_app, "As the primary has it")
    yield primary_app, replica_app
    for app in (primary_app, replica_app):
        with app.app_context():
            db.engine.dispose()
    with primary_app.app_context():
        read_replica.engine().dispose()


def replica_rows(replica_app) -> tuple[int, int]:
    with replica_app.app_context():
        return (
            db.session.scalar(select(func.count(AuditEvent.id))),
            db.session.scalar(select(func.count(Declaration.id))),
        )


def signed_in_client(app):
    client = app.test_client()
    assert AuthActions(client).login(READER).status_code == 302
    return client


def test_the_reading_view_history_and_exports_read_from_the_replica(primary_and_replica):
    primary, replica = primary_and_replica
    primary.config["COREP_REPLICA_LAG_SECONDS"] = 0
    client = signed_in_client(primary)
    for path in ("/read/1", "/read/1/v/1", "/declarations/1/history", "/declarations/1/export.md"):
        page = client.get(path).get_data(as_text=True)
        assert "As the replica has it" in page, path
        assert "As the primary has it" not in page, path


def test_pages_outside_the_record_read_from_the_primary(primary_and_replica):
    primary, _ = primary_and_replica
    primary.config["COREP_REPLICA_LAG_SECONDS"] = 0
    page = signed_in_client(primary).get("/").get_data(as_text=True)
    assert "As the primary has it" in page
    assert "As the replica has it" not in page


def test_someone_who_has_just_changed_something_reads_from_the_primary(primary_and_replica):
    primary, _ = primary_and_replica
    primary.config["COREP_REPLICA_LAG_SECONDS"] = 60
    try:
        client = signed_in_client(primary)  # signing in is a change made by this person
        page = client.get("/read/1").get_data(as_text=True)
    finally:
        primary.config["COREP_REPLICA_LAG_SECONDS"] = 0
    assert "As the primary has it" in page
    assert "As the replica has it" not in page


def test_nothing_is_written_to_the_replica(primary_and_replica):
    primary, replica = primary_and_replica
    primary.config["COREP_REPLICA_LAG_SECONDS"] = 0
    before = replica_rows(replica)
    client = signed_in_client(primary)
    for path in ("/read/1", "/declarations/1/history", "/feed.atom"):
        assert client.get(path).status_code == 200, path
    assert replica_rows(replica) == before


def test_without_the_setting_there_is_no_replica():
    assert read_replica.settings(None, None) == {}
    assert read_replica.settings("", 5) == {}
