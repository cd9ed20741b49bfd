"""Seeding the benchmarks' databases through the services, as the application itself would."""

from __future__ import annotations

import random
import re

from flask import session
from flask_login import login_user
from flask_migrate import upgrade

from bench.harness import app_config
from bench.text_engine import WORDS, amend
from corep_drafts import create_app
from corep_drafts.extensions import db
from corep_drafts.models import User
from corep_drafts.services import accounts, amendments, declarations, votes

USER_AGENT = "corep-bench"
SECTIONS = ("North", "South", "East", "West", "Centre")


def amended(text: str, rng: random.Random) -> str:
    """A random amendment of ``text`` that changes it (a word replaced by itself would not)."""
    while (result := amend(text, rng)) == text:
        pass
    return result


def migrated_app(database_url: str):
    app = create_app(app_config(database_url))
    with app.app_context():
        upgrade()
    return app


def add_people(delegates: int) -> dict:
    """Five sections, an executive, a member, and ``delegates`` delegates spread over the
    sections; each with an API token. Returns ids and tokens (no ORM objects: they outlive the
    session)."""
    for name in SECTIONS:
        if accounts.find_section_by_name(name) is None:
            accounts.add_section(name)
    password = "bench password " + "x" * 20
    executive = accounts.add_user("executive@bench.example", "Executive", ["executive"], password)
    member = accounts.add_user("member@bench.example", "Member", ["member"], password)
    people = {
        "executive": (executive.id, accounts.create_token(executive)),
        "member": (member.id, accounts.create_token(member)),
        "delegates": [],
    }
    for number in range(delegates):
        delegate = accounts.add_user(
            f"delegate{number}@bench.example",
            f"Delegate {number}",
            ["delegate", "member"],
            password,
            section_name=SECTIONS[number % len(SECTIONS)],
        )
        people["delegates"].append((delegate.id, accounts.create_token(delegate)))
    return people


def user(user_id: int) -> User:
    return db.session.get(User, user_id)


def new_declaration(title: str, text: str, executive_id: int) -> int:
    declaration = declarations.create_declaration(title, text, created_by=user(executive_id))
    declarations.transition(user(executive_id), declaration.id, "amending")
    return declaration.id


def current(declaration_id: int) -> tuple[int, str]:
    """The current version's number and text."""
    version = declarations.lock_declaration(declaration_id).current_version
    number, text = version.number, version.text
    db.session.rollback()
    return number, text


def propose_random(declaration_id: int, count: int, delegate_ids: list[int], seed: int) -> None:
    """``count`` amendments of 1-3 random word edits each, proposed by the delegates in turn."""
    rng = random.Random(seed)
    number, text = current(declaration_id)
    for index in range(count):
        proposer = user(delegate_ids[index % len(delegate_ids)])
        amendments.propose(proposer, declaration_id, number, amended(text, rng), "")


def paragraph_amendments(declaration_id: int, count: int, delegate_ids: list[int]) -> list[int]:
    """``count`` amendments, each changing one word in a paragraph of its own, so none competes
    with another and their votes may be open together."""
    number, text = current(declaration_id)
    paragraphs = text.split("\n\n")
    candidates = [i for i, p in enumerate(paragraphs) if len(p.split(" ")) > 8][:count]
    made = []
    for turn, index in enumerate(candidates):
        words = paragraphs[index].split(" ")
        words[len(words) // 2] = WORDS[turn % len(WORDS)] + "s"
        changed = paragraphs[:index] + [" ".join(words)] + paragraphs[index + 1 :]
        proposer = user(delegate_ids[turn % len(delegate_ids)])
        made.append(
            amendments.propose(proposer, declaration_id, number, "\n\n".join(changed), "").id
        )
    return made


def adopt(amendment_id: int, executive_id: int, voters: list[int]) -> None:
    vote = votes.open_amendment_vote(user(executive_id), amendment_id)
    for voter in voters:
        votes.cast_ballot(user(voter), vote.id, "yes")
    votes.close_vote(user(executive_id), vote.id)


def one_per_section(delegate_ids: list[int]) -> list[int]:
    return delegate_ids[: len(SECTIONS)]


def adopted_declaration(text: str, people: dict, amendments_adopted: int) -> int:
    """A declaration adopted after ``amendments_adopted`` amendments: a reading view with
    provenance (each passage names the amendment it came from)."""
    executive_id = people["executive"][0]
    delegate_ids = [d for d, _ in people["delegates"]]
    declaration_id = new_declaration("Adopted programme", text, executive_id)
    voters = one_per_section(delegate_ids)
    for amendment_id in paragraph_amendments(declaration_id, amendments_adopted, delegate_ids):
        adopt(amendment_id, executive_id, voters)
    declarations.transition(user(executive_id), declaration_id, "voting")
    final = votes.open_final_vote(user(executive_id), declaration_id)
    for voter in voters:
        votes.cast_ballot(user(voter), final.id, "yes")
    votes.close_vote(user(executive_id), final.id)
    return declaration_id


def browser_cookie(app, user_id: int) -> str:
    """The session cookie a browser signed in as this person would hold (made with the app's own
    machinery and the server's SECRET_KEY, not through the login form)."""
    with (
        app.app_context(),
        app.test_request_context(
            environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}
        ),
    ):
        login_user(db.session.get(User, user_id))
        return app.session_interface.get_signing_serializer(app).dumps(dict(session))


def paragraph_count(text: str) -> int:
    return len([p for p in re.split(r"\n\s*\n", text) if p.strip()])
