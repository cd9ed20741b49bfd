"""Bad input to every API route that takes a body: a clear 400 (malformed) or 422 (well-formed but
invalid) with the error object, never a 500, and nothing changed in the database. The routes are
taken from the API's own registry (`OPERATIONS`), so a new route with a body is walked too."""

import json

import pytest
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import Amendment, Ballot, Declaration
from corep_drafts.services import amendments, declarations, votes
from corep_drafts.views.api import bodies
from corep_drafts.views.api.operations import OPERATIONS

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"
CHANGED = TEXT.replace("paid", "paid in full")
GERMAN = "Die Arbeit endet über einer festen Temperatur.\n\nPausen im Schatten sind bezahlt.\n"

# Per body: a valid example, who sends it, and which of its fields is a text, a number, a date.
EXAMPLES = {
    bodies.TransitionInput: ({"to": "voting"}, "executive"),
    bodies.AmendmentInput: ({"base_version": 1, "text": CHANGED, "rationale": "why"}, "delegate_a"),
    bodies.VoteOpening: ({"mode": "secret", "closes_at": "2099-05-01T18:00:00+02:00"}, "executive"),
    bodies.BallotInput: ({"choice": "yes"}, "delegate_b"),
    bodies.TranslationInput: ({"version": 1, "text": GERMAN}, "delegate_b"),
}
TEXT_FIELD = {
    bodies.TransitionInput: "to",
    bodies.AmendmentInput: "text",
    bodies.VoteOpening: "mode",
    bodies.BallotInput: "choice",
    bodies.TranslationInput: "text",
}
NUMBER_FIELD = {bodies.AmendmentInput: "base_version", bodies.TranslationInput: "version"}
DATE_FIELD = {bodies.VoteOpening: "closes_at"}

BODY_OPERATIONS = [op for op in OPERATIONS if op.body is not None]

DEEP = b"[" * 100_000 + b"]" * 100_000
WHOLE_BODY_CASES = [
    ("nested 100,000 deep", DEEP, 400),
    ("nested 100,000 deep in a field", b'{"text": ' + DEEP + b"}", 400),
    ("invalid UTF-8", b'{"text": "caf\xe9 \xff"}', 400),
    ("not JSON", b"to=amending", 400),
    ("a JSON array", b"[1, 2]", 400),
    ("JSON null", b"null", 400),
    ("a JSON string", b'"yes"', 400),
    ("trailing garbage", b"{} x", 400),
]
TEXT_CASES = [
    ("a lone surrogate", r'"x\ud800y"', 400),
    ("a lone trailing surrogate", r'"x\udc00"', 400),
    ("a NUL character", r'"x\u0000y"', 422),
    ("a number for a text", "42", 400),
    ("an object for a text", '{"a": 1}', 400),
]
NUMBER_CASES = [
    ("Infinity", "Infinity", 400),
    ("NaN", "NaN", 400),
    ("1e400", "1e400", 400),
    ("a fraction", "1.5", 400),
    ("a string of digits", '"1"', 400),
    ("a boolean", "true", 400),
    ("30 digits", "1" * 30, 422),
    ("past 2^63-1", "9223372036854775808", 422),
    ("past the INTEGER column", str(2**31), 422),
    ("zero", "0", 422),
    ("negative", "-3", 422),
]
DATE_CASES = [
    ("year 9999 with a negative offset", '"9999-12-31T23:59:59-05:00"', 422),
    ("year 0001 with a positive offset", '"0001-01-01T00:30:00+01:00"', 422),
    ("no offset", '"2099-05-01T18:00:00"', 422),
    ("not a date", '"next tuesday"', 400),
    ("a number", "1e400", 400),
]


@pytest.fixture
def world(people):
    """A declaration open for amendments: A1 by delegate A, A2 by delegate B under an open vote."""
    executive = people["executive"]
    declaration = declarations.create_declaration("On heat", TEXT, created_by=executive)
    declarations.transition(executive, declaration.id, "amending")
    first = amendments.propose(people["delegate_a"], declaration.id, 1, CHANGED, "why")
    second = amendments.propose(
        people["delegate_b"], declaration.id, 1, TEXT.replace("set", "legal"), ""
    )
    vote = votes.open_amendment_vote(executive, second.id)
    return {
        "declaration_id": declaration.id,
        "amendment_id": first.id,
        "vote_id": vote.id,
        "language": "de",
    }


def path_of(op, values) -> str:
    path = op.rule
    for name, value in values.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return path


def snapshot() -> dict:
    """Every row of every table (the tokens aside: using one records when)."""
    return {
        table.name: sorted(
            (tuple(map(repr, row)) for row in db.session.execute(select(table))), key=str
        )
        for table in db.metadata.sorted_tables
        if table.name != "api_token"
    }


def with_field(example: dict, field: str, fragment: str) -> bytes:
    """The example's JSON with one field's value replaced by a raw JSON fragment."""
    marker = "\u2603MARK\u2603"
    text = json.dumps({**example, field: marker})
    return text.replace(json.dumps(marker), fragment).encode("utf-8")


def cases_for(op):
    example, _role = EXAMPLES[op.body]
    for name, raw, status in WHOLE_BODY_CASES:
        yield name, raw, status
    for name, fragment, status in TEXT_CASES:
        yield (
            f"{TEXT_FIELD[op.body]}: {name}",
            with_field(example, TEXT_FIELD[op.body], fragment),
            (
                # A NUL in a choice or a state is not one of the choices: invalid either way.
                status
            ),
        )
    if op.body in NUMBER_FIELD:
        for name, fragment, status in NUMBER_CASES:
            yield (
                f"{NUMBER_FIELD[op.body]}: {name}",
                with_field(example, NUMBER_FIELD[op.body], fragment),
                status,
            )
    if op.body in DATE_FIELD:
        for name, fragment, status in DATE_CASES:
            yield (
                f"{DATE_FIELD[op.body]}: {name}",
                with_field(example, DATE_FIELD[op.body], fragment),
                status,
            )


def send(api, op, world, raw: bytes):
    _example, role = EXAMPLES[op.body]
    return api(
        role,
        op.method.upper(),
        path_of(op, world),
        data=raw,
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
    )


def test_every_route_with_a_body_has_an_example_here():
    assert {op.body for op in BODY_OPERATIONS} <= set(EXAMPLES)
    assert len(BODY_OPERATIONS) >= 7


@pytest.mark.parametrize("op", BODY_OPERATIONS, ids=lambda op: f"{op.method} {op.rule}")
def test_malformed_and_invalid_bodies_are_refused_and_change_nothing(api, world, op):
    before = snapshot()
    for name, raw, status in cases_for(op):
        response = send(api, op, world, raw)
        assert response.status_code == status, (name, response.get_data(as_text=True)[:300])
        error = response.get_json()["error"]
        expected = {"malformed_request"} if status == 400 else {"invalid_input"}
        if "NUL" in name:  # in a free text it is a refused character, as the services name it;
            expected.add("invalid_text")  # in a choice it is only not one of the choices
        assert error["code"] in expected, name
        assert error["message"], name
    assert snapshot() == before


@pytest.mark.parametrize("op", BODY_OPERATIONS, ids=lambda op: f"{op.method} {op.rule}")
def test_a_body_over_the_size_limit_is_413_and_changes_nothing(api, world, app, op):
    before = snapshot()
    example, _role = EXAMPLES[op.body]
    field = TEXT_FIELD[op.body]
    raw = with_field(example, field, json.dumps("x" * (app.config["MAX_CONTENT_LENGTH"] + 1)))
    response = send(api, op, world, raw)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert snapshot() == before


@pytest.mark.parametrize("op", BODY_OPERATIONS, ids=lambda op: f"{op.method} {op.rule}")
def test_the_valid_example_is_not_refused_as_malformed(api, world, op):
    """The cases above fail for what they change, not for a wrong example or path."""
    example, _role = EXAMPLES[op.body]
    response = send(api, op, world, json.dumps(example).encode())
    assert response.status_code < 500
    assert response.status_code not in (400, 422), response.get_json()


def test_the_message_names_the_field_in_the_readers_language(api, world):
    path = f"/declarations/{world['declaration_id']}/amendments"
    response = api("delegate_a", "POST", path, {"base_version": "1", "text": CHANGED}, headers={})
    assert response.status_code == 400 and "base_version" in response.get_json()["error"]["message"]
    response = api("delegate_a", "POST", path, {"text": CHANGED})
    assert response.get_json()["error"]["message"] == "Missing field: base_version."
    response = api(
        "delegate_a",
        "POST",
        path,
        {"base_version": 1, "text": "a\u0000b"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "text must not contain the NUL character."


def test_an_optional_body_may_be_empty(api, world):
    response = api("executive", "POST", f"/amendments/{world['amendment_id']}/vote", data=b"")
    assert response.status_code == 201
    vote = api("executive", "GET", f"/votes/{response.get_json()['vote_id']}").get_json()
    assert vote["mode"] == "secret" and vote["closes_at"] is None


# --- mass assignment ---------------------------------------------------------------------------

SMUGGLED = {
    "role": "admin",
    "roles": ["admin", "executive"],
    "section": "Austria",
    "section_id": 2,
    "status": "adopted",
    "proposer": 1,
    "proposer_id": 1,
    "id": 999,
    "number": 99,
}


def test_role_section_status_and_proposer_in_a_body_are_never_taken(api, world, people):
    path = f"/declarations/{world['declaration_id']}/amendments"
    body = {"base_version": 1, "text": TEXT.replace("stops", "halts"), **SMUGGLED}
    created = api("delegate_a", "POST", path, body)
    assert created.status_code == 201
    amendment = db.session.get(Amendment, created.get_json()["id"])
    assert amendment.status == "submitted" and amendment.section.name == "Argentina"
    assert amendment.proposer_id == people["delegate_a"].id and amendment.number != 99

    revised = api("delegate_a", "PUT", f"/amendments/{amendment.id}", {**body, "rationale": "r"})
    assert revised.status_code == 200
    db.session.refresh(amendment)
    assert amendment.status == "submitted" and amendment.proposer_id == people["delegate_a"].id

    cast = api(
        "delegate_a", "POST", f"/votes/{world['vote_id']}/ballots", {"choice": "no", **SMUGGLED}
    )
    assert cast.status_code == 201
    ballot = db.session.scalars(select(Ballot)).one()
    assert ballot.section.name == "Argentina" and ballot.delegate_id == people["delegate_a"].id

    moved = api(
        "executive",
        "POST",
        f"/declarations/{world['declaration_id']}/transitions",
        {"to": "withdrawn", **SMUGGLED},
    )
    assert moved.status_code == 200
    assert db.session.get(Declaration, world["declaration_id"]).status == "withdrawn"
    assert people["delegate_a"].roles == frozenset({"delegate", "member"})
