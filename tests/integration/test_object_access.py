"""Access to objects (issue 10, item 4): every route that names an object, tried with the ids of
objects the person may not see or change, answers 404 (not visible) or 403 (not allowed) and
changes nothing; fields nobody may set (role, section, status, proposer...) are ignored or
refused wherever they are posted.

The role x endpoint matrix (test_permission_matrix.py) asks whether a role reaches an endpoint;
this asks whether it reaches an object through it.
"""

from __future__ import annotations

import pytest
from corep_testing import PASSWORD, AuthActions
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import Amendment, Ballot, Declaration, User
from corep_drafts.services import accounts, amendments, compromises, declarations, votes

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


@pytest.fixture
def objects(app, people, sections, make_user):
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
    from corep_drafts.services import translations

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


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_no_route_reaches_a_draft_or_what_hangs_from_it_for_who_may_not_read_drafts(
    app, people, objects, who
):
    """Members and admins read adopted declarations only, readers published ones: a declaration
    being drafted, its amendments, compromises, votes and translations answer 404 (or 403/401
    where the endpoint is refused before the object is looked up), through every route."""
    person = None if who == "anonymous" else people[who]
    client = signed_in(app, person)
    before = database_state()
    reached, tried = [], 0
    for rule, methods in object_routes(app, DECLARATION_OBJECTS):
        path = url(app, rule, objects)
        for method, status, _flashed in try_every_method(app, client, person, path, methods):
            tried += 1
            if status not in (401, 403, 404):
                reached.append((method, path, status))
    assert tried >= 45
    assert reached == []
    assert database_state() == before


@pytest.mark.parametrize(
    ("endpoint", "method"),
    [
        ("amendments.revise", "GET"),
        ("amendments.revise", "POST"),
        ("amendments.withdraw", "POST"),
        ("amendments.uncosponsor", "POST"),
        ("api.revise_amendment", "PUT"),
        ("api.withdraw_amendment", "POST"),
        ("amendments.agree_compromise", "POST"),
    ],
)
def test_another_delegate_cannot_change_an_amendment_or_agree_for_its_proposers(
    app, people, objects, endpoint, method
):
    """Delegate B reads delegate A's amendment but may not revise, withdraw or un-sponsor it,
    nor agree to the compromise A drafted with C's amendment: 403/404, or the page's refusal
    flashed, and nothing changed."""
    person = people["delegate_b"]
    client = signed_in(app, person)
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    before = database_state()
    [(_method, status, flashed)] = try_every_method(
        app, client, person, url(app, rule, objects), [method]
    )
    assert status in (403, 404) or (status == 302 and flashed), status
    assert database_state() == before


def test_a_token_of_someone_else_cannot_be_revoked(app, people, objects):
    client = signed_in(app, people["delegate_b"])
    before = database_state()
    [(_method, status, _flashed)] = try_every_method(
        app, client, people["delegate_b"], f"/profile/tokens/{objects['token_id']}/revoke", ["POST"]
    )
    assert status == 404
    assert database_state() == before


EXECUTIVE_PANEL = {
    "declarations.new",
    "declarations.edit",
    "declarations.transition",
    "declarations.deadline",
    "votes.open_amendment",
    "votes.open_final",
    "votes.close",
    "record.audit_log",
    "api.transition_declaration",
    "api.open_amendment_vote",
    "api.open_final_vote",
    "api.close_vote",
}


@pytest.mark.parametrize(
    ("who", "endpoints"),
    [("delegate_a", EXECUTIVE_PANEL), ("executive", "admin."), ("member", "admin.")],
)
def test_the_executive_panel_and_the_admin_pages_refuse_whoever_lacks_the_role(
    app, people, objects, who, endpoints
):
    person = people[who]
    client = signed_in(app, person)
    before = database_state()
    reached = []
    for rule in app.url_map.iter_rules():
        chosen = (
            rule.endpoint.startswith(endpoints)
            if isinstance(endpoints, str)
            else rule.endpoint in endpoints
        )
        if not chosen:
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        path = url(app, rule, objects)
        for method, status, _flashed in try_every_method(app, client, person, path, methods):
            if status != 403:
                reached.append((method, path, status))
    assert reached == []
    assert database_state() == before


# --- mass assignment --------------------------------------------------------------------------


def stored_person(person_id: int) -> tuple:
    user = db.session.get(User, person_id)
    return (user.email, user.name, sorted(user.roles), user.section_id, user.active)


def test_profile_forms_ignore_roles_section_and_identity_fields(app, people):
    a = people["delegate_a"]
    client = signed_in(app, a)
    before = {p.id: stored_person(p.id) for p in people.values()}
    auth = AuthActions(client)
    for path, fields in (
        ("/profile/preferences", {"preferred_language": "de", "time_zone": "Europe/Vienna"}),
        ("/profile/tokens", {"name": "mine"}),
        ("/profile/password", {"current_password": PASSWORD, "new_password": PASSWORD + "!"}),
    ):
        response = auth.post(path, {**PRIVILEGED_FIELDS, "user_id": people["admin"].id, **fields})
        assert response.status_code in (200, 302, 422), path
    assert {p.id: stored_person(p.id) for p in people.values()} == before
    assert "mine" in [t.name for t in db.session.get(User, a.id).tokens]
    assert db.session.get(User, people["admin"].id).tokens == []


def test_an_admin_form_posted_by_a_non_admin_changes_nobody(app, people):
    target = people["delegate_b"]
    before = stored_person(target.id)
    for who in ("executive", "delegate_a", "member"):
        client = signed_in(app, people[who])
        response = AuthActions(client).post(
            f"/admin/users/{target.id}",
            {
                **PRIVILEGED_FIELDS,
                "email": "taken@example.org",
                "name": "Taken",
                "roles": ["admin", "executive"],
                "section": "",
            },
        )
        assert response.status_code == 403
        response = AuthActions(client).post(
            "/admin/users/new",
            {"email": "new@example.org", "name": "New", "roles": "admin", "password": PASSWORD},
        )
        assert response.status_code == 403
    assert stored_person(target.id) == before
    assert accounts.find_user_by_email("new@example.org") is None


def newest_amendment() -> Amendment:
    return db.session.scalars(select(Amendment).order_by(Amendment.id.desc())).first()


def test_proposing_and_revising_on_the_page_ignore_status_proposer_and_section(
    app, people, objects
):
    a, b = people["delegate_a"], people["delegate_b"]
    client = signed_in(app, a)
    auth = AuthActions(client)
    declaration_id = objects["declaration_id"]
    response = auth.post(
        f"/declarations/{declaration_id}/amendments/new",
        {
            **PRIVILEGED_FIELDS,
            "proposer_id": b.id,
            "section_id": b.section_id,
            "base_version": 1,
            "paragraph": "",
            "text": TEXT.replace("Third", "Middle"),
            "rationale": "mine",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    made = newest_amendment()
    assert (made.proposer_id, made.section_id, made.status) == (a.id, a.section_id, "submitted")
    assert made.number != 99

    response = auth.post(
        f"/amendments/{made.id}/revise",
        {
            **PRIVILEGED_FIELDS,
            "proposer_id": b.id,
            "base_version": 1,
            "start": "",
            "end": "",
            "text": TEXT.replace("Third", "Central"),
            "rationale": "still mine",
        },
    )
    assert response.status_code in (302, 422)
    db.session.expire_all()
    made = db.session.get(Amendment, made.id)
    assert (made.proposer_id, made.section_id, made.status) == (a.id, a.section_id, "submitted")


def test_the_api_ignores_or_refuses_status_proposer_and_section_in_bodies(
    app, people, objects, api
):
    a, b = people["delegate_a"], people["delegate_b"]
    body = {
        **PRIVILEGED_FIELDS,
        "proposer_id": b.id,
        "section_id": b.section_id,
        "section": "Austria",
        "proposer": {"id": b.id},
        "base_version": 1,
        "text": TEXT.replace("Third", "Middle"),
        "rationale": "mine",
    }
    created = api(
        "delegate_a", "POST", f"/declarations/{objects['declaration_id']}/amendments", body
    )
    if created.status_code == 201:
        made = db.session.get(Amendment, created.get_json()["id"])
        assert (made.proposer_id, made.section_id, made.status) == (a.id, a.section_id, "submitted")
        revised = api("delegate_a", "PUT", f"/amendments/{made.id}", body)
        assert revised.status_code in (200, 400, 422)
        db.session.expire_all()
        made = db.session.get(Amendment, made.id)
        assert (made.proposer_id, made.status) == (a.id, "submitted")
    else:
        assert created.status_code in (400, 422)

    moved = api(
        "executive",
        "POST",
        f"/declarations/{objects['declaration_id']}/transitions",
        {"to": "voting", "status": "published"},
    )
    assert moved.status_code in (200, 400, 409, 422)
    assert db.session.get(Declaration, objects["declaration_id"]).status in ("amending", "voting")


def ballots_of(vote_id: int) -> dict:
    return {
        (ballot.delegate_id, ballot.section_id): ballot.choice
        for ballot in db.session.scalars(select(Ballot).where(Ballot.vote_id == vote_id))
    }


def test_a_ballot_is_always_the_senders_own_for_their_own_section(app, people, objects, api):
    """Ballots are addressed by vote, never by section or delegate: whatever names another
    section or delegate, a delegate changes only their own ballot for their own section."""
    a, b = people["delegate_a"], people["delegate_b"]
    vote_id = objects["vote_id"]
    assert ballots_of(vote_id) == {(b.id, b.section_id): "no"}
    client = signed_in(app, a)
    response = AuthActions(client).post(
        f"/votes/{vote_id}/ballot",
        {**PRIVILEGED_FIELDS, "choice": "yes", "section_id": b.section_id, "delegate_id": b.id},
    )
    assert response.status_code == 302
    answer = api(
        "delegate_a",
        "POST",
        f"/votes/{vote_id}/ballots",
        {"choice": "abstain", "section": "Austria", "section_id": b.section_id, "delegate": b.id},
    )
    assert answer.status_code in (200, 400, 422)
    expected = {(b.id, b.section_id): "no"}
    expected[(a.id, a.section_id)] = "abstain" if answer.status_code == 200 else "yes"
    assert ballots_of(vote_id) == expected


@pytest.mark.parametrize(
    "next_address",
    ["/\\evil.example", "/\\/evil.example", "/\t/evil.example", "/\n/evil.example", "\\\\evil"],
)
def test_signing_in_never_sends_one_off_site_by_an_address_browsers_forgive(
    app, people, next_address
):
    """Browsers read "\\" as "/" and drop tabs and line breaks: each of these is "//evil"."""
    client = app.test_client()
    token = AuthActions(client).csrf_token("/login")
    response = client.post(
        "/login",
        query_string={"next": next_address},
        data={"email": "member@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_while_a_vote_is_open_a_delegate_reads_no_other_ballot(app, people, objects, api):
    """Section B voted "no"; delegate A reads the vote on the page, the live state and the API,
    and learns nothing of that ballot but the turnout."""
    vote_id = objects["vote_id"]
    b = people["delegate_b"]
    client = signed_in(app, people["delegate_a"])
    for path in (f"/votes/{vote_id}", f"/votes/{vote_id}/live", f"/votes/{vote_id}/projector"):
        shown = client.get(path).get_data(as_text=True)
        assert b.name not in shown and "You voted" not in shown, path
    answer = api("delegate_a", "GET", f"/votes/{vote_id}").get_json()
    assert answer["state"] == "open"
    assert answer["result"]["outcome"] is None and answer["result"]["sections"] == []
    assert "ballots" not in answer and b.name not in str(answer) and "'no'" not in str(answer)
