"""Fixtures shared by the whole suite: `app`, `client`, `runner`, `auth`, and people to act as.

The database is SQLite unless TEST_DATABASE_URL names a PostgreSQL server, in which case the run
gets a database of its own there, created now and dropped at the end.
"""

from __future__ import annotations

import contextvars
import uuid
from pathlib import Path

import pytest
from corep_testing import (
    PASSWORD,
    AuthActions,
    config_for_tests,
    empty_every_table,
    postgres_server_url,
)
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from corep_drafts import create_app
from corep_drafts.extensions import db
from corep_drafts.services import accounts

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"


def pytest_configure(config):
    """`make test` compiles the catalogues; a bare `pytest` gets them compiled here, so pages
    are never tested against stale translations."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (REPO_ROOT / "corep_drafts" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalog)


def create_postgres_database(server_url: str, prefix: str) -> str:
    """A fresh database beside the one TEST_DATABASE_URL names; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin_engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin_engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, database_url: str) -> None:
    name = make_url(database_url).database
    admin_engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


@pytest.fixture(scope="session")
def fresh_database_url(tmp_path_factory):
    """Make empty databases on demand (on the test server's engine), dropping them at the end."""
    made: list[str] = []
    server = postgres_server_url()

    def make(label: str) -> str:
        if server:
            url = create_postgres_database(server, f"corep_{label}")
        else:
            url = "sqlite:///" + str(tmp_path_factory.mktemp(label) / "test.sqlite3")
        made.append(url)
        return url

    yield make
    if server:
        for url in made:
            drop_postgres_database(server, url)


class IsolatedClient(FlaskClient):
    """Each request runs as in a real server: its own app context, `g` and database session.

    The test itself holds an app context (to call services); without this, Flask would reuse
    it for the request and carry `g` (the signed-in user, the CSRF token) from one request
    to the next. Afterwards the test's session is expired, so it sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context() and db.session.registry.has():
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def _session_app(fresh_database_url):
    app = create_app(config_for_tests(fresh_database_url("suite")))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()  # tests only; the app itself gets its schema from migrations
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_session_app):
    """The app, with an empty database again after each test."""
    _session_app.config["WTF_CSRF_ENABLED"] = True
    with _session_app.app_context():
        yield _session_app
        db.session.remove()
        empty_every_table()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def api(client, people):
    """Call the JSON API as one of `people` (by role name; None: without a token)."""
    tokens = {}

    def call(role, method, path, json=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if role:
            tokens.setdefault(role, accounts.create_token(people[role]))
            headers["Authorization"] = "Bearer " + tokens[role]
        return client.open("/api/v1" + path, method=method, headers=headers, json=json, **kwargs)

    return call


@pytest.fixture
def sections(app):
    """Two sections, A (Argentina) and B (Austria)."""
    return {
        "A": accounts.add_section("Argentina", language="es"),
        "B": accounts.add_section("Austria", language="de"),
    }


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(*roles: str, section=None, email: str | None = None, name: str | None = None):
        number = next(counter)
        return accounts.add_user(
            email or f"person{number}@example.org",
            name or f"Person {number}",
            list(roles),
            PASSWORD,
            section_name=section.name if section else None,
        )

    return make


@pytest.fixture
def people(sections, make_user):
    """One account for each role the permission table knows, by the name the tests use."""
    return {
        "member": make_user("member", email="member@example.org"),
        "delegate_a": make_user(
            "delegate", "member", section=sections["A"], email="delegate.a@example.org"
        ),
        "delegate_b": make_user(
            "delegate", "member", section=sections["B"], email="delegate.b@example.org"
        ),
        "executive": make_user("executive", email="executive@example.org"),
        "admin": make_user("admin", email="admin@example.org"),
    }
