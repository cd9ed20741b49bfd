"""Invitations in place of passwords set by others: the admin adds an account and gets a
single-use link for 24 hours; the person sets their own password with it and is signed in.
The clock is injected."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from corep_testing import csrf_token_from
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import Invitation
from corep_drafts.services import accounts, invitations

NEW_PASSWORD = "a password of my own choosing"


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = datetime(2026, 11, 29, 9, 0, 0, tzinfo=UTC)

        def __call__(self):
            return self.now

    clock = Clock()
    monkeypatch.setattr(invitations, "utcnow", clock)
    return clock


def invite_through_the_page(auth, email="camille@example.org") -> str:
    """The admin (signed in) adds an account; returns the path of the link shown."""
    response = auth.post(
        "/admin/users/new",
        {"email": email, "name": "Camille", "roles": ["member"], "preferred_language": ""},
        token_page="/admin/users/new",
    )
    assert response.status_code == 200
    link = re.search(r'id="invitation-link">([^<]+)<', response.get_data(as_text=True)).group(1)
    return link.removeprefix("http://localhost")


def set_password(client, path, password=NEW_PASSWORD, again=None):
    page = client.get(path)
    if page.status_code != 200:  # a dead link shows no form: the token comes from another page
        page = client.get("/login")
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(
        path,
        data={
            "new_password": password,
            "confirm_password": password if again is None else again,
            "csrf_token": token,
        },
    )


def test_an_invited_person_sets_their_own_password_and_is_signed_in(
    app, client, auth, people, clock
):
    auth.login(people["admin"].email)
    path = invite_through_the_page(auth)
    assert path.startswith("/invitations/")
    auth.logout()
    camille = accounts.find_user_by_email("camille@example.org")
    assert accounts.authenticate("camille@example.org", NEW_PASSWORD) is None

    page = client.get(path)
    assert page.status_code == 200 and "Camille" in page.get_data(as_text=True)
    assert set_password(client, path, again="something else entirely").status_code == 422
    response = set_password(client, path)
    assert response.status_code == 302
    profile = client.get("/profile")
    assert profile.status_code == 200 and "camille@example.org" in profile.get_data(as_text=True)
    assert accounts.authenticate("camille@example.org", NEW_PASSWORD) == camille
    # only the hash of the link's token is stored
    token = path.rsplit("/", 1)[1]
    assert token not in {i.token_hash for i in db.session.scalars(select(Invitation))}


def test_an_invitation_link_works_once(client, auth, people, clock):
    auth.login(people["admin"].email)
    path = invite_through_the_page(auth)
    auth.logout()
    assert set_password(client, path).status_code == 302
    auth.logout()
    assert client.get(path).status_code == 410
    again = set_password(client, path, password="another password entirely")
    assert again.status_code == 410
    assert "already used" in again.get_data(as_text=True)
    assert accounts.authenticate("camille@example.org", NEW_PASSWORD) is not None
    assert accounts.authenticate("camille@example.org", "another password entirely") is None


def test_an_invitation_link_expires_after_24_hours_and_then_changes_nothing(
    client, auth, people, clock
):
    auth.login(people["admin"].email)
    path = invite_through_the_page(auth)
    auth.logout()
    clock.now += timedelta(hours=23, minutes=59)
    assert client.get(path).status_code == 200
    clock.now += timedelta(minutes=1)
    response = client.get(path)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert set_password(client, path).status_code == 410
    assert accounts.authenticate("camille@example.org", NEW_PASSWORD) is None
    assert client.get("/profile").status_code == 302  # nobody signed in


def test_an_unknown_invitation_link_answers_404(client, people):
    response = client.get("/invitations/no-such-token")
    assert response.status_code == 404
    assert "not known" in response.get_data(as_text=True)


def test_a_password_against_the_policy_is_refused_and_the_link_still_works(
    client, auth, people, clock
):
    auth.login(people["admin"].email)
    path = invite_through_the_page(auth)
    auth.logout()
    response = set_password(client, path, password="short")
    assert response.status_code == 422
    assert 'id="new_password-error"' in response.get_data(as_text=True)
    assert set_password(client, path).status_code == 302


def test_the_admin_sees_pending_invitations_and_reissues_one_which_ends_the_old_link(
    client, auth, people, clock
):
    auth.login(people["admin"].email)
    old_path = invite_through_the_page(auth)
    camille = accounts.find_user_by_email("camille@example.org")
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert "invited, link valid until" in users_page
    assert f"/admin/users/{camille.id}/invitation" in users_page
    assert f"/admin/users/{people['member'].id}/invitation" not in users_page

    clock.now += timedelta(days=2)
    assert "invitation expired" in client.get("/admin/users").get_data(as_text=True)
    response = auth.post(f"/admin/users/{camille.id}/invitation", token_page="/admin/users")
    assert response.status_code == 200
    new_link = re.search(r'id="invitation-link">([^<]+)<', response.get_data(as_text=True))
    new_path = new_link.group(1).removeprefix("http://localhost")
    auth.logout()

    assert client.get(old_path).status_code == 410
    assert set_password(client, new_path).status_code == 302
    auth.logout()
    auth.login(people["admin"].email)
    assert "invited, link valid until" not in client.get("/admin/users").get_data(as_text=True)


def test_an_account_with_a_password_gets_no_invitation(client, auth, people, clock):
    auth.login(people["admin"].email)
    response = auth.post(
        f"/admin/users/{people['member'].id}/invitation", token_page="/admin/users"
    )
    assert response.status_code == 302
    assert "already set a password" in client.get("/admin/users").get_data(as_text=True)
    assert db.session.scalars(select(Invitation)).all() == []


def test_the_link_is_built_from_the_public_url_when_it_is_set(app, client, auth, people):
    app.config["COREP_PUBLIC_URL"] = "https://drafts.example.org/"
    try:
        auth.login(people["admin"].email)
        response = auth.post(
            "/admin/users/new",
            {"email": "x@example.org", "name": "X", "roles": ["member"], "preferred_language": ""},
            token_page="/admin/users/new",
        )
    finally:
        app.config["COREP_PUBLIC_URL"] = ""
    page = response.get_data(as_text=True)
    assert 'id="invitation-link">https://drafts.example.org/invitations/' in page


def test_a_deactivated_accounts_invitation_no_longer_works(client, auth, people, clock):
    auth.login(people["admin"].email)
    path = invite_through_the_page(auth)
    camille = accounts.find_user_by_email("camille@example.org")
    accounts.set_user_active(camille.id, False, acting_user_id=people["admin"].id)
    auth.logout()
    assert client.get(path).status_code == 410
