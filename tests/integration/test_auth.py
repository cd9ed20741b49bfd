"""Signing in and out, sessions that really end, CSRF, passwords and API tokens."""

from corep_testing import PASSWORD, csrf_token_from

from corep_drafts.services import accounts


def test_signing_in_with_the_right_password_opens_the_profile(client, auth, people):
    response = auth.login("MEMBER@example.org")
    assert response.status_code == 302
    assert "member@example.org" in client.get("/profile").get_data(as_text=True)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, auth, people):
    response = auth.login("member@example.org", "wrong password!!")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wrong e-mail or password" in body
    assert client.get("/profile").status_code == 302


def test_a_deactivated_account_cannot_sign_in(client, auth, people):
    accounts.set_user_active(people["member"].id, False, acting_user_id=people["admin"].id)
    auth.login("member@example.org")
    assert client.get("/profile").status_code == 302


def test_a_form_posted_without_its_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"email": "member@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/profile").status_code == 302


def test_signing_out_ends_the_session_so_a_replayed_old_cookie_is_refused(
    app, client, auth, people
):
    auth.login("member@example.org")
    old_cookie = client.get_cookie("session").value
    assert auth.logout().status_code == 302
    assert client.get("/profile").status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    response = replay.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, client, auth, people):
    auth.login("member@example.org")
    other = app.test_client()
    assert (
        other.post(
            "/login",
            data={
                "email": "member@example.org",
                "password": PASSWORD,
                "csrf_token": csrf_token_from(other.get("/login").get_data(as_text=True)),
            },
        ).status_code
        == 302
    )

    response = auth.post(
        "/profile/password",
        {
            "current_password": PASSWORD,
            "new_password": "a brand new password",
            "confirm_password": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302
    assert accounts.authenticate("member@example.org", "a brand new password") is not None


def test_a_wrong_current_password_is_shown_beside_its_field_and_nothing_changes(
    client, auth, people
):
    auth.login("member@example.org")
    response = auth.post(
        "/profile/password",
        {
            "current_password": "not my password",
            "new_password": "a brand new password",
            "confirm_password": "a brand new password",
        },
    )
    assert response.status_code == 422
    assert 'id="current_password-error"' in response.get_data(as_text=True)
    assert accounts.authenticate("member@example.org", PASSWORD) is not None


def test_a_token_created_on_the_profile_is_shown_once_and_works_until_revoked(client, auth, people):
    auth.login("member@example.org")
    page = auth.post("/profile/tokens", {"name": "section website"}).get_data(as_text=True)
    token = page.split('id="new-token">')[1].split("<")[0]
    assert (
        client.get("/api/v1/declarations", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    assert token not in client.get("/profile").get_data(as_text=True)

    token_id = people["member"].tokens[0].id
    assert auth.post(f"/profile/tokens/{token_id}/revoke").status_code == 302
    response = client.get("/api/v1/declarations", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"


def test_nobody_can_revoke_a_token_of_someone_else(client, auth, people):
    accounts.create_token(people["admin"], "admin's")
    auth.login("member@example.org")
    token_id = people["admin"].tokens[0].id
    assert auth.post(f"/profile/tokens/{token_id}/revoke").status_code == 404
    assert people["admin"].tokens[0].revoked_at is None


def test_after_signing_in_one_is_sent_back_to_the_page_one_asked_for_but_never_off_site(
    client, people
):
    for next_url, expected in (
        ("/profile", "/profile"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ):
        fresh = client.application.test_client()
        token = csrf_token_from(fresh.get("/login").get_data(as_text=True))
        response = fresh.post(
            f"/login?next={next_url}",
            data={"email": "member@example.org", "password": PASSWORD, "csrf_token": token},
        )
        assert response.headers["Location"] == expected


def test_a_sign_out_posted_without_its_csrf_token_is_refused_and_the_session_goes_on(
    client, auth, people
):
    auth.login("member@example.org")
    assert client.post("/logout").status_code == 400
    assert client.get("/profile").status_code == 200
