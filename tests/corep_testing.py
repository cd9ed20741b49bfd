"""Helpers the tests import: a known password, signing in through the real pages, and emptying
the database between tests."""

import os
import re

from sqlalchemy import text

from corep_drafts.extensions import db

PASSWORD = "correct horse battery staple"


def postgres_server_url() -> str | None:
    """The PostgreSQL server the suite runs on, or None for SQLite."""
    return os.environ.get("TEST_DATABASE_URL") or None


def config_for_tests(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        # The suite signs in thousands of times from 127.0.0.1; tests/integration/test_throttling.py
        # makes its own apps with throttling on.
        "RATELIMIT_ENABLED": False,
        "COREP_SECURE_COOKIES": False,  # the test client speaks plain http
    }


def empty_every_table() -> None:
    """Versions and amendments refer to each other, so foreign keys are set aside meanwhile."""
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    # pysqlite opens its transaction at the first DELETE, so both PRAGMAs run outside it.
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for table in reversed(tables):
            connection.execute(table.delete())
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class AuthActions:
    """Sign in and out through the real pages, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, path: str = "/login") -> str:
        return csrf_token_from(self.client.get(path).get_data(as_text=True))

    def login(self, email: str, password: str = PASSWORD):
        token = self.csrf_token("/login")
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self):
        token = self.csrf_token("/profile")
        return self.client.post("/logout", data={"csrf_token": token})

    def post(self, path: str, data: dict | None = None, token_page: str = "/profile", **kwargs):
        """POST a form as the browser would, with a CSRF token taken from a page."""
        return self.client.post(
            path, data={**(data or {}), "csrf_token": self.csrf_token(token_page)}, **kwargs
        )


HEAT_TEXT = (
    "# On work in the heat\n\n"
    "## What we demand\n\n"
    "Work stops above a set temperature.\n\n"
    "Breaks in the shade are paid.\n\n"
    "## How we act\n\n"
    "Sections report before summer.\n"
)


def adopt_a_declaration(people):
    """A declaration taken through a whole round by the services: A1 adopted, A2 rejected,
    A3 withdrawn, then the final vote; returns (declaration, {label: amendment})."""
    from corep_drafts.services import amendments, declarations, votes

    executive, a, b = people["executive"], people["delegate_a"], people["delegate_b"]
    declaration = declarations.create_declaration(
        "On work in the heat", HEAT_TEXT, created_by=executive
    )
    declarations.transition(executive, declaration.id, "amending")
    first = amendments.propose(
        a,
        declaration.id,
        1,
        HEAT_TEXT.replace("a set temperature", "30 °C"),
        "A number, not a promise.",
    )
    amendments.cosponsor(b, first.id)
    second = amendments.propose(
        b, declaration.id, 1, HEAT_TEXT.replace("before summer", "every month"), ""
    )
    third = amendments.propose(
        b, declaration.id, 1, HEAT_TEXT.replace("are paid", "are paid in full"), ""
    )
    amendments.withdraw(b, third.id)
    vote = votes.open_amendment_vote(executive, first.id)
    votes.cast_ballot(a, vote.id, "yes")
    votes.cast_ballot(b, vote.id, "yes")
    votes.close_vote(executive, vote.id)
    vote = votes.open_amendment_vote(executive, second.id)
    votes.cast_ballot(a, vote.id, "no")
    votes.cast_ballot(b, vote.id, "yes")
    votes.close_vote(executive, vote.id)
    declarations.transition(executive, declaration.id, "voting")
    final = votes.open_final_vote(executive, declaration.id)
    votes.cast_ballot(a, final.id, "yes")
    votes.cast_ballot(b, final.id, "yes")
    votes.close_vote(executive, final.id)
    return declaration, {"A1": first, "A2": second, "A3": third}
