"""What the access and mass-assignment tests share: objects to reach for, the fields nobody
may set, a snapshot of the whole database, and a way to try a route as a browser or an API
client would."""

from __future__ import annotations

from corep_testing import PASSWORD, AuthActions
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import Notification, User
from corep_drafts.services import (
    accounts,
    amendments,
    compromises,
    declarations,
    translations,
    votes,
)

TEXT = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n\nFourth paragraph.\n"

# Fields nobody may set by posting them; sent with every form and body below.
PRIVILEGED_FIELDS = {
    "role": "admin",
    "roles": "admin",
    "section": "Austria",
    "section_id": "2",
    "status": "adopted",
    "proposer": "executive@example.org",
    "proposer_id": "1",
    "user_id": "1",
    "delegate_id": "1",
    "author_id": "1",
    "is_admin": "1",
    "active": "0",
    "number": "99",
    "id": "999",
}


def database_state() -> dict:
    """Every row of every table, except the columns a read may touch (a token's last use)."""
    state = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name not in ("last_used_at",)]
        with db.engine.connect() as connection:
            rows = connection.execute(select(*columns)).all()
        state[table.name] = sorted(map(repr, rows))
    return state


def build_objects(people, sections, make_user) -> dict:
    """A declaration open for amendments with what hangs from it: delegate A's amendments, a
    compromise that A drafted waiting for C's agreement, an open vote, a translation."""
    executive, a, b = people["executive"], people["delegate_a"], people["delegate_b"]
    c = make_user("delegate", section=sections["A"], email="delegate.c@example.org")
    declaration = declarations.create_declaration("Draft", TEXT, created_by=executive)
    declarations.transition(executive, declaration.id, "amending")
    own = amendments.propose(a, declaration.id, 1, TEXT.replace("First", "Opening"), "why")
    other = amendments.propose(c, declaration.id, 1, TEXT.replace("Second", "Next"), "why")
    voted_on = amendments.propose(a, declaration.id, 1, TEXT.replace("Fourth", "Last"), "")
    proposal = compromises.propose(a, declaration.id, [own.id, other.id])
    vote = votes.open_amendment_vote(executive, voted_on.id)
    votes.cast_ballot(b, vote.id, "no")
    accounts.create_token(a, "A's token")
    translations.save(executive, declaration.id, "eo", 1, TEXT.replace("paragraph", "alineo"))
    return {
        "declaration_id": declaration.id,
        "amendment_id": own.id,
        "vote_id": vote.id,
        "proposal_id": proposal.id,
        "number": 1,
        "language": "eo",
        "fmt": "html",
        "token_id": a.tokens[0].id,
        "user_id": a.id,
        "section_id": sections["A"].id,
        # Delegate A's notification that the vote opened.
        "notification_id": db.session.scalar(
            select(Notification.id).where(Notification.recipient_id == a.id)
        ),
    }


def signed_in(app, person: User | None):
    """A browser signed in as ``person``, also holding an API token of theirs (made now, so that
    it is not counted as a change later)."""
    client = app.test_client()
    client.api_token = None
    if person is not None:
        assert AuthActions(client).login(person.email, PASSWORD).status_code == 302
        client.api_token = accounts.create_token(person)
    return client


def error_flashed(client) -> bool:
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return any(category == "error" for category, _message in flashes)


def try_every_method(app, client, person, path: str, methods) -> list[tuple[str, int, bool]]:
    """Each method on the path, as the browser or an API client would send it (with a CSRF
    token, a token, and a body carrying the privileged fields); returns what answered."""
    answers = []
    api = path.startswith("/api/")
    headers = {}
    if api and client.api_token:
        headers["Authorization"] = "Bearer " + client.api_token
    for method in methods:
        if api:
            body = {"base_version": 1, "version": 1, "text": TEXT, "choice": "yes", "to": "voting"}
            response = client.open(
                path, method=method, headers=headers, json={**PRIVILEGED_FIELDS, **body}
            )
        elif method == "GET":
            response = client.get(path)
        else:
            token = AuthActions(client).csrf_token("/login" if person is None else "/profile")
            data = {**PRIVILEGED_FIELDS, "csrf_token": token, "choice": "yes", "body": "x"}
            response = client.open(path, method=method, data=data)
        answers.append((method, response.status_code, error_flashed(client)))
        assert response.status_code < 500, (method, path)
        location = response.headers.get("Location", "")
        if response.status_code == 302 and "/login" in location and person is None:
            answers[-1] = (method, 401, False)  # sent to sign in: refused
    return answers


def object_routes(app, names: set[str]):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not set(rule.arguments) & names:
            continue
        yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def url(app, rule, values: dict) -> str:
    with app.test_request_context():
        return app.url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


DECLARATION_OBJECTS = {"declaration_id", "amendment_id", "vote_id", "proposal_id"}
