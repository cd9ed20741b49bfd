"""Access to objects (issue 10, item 4): every route that names an object, tried with the ids of
objects the person may not see or change, answers 404 (not visible) or 403 (not allowed) and
changes nothing (mass assignment is test_mass_assignment.py).

The role x endpoint matrix (test_permission_matrix.py) asks whether a role reaches an endpoint;
this asks whether it reaches an object through it.
"""

from __future__ import annotations

import pytest
from access_support import (
    DECLARATION_OBJECTS,
    build_objects,
    database_state,
    object_routes,
    signed_in,
    try_every_method,
    url,
)
from corep_testing import PASSWORD, AuthActions


@pytest.fixture
def objects(app, people, sections, make_user):
    return build_objects(people, sections, make_user)


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


def test_a_notification_of_someone_else_cannot_be_marked_read(app, people, objects):
    client = signed_in(app, people["delegate_b"])
    before = database_state()
    path = f"/notifications/{objects['notification_id']}/read"
    [(_method, status, _flashed)] = try_every_method(
        app, client, people["delegate_b"], path, ["POST"]
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
