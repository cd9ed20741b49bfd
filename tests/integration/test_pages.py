"""The pages people see: declarations by visibility, safe rendering, errors, language."""

import pytest

from corep_drafts.extensions import db
from corep_drafts.services import declarations


@pytest.fixture
def draft(people):
    return declarations.create_declaration(
        "Heat <b>and</b> work",
        "# Title\n\nA paragraph with <script>alert('x')</script> and "
        "[a link](javascript:alert(1)).\n",
        created_by=people["executive"],
    )


def test_a_delegate_reads_the_draft_with_its_text_rendered_safely(client, auth, draft):
    auth.login("delegate.a@example.org")
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert "Heat &lt;b&gt;and&lt;/b&gt; work" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page
    assert "<h2>Title</h2>" in page  # the page's own <h1> is the declaration's title


def test_a_member_gets_404_for_a_draft_and_200_once_it_is_adopted(client, auth, draft):
    auth.login("member@example.org")
    assert client.get(f"/declarations/{draft.id}").status_code == 404
    draft.status = "adopted"
    db.session.commit()
    response = client.get(f"/declarations/{draft.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/read/{draft.id}"
    )
    assert client.get(f"/read/{draft.id}").status_code == 200


def test_a_reader_without_an_account_sees_only_published_declarations(client, draft):
    assert client.get(f"/declarations/{draft.id}").status_code == 404
    assert "Heat" not in client.get("/").get_data(as_text=True)
    draft.status = "published"
    db.session.commit()
    assert "Heat &lt;b&gt;and&lt;/b&gt; work" in client.get("/").get_data(as_text=True)
    assert client.get(f"/declarations/{draft.id}/versions/1").status_code == 200


def test_an_unknown_version_is_a_404_page(client, auth, draft):
    auth.login("executive@example.org")
    response = client.get(f"/declarations/{draft.id}/versions/9")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_a_signed_in_person_who_may_not_see_a_page_gets_a_403_page(client, auth, people):
    auth.login("member@example.org")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_the_navigation_shows_admin_links_only_to_admins(client, auth, people):
    auth.login("member@example.org")
    assert "/admin/users" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("admin@example.org")
    assert "/admin/users" in client.get("/").get_data(as_text=True)


def test_the_interface_follows_the_browsers_language_and_the_chosen_one(client, auth, people):
    page = client.get("/", headers={"Accept-Language": "tr, en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page
    auth.post("/language", {"language": "eo", "next": "/"}, token_page="/login")
    assert '<html lang="eo" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_every_page_asset_is_served_from_this_site(client, auth, people):
    auth.login("admin@example.org")
    for path in ("/", "/login", "/profile", "/admin/users", "/admin/sections"):
        page = client.get(path).get_data(as_text=True)
        assert "http://" not in page.replace("http://localhost", "") and "https://" not in page, (
            path
        )


def test_a_text_that_opens_with_its_title_does_not_show_the_title_twice(client, auth, people):
    declaration = declarations.create_declaration("On Heat", "# On Heat\n\n## Why\n\nBecause.\n")
    auth.login("executive@example.org")
    page = client.get(f"/declarations/{declaration.id}").get_data(as_text=True)
    assert page.count("On Heat</h") == 1
    assert "<h3>Why</h3>" in page
