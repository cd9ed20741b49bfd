"""Schema from migrations only, identical to the models; configuration from the environment."""

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from corep_testing import config_for_tests
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from corep_drafts import create_app
from corep_drafts.config import ConfigurationError, settings_from_environment
from corep_drafts.domain.folding import fold
from corep_drafts.domain.workflow import AmendmentStatus
from corep_drafts.extensions import db

# SQLite cannot reflect the lower(email) index of migrations 0001-0006 (Alembic and SQLAlchemy
# say so while batch-migrating through them and back).
pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index")


@pytest.fixture
def migrated_app(fresh_database_url):
    app = create_app(config_for_tests(fresh_database_url("migrations")))
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_the_migrations_build_exactly_the_schema_the_models_describe(migrated_app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_the_check_constraints_in_the_database_allow_exactly_the_domains_vocabularies(migrated_app):
    """The models make their CHECK constraints from the domain's enums; the migrated database must
    hold the same lists of values, constraint by constraint."""
    from sqlalchemy import CheckConstraint

    def literals(sql) -> frozenset[str]:
        return frozenset(re.findall(r"'([^']*)'", str(sql)))

    expected = {}
    for table in db.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint) and literals(constraint.sqltext):
                expected[str(constraint.name)] = literals(constraint.sqltext)
    inspector = inspect(db.engine)
    found = {
        check["name"]: literals(check["sqltext"])
        for table in inspector.get_table_names()
        for check in inspector.get_check_constraints(table)
        if literals(check["sqltext"])
    }
    assert found == expected
    assert expected["ck_amendment_known_status"] == {str(status) for status in AmendmentStatus}


def test_the_migrations_go_down_to_nothing_and_up_again(migrated_app):
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert {"user", "section", "declaration", "version", "api_token"} <= set(
        inspect(db.engine).get_table_names()
    )


@pytest.mark.parametrize(
    "first, second",
    [("a@example.org", "A@EXAMPLE.org"), ("ilknur@example.org", "İLKNUR@example.org")],
)
def test_email_uniqueness_ignores_case_in_the_database_itself(migrated_app, first, second):
    insert = text(
        'INSERT INTO "user" (email, email_key, name, password_hash, active, session_token, '
        "created_at) VALUES (:email, :key, 'n', 'h', true, :token, CURRENT_TIMESTAMP)"
    )
    with db.engine.begin() as connection:
        connection.execute(insert, {"email": first, "key": fold(first), "token": "t1"})
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(insert, {"email": second, "key": fold(second), "token": "t2"})


def test_sqlite_connections_use_wal_and_enforce_foreign_keys(tmp_path):
    app = create_app(config_for_tests(f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_missing_secret_key_outside_development_is_a_clear_start_up_error(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("COREP_ENV", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        settings_from_environment(str(tmp_path))


def test_development_generates_a_secret_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("COREP_ENV", "development")
    first = settings_from_environment(str(tmp_path))["SECRET_KEY"]
    assert len(first) >= 32
    assert settings_from_environment(str(tmp_path))["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_comes_from_the_environment_with_an_sqlite_default(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert settings_from_environment(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path}/corep-drafts.sqlite3"
    )
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db/corep")
    monkeypatch.setenv("COREP_PUBLIC_URL", "https://drafts.example.org")
    settings = settings_from_environment(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/corep"
    assert settings["COREP_PUBLIC_URL"] == "https://drafts.example.org"
