"""The admin area: adding, editing and deactivating users; adding and editing sections."""

from corep_drafts.services import accounts


def sign_in_admin(auth):
    assert auth.login("admin@example.org").status_code == 302


def test_an_admin_adds_a_delegate_who_gets_an_invitation_link_instead_of_a_password(
    client, auth, people
):
    sign_in_admin(auth)
    response = auth.post(
        "/admin/users/new",
        {
            "email": "camille@example.org",
            "name": "Camille",
            "roles": ["delegate", "member"],
            "section": "Austria",
            "preferred_language": "fr",
        },
        token_page="/admin/users/new",
    )
    assert response.status_code == 200
    assert 'id="invitation-link"' in response.get_data(as_text=True)
    user = accounts.find_user_by_email("camille@example.org")
    assert user.roles == {"delegate", "member"} and user.section.name == "Austria"
    assert accounts.authenticate("camille@example.org", "") is None


def test_a_delegate_without_a_section_is_refused_beside_the_section_field(client, auth, people):
    sign_in_admin(auth)
    response = auth.post(
        "/admin/users/new",
        {
            "email": "x@example.org",
            "name": "X",
            "roles": ["delegate"],
            "section": "",
            "preferred_language": "",
        },
        token_page="/admin/users/new",
    )
    assert response.status_code == 422
    assert 'id="section-error"' in response.get_data(as_text=True)
    assert accounts.find_user_by_email("x@example.org") is None


def test_an_email_taken_in_another_case_is_refused(client, auth, people):
    sign_in_admin(auth)
    response = auth.post(
        "/admin/users/new",
        {
            "email": "Member@Example.org",
            "name": "Twin",
            "roles": ["member"],
            "preferred_language": "",
        },
        token_page="/admin/users/new",
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_an_admin_changes_roles_and_section_of_a_user(client, auth, people):
    sign_in_admin(auth)
    member = people["member"]
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert 'value="member@example.org"' in page
    response = auth.post(
        f"/admin/users/{member.id}",
        {
            "email": member.email,
            "name": "Renamed",
            "roles": ["delegate", "member"],
            "section": "Argentina",
            "preferred_language": "",
        },
        token_page=f"/admin/users/{member.id}",
    )
    assert response.status_code == 302
    member = accounts.get_user(member.id)
    assert member.name == "Renamed" and member.roles == {"delegate", "member"}
    assert member.section.name == "Argentina"


def test_deactivating_a_user_ends_their_session_and_revokes_their_tokens(app, client, auth, people):
    token = accounts.create_token(people["member"])
    member_browser = app.test_client()
    from corep_testing import AuthActions

    AuthActions(member_browser).login("member@example.org")
    assert member_browser.get("/profile").status_code == 200

    sign_in_admin(auth)
    response = auth.post(
        f"/admin/users/{people['member'].id}/active", {"active": "0"}, token_page="/admin/users"
    )
    assert response.status_code == 302
    assert member_browser.get("/profile").status_code == 302
    assert (
        client.get("/api/v1/declarations", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )

    auth.post(
        f"/admin/users/{people['member'].id}/active", {"active": "1"}, token_page="/admin/users"
    )
    assert accounts.authenticate("member@example.org", "correct horse battery staple") is not None


def test_an_admin_cannot_deactivate_their_own_account(client, auth, people):
    sign_in_admin(auth)
    response = auth.post(
        f"/admin/users/{people['admin'].id}/active", {"active": "0"}, token_page="/admin/users"
    )
    assert response.status_code == 302
    assert accounts.get_user(people["admin"].id).active
    assert "cannot deactivate your own account" in client.get("/admin/users").get_data(as_text=True)


def test_an_admin_adds_and_renames_a_section(client, auth, people):
    sign_in_admin(auth)
    assert (
        auth.post(
            "/admin/sections/new",
            {"name": "France", "language": "fr", "weight": "2"},
            token_page="/admin/sections/new",
        ).status_code
        == 302
    )
    france = accounts.find_section_by_name("France")
    assert (france.language, france.weight) == ("fr", 2)
    assert (
        auth.post(
            f"/admin/sections/{france.id}",
            {"name": "France (section)", "language": "fr", "weight": "1"},
            token_page="/admin/sections",
        ).status_code
        == 302
    )
    assert accounts.get_section(france.id).name == "France (section)"


def test_a_duplicate_section_name_is_refused_beside_the_name_field(client, auth, people):
    sign_in_admin(auth)
    response = auth.post(
        "/admin/sections/new",
        {"name": "Austria", "language": "de", "weight": "1"},
        token_page="/admin/sections/new",
    )
    assert response.status_code == 422
    assert 'id="name-error"' in response.get_data(as_text=True)
    assert len(accounts.list_sections()) == 2


def test_user_names_are_escaped_in_the_admin_pages(client, auth, people, make_user):
    make_user("member", name="<script>alert(1)</script>")
    sign_in_admin(auth)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
