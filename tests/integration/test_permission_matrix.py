"""Every registered endpoint, walked with every role: the role x endpoint matrix of DESIGN.md.

The expectations are written out here, apart from `permissions.py`, so that a change to the
table that nobody meant shows up as a failing cell.
"""

import pytest
from corep_testing import PASSWORD

from corep_drafts import create_app, permissions
from corep_drafts.services import accounts, amendments, declarations, votes

API_BODY = {
    "base_version": 1,
    "version": 1,
    "text": "Some text.\n\nOther words.\n",
    "choice": "yes",
    "to": "withdrawn",
}
PROPOSER = frozenset({"delegate_a"})  # the amendment in url_values is delegate A's

ROLES = ("anonymous", "member", "delegate_a", "delegate_b", "executive", "admin")
ANYONE = frozenset(ROLES)
SIGNED_IN = ANYONE - {"anonymous"}
ADMIN = frozenset({"admin"})
EXECUTIVE = frozenset({"executive"})
DELEGATES = frozenset({"delegate_a", "delegate_b"})

EXPECTED = {
    "static": ANYONE,
    "main.index": ANYONE,
    "main.set_language": ANYONE,
    "auth.login": ANYONE,
    "auth.logout": SIGNED_IN,
    "auth.profile": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.create_token": SIGNED_IN,
    "auth.revoke_token": SIGNED_IN,
    "auth.update_preferences": SIGNED_IN,
    # PUBLIC in permissions.py (the password is right, the person not yet signed in); walked
    # here without a sign-in awaiting a code, it sends the anonymous to /login, others home.
    "second_factor.code": SIGNED_IN,
    "second_factor.enrol": SIGNED_IN,
    "second_factor.disable": SIGNED_IN,
    "invitations.accept": ANYONE,  # then 404 for an unknown link
    "declarations.show": ANYONE,  # then by object: see test_declaration_visibility
    "declarations.version": ANYONE,
    "declarations.new": EXECUTIVE,
    "declarations.edit": EXECUTIVE,
    "declarations.transition": EXECUTIVE,
    "declarations.deadline": EXECUTIVE,
    "declarations.compromise": EXECUTIVE | DELEGATES,  # delegates draft one with other proposers
    "amendments.new": DELEGATES,
    "amendments.preview": DELEGATES,
    "amendments.show": ANYONE,  # then by object: 404 where the amendments are not visible
    "amendments.revision": ANYONE,
    "amendments.revise": DELEGATES,  # then only the proposer
    "amendments.withdraw": DELEGATES,
    "amendments.cosponsor": DELEGATES,
    "amendments.uncosponsor": DELEGATES,
    "amendments.comment": DELEGATES | EXECUTIVE,
    "amendments.agree_compromise": DELEGATES,
    "admin.users": ADMIN,
    "admin.new_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.set_user_active": ADMIN,
    "admin.reissue_invitation": ADMIN,
    "admin.security": ADMIN,
    "admin.reset_second_factor": ADMIN,
    "admin.outbox_state": ADMIN,
    "notifications.index": SIGNED_IN,
    "notifications.mark_read": SIGNED_IN,  # then 404 for someone else's notification
    "notifications.mark_all_read": SIGNED_IN,
    "admin.sections": ADMIN,
    "admin.new_section": ADMIN,
    "admin.edit_section": ADMIN,
    "api.openapi": ANYONE,
    "api.list_declarations": SIGNED_IN,
    "api.get_declaration": SIGNED_IN,
    "api.list_versions": SIGNED_IN,
    "api.get_version": SIGNED_IN,
    "api.transition_declaration": EXECUTIVE,
    "api.list_amendments": SIGNED_IN,
    "api.create_amendment": DELEGATES,
    "api.get_amendment": SIGNED_IN,
    "api.revise_amendment": PROPOSER,
    "api.withdraw_amendment": PROPOSER,
    "votes.index": ANYONE,  # then by object
    "votes.open_amendment": EXECUTIVE,
    "votes.open_final": EXECUTIVE,
    "votes.show": ANYONE,
    "votes.projector": ANYONE,
    "votes.live": ANYONE,
    "votes.events": ANYONE,  # then by object, as the live page
    "votes.ballot": DELEGATES,
    "votes.close": EXECUTIVE,
    "record.reading": ANYONE,  # then by object: adopted for members, published for everyone
    "record.version_permalink": ANYONE,
    "record.history": ANYONE,
    "record.export": ANYONE,
    "record.audit_log": EXECUTIVE,
    "record.feed": ANYONE,
    "translations.index": ANYONE,  # then by object
    "translations.start": DELEGATES | EXECUTIVE,
    "translations.edit": DELEGATES | EXECUTIVE,
    "translations.save": DELEGATES | EXECUTIVE,
    "api.list_translations": SIGNED_IN,
    "api.get_translation": SIGNED_IN,
    "api.put_translation": DELEGATES | EXECUTIVE,
    "api.open_amendment_vote": EXECUTIVE,
    "api.open_final_vote": EXECUTIVE,
    "api.cast_ballot": DELEGATES,
    "api.close_vote": EXECUTIVE,
    "api.get_vote": SIGNED_IN,
}


def all_endpoints():
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()})


def test_every_registered_endpoint_has_a_permission_rule_and_an_expectation():
    endpoints = set(all_endpoints())
    assert endpoints - set(permissions.ENDPOINT_ACTIONS) == set(), (
        "endpoints missing from permissions.py"
    )
    assert endpoints - set(EXPECTED) == set(), "endpoints missing from this test's matrix"
    assert set(permissions.ENDPOINT_ACTIONS) - endpoints == set(), (
        "rules for endpoints that do not exist"
    )


def test_an_endpoint_missing_from_the_table_is_refused_to_everybody(
    app, client, people, monkeypatch, auth
):
    monkeypatch.delitem(permissions.ENDPOINT_ACTIONS, "auth.profile")
    auth.login(people["admin"].email)
    assert client.get("/profile").status_code == 403


@pytest.fixture
def url_values(app, people):
    draft = declarations.create_declaration(
        "Draft", "Some text.\n\nMore text.\n", created_by=people["executive"]
    )
    declarations.transition(people["executive"], draft.id, "amending")
    amendment = amendments.propose(
        people["delegate_a"], draft.id, 1, "Some text.\n\nBetter text.\n", "why"
    )
    voted_on = amendments.propose(
        people["delegate_b"], draft.id, 1, "Other text.\n\nMore text.\n", "why"
    )
    vote = votes.open_amendment_vote(people["executive"], voted_on.id)
    accounts.create_token(people["member"], "someone's")
    return {
        "declaration_id": draft.id,
        "amendment_id": amendment.id,
        "vote_id": vote.id,
        "number": 1,
        "user_id": people["member"].id,
        "section_id": people["member"].id and accounts.list_sections()[0].id,
        "token_id": people["member"].tokens[0].id,
        "filename": "css/app.css",
        "fmt": "md",
        "proposal_id": 999,
        "language": "de",
        "token": "no-such-invitation",
        "notification_id": 999,
    }


def request_as(client, role, people, method, path):
    headers = {}
    if path.startswith("/api/") and role != "anonymous":
        headers["Authorization"] = "Bearer " + accounts.create_token(people[role])
    elif role != "anonymous":
        response = client.post("/login", data={"email": people[role].email, "password": PASSWORD})
        assert response.status_code == 302, "could not sign in"
    # A write to the API carries a well-formed body, so that what answers is the permission
    # check, not the body parser.
    body = API_BODY if path.startswith("/api/") and method in ("POST", "PUT") else None
    return client.open(path, method=method, headers=headers, json=body)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", all_endpoints())
def test_each_role_reaches_exactly_the_endpoints_the_design_allows(
    app, client, people, url_values, endpoint, role
):
    app.config["WTF_CSRF_ENABLED"] = False  # the matrix is about permissions, not forms
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = "GET" if "GET" in methods else methods[0]
    with app.test_request_context():
        path = app.url_for(endpoint, _external=False, **{k: url_values[k] for k in rule.arguments})
    response = request_as(client, role, people, method, path)

    refused = response.status_code in (401, 403) or (
        response.status_code == 302 and "/login" in response.headers["Location"]
    )
    if role in EXPECTED[endpoint]:
        assert not refused, f"{role} was refused {endpoint}: {response.status_code}"
        assert response.status_code < 500
    else:
        assert refused, f"{role} reached {endpoint}: {response.status_code}"
        if path.startswith("/api/"):
            assert response.status_code == (401 if role == "anonymous" else 403)
            assert response.is_json and "code" in response.get_json()["error"]
        elif role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == 403
