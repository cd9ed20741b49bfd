"""A refused sign-in says nothing about the account: an unknown e-mail, a wrong password and a
deactivated account get the same answer for the same cost; a role taken away ends sessions."""

import re

import pytest
from argon2 import PasswordHasher
from corep_testing import PASSWORD, csrf_token_from

from corep_drafts.services import accounts


def refused_sign_in(app, email, password="wrong password here"):
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    body = response.get_data(as_text=True)
    body = re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "CSRF", body)
    return response.status_code, body.replace(email, "EMAIL")


@pytest.fixture
def deactivated(people, make_user):
    person = make_user("member", email="gone@example.org")
    accounts.set_user_active(person.id, False, acting_user_id=people["admin"].id)
    return person


def test_unknown_email_wrong_password_and_deactivated_account_get_the_same_answer(
    app, people, deactivated
):
    unknown = refused_sign_in(app, "nobody@example.org")
    wrong = refused_sign_in(app, "member@example.org")
    inactive = refused_sign_in(app, "gone@example.org", PASSWORD)
    assert unknown == wrong == inactive
    assert unknown[0] == 200 and "Wrong e-mail or password" in unknown[1]


@pytest.fixture
def argon2_calls(monkeypatch):
    """Count argon2 verifications and hashings, the work that sets a sign-in's duration."""
    calls = {"verify": 0, "hash": 0}
    real_verify, real_hash = PasswordHasher.verify, PasswordHasher.hash

    def verify(self, *args, **kwargs):
        calls["verify"] += 1
        return real_verify(self, *args, **kwargs)

    def hash_(self, *args, **kwargs):
        calls["hash"] += 1
        return real_hash(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    monkeypatch.setattr(PasswordHasher, "hash", hash_)

    def measure(email, password="wrong password here"):
        calls.update(verify=0, hash=0)
        assert accounts.authenticate(email, password) is None
        return dict(calls)

    return measure


def test_every_refused_sign_in_costs_exactly_one_argon2_verification_and_no_hashing(
    app, people, deactivated, argon2_calls
):
    argon2_calls("warm-up@example.org")  # the dummy hash is made once per process
    for _ in range(3):
        assert argon2_calls("nobody@example.org") == {"verify": 1, "hash": 0}
        assert argon2_calls("member@example.org") == {"verify": 1, "hash": 0}
        assert argon2_calls("gone@example.org", PASSWORD) == {"verify": 1, "hash": 0}


def test_the_unknown_email_is_checked_against_a_hash_with_the_configured_parameters(app):
    from corep_drafts.services import passwords

    parameters = passwords.dummy_hash().split("$")[3]
    config = app.config
    assert parameters == (
        f"m={config['ARGON2_MEMORY_COST']},t={config['ARGON2_TIME_COST']},"
        f"p={config['ARGON2_PARALLELISM']}"
    )
    assert passwords.dummy_hash() is passwords.dummy_hash()


def signed_in_client(app, email):
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    return client


def test_a_revoked_role_ends_the_persons_sessions(app, people):
    delegate = people["delegate_a"]
    open_session = signed_in_client(app, "delegate.a@example.org")
    accounts.update_user(
        delegate.id, delegate.email, delegate.name, ["member"], section_name="Argentina"
    )
    response = open_session.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_changed_section_ends_the_persons_sessions_through_the_admin_page(app, auth, people):
    delegate = people["delegate_a"]
    open_session = signed_in_client(app, "delegate.a@example.org")
    auth.login("admin@example.org")
    response = auth.post(
        f"/admin/users/{delegate.id}",
        {
            "email": delegate.email,
            "name": delegate.name,
            "roles": ["delegate", "member"],
            "section": "Austria",
            "preferred_language": "",
        },
        token_page=f"/admin/users/{delegate.id}",
    )
    assert response.status_code == 302
    assert open_session.get("/profile").status_code == 302


def test_a_role_added_or_a_name_changed_keeps_the_session(app, people):
    member = people["member"]
    open_session = signed_in_client(app, "member@example.org")
    accounts.update_user(member.id, member.email, "Renamed Member", ["member", "executive"])
    assert open_session.get("/profile").status_code == 200
