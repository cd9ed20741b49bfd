"""Foundation journeys in a real browser: each demo role signs in and sees what it may."""

import re

import pytest
from journeys import sign_in
from playwright.sync_api import expect

from corep_drafts.services import demo
from corep_drafts.services.demo import DEMO_TITLE, PUBLISHED_TITLE

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_logins(app):
    return {
        login.roles[0] if login.section is None else f"delegate:{login.section}": login
        for login in demo.load_demo()
    }


def test_a_delegate_signs_in_and_reads_the_demo_draft(page, demo_logins, screenshot):
    page.goto("/login")
    screenshot(page, "login")
    sign_in(page, demo_logins["delegate:France"])
    expect(page.locator(".account")).to_contain_text("France")
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    page.get_by_role("link", name=DEMO_TITLE).click()
    expect(page.get_by_role("heading", level=1, name=DEMO_TITLE)).to_be_visible()
    expect(page.locator(".declaration-text h3").first).to_be_visible()
    screenshot(page, "declaration-draft")


def test_a_member_sees_the_published_statement_but_not_the_draft(page, demo_logins, screenshot):
    sign_in(page, demo_logins["member"])
    expect(page.get_by_role("link", name=PUBLISHED_TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=DEMO_TITLE)).to_have_count(0)
    screenshot(page, "member-front-page")


def test_an_admin_adds_a_section_and_sees_a_field_error_for_a_duplicate(
    page, demo_logins, screenshot
):
    sign_in(page, demo_logins["admin"])
    page.get_by_role("link", name="Sections").click()
    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("Name").fill("Chile")
    page.get_by_label("Language code").fill("es")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Chile")).to_be_visible()
    screenshot(page, "admin-sections")

    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("Name").fill("Austria")
    page.get_by_label("Language code").fill("de")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#name-error")).to_contain_text("already exists")
    expect(page.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "admin-section-error")

    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("row")).to_have_count(1 + len(demo_logins))
    screenshot(page, "admin-users")


def test_the_executive_creates_an_api_token_on_the_profile_page(page, demo_logins, screenshot):
    sign_in(page, demo_logins["executive"])
    page.get_by_role("link", name=re.compile("Esra Kaya")).click()
    page.get_by_label("Label").fill("section website")
    page.get_by_role("button", name="Create a token").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("cdt_")
    response = page.request.get(
        "/api/v1/declarations", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.ok and DEMO_TITLE in [d["title"] for d in response.json()]
    screenshot(page, "profile-token")


def test_signing_out_really_ends_the_session(page, demo_logins):
    sign_in(page, demo_logins["executive"])
    cookies = page.context.cookies()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".flash-success")).to_contain_text("Signed out")
    page.context.add_cookies(cookies)  # replay the old cookie
    page.goto("/profile")
    expect(page).to_have_url(re.compile(r"/login"))


def test_the_draft_reads_well_on_a_phone(chromium, live_server, demo_logins, screenshot):
    context = chromium.new_context(
        base_url=live_server,
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    phone = context.new_page()
    try:
        sign_in(phone, demo_logins["delegate:Türkiye"])
        phone.get_by_role("link", name=DEMO_TITLE).click()
        expect(phone.get_by_role("heading", level=1, name=DEMO_TITLE)).to_be_visible()
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
        screenshot(phone, "declaration-phone")
    finally:
        context.close()


def test_the_error_pages_are_pages_of_the_site(page, demo_logins, screenshot):
    sign_in(page, demo_logins["member"])
    response = page.goto("/admin/users")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    response = page.goto("/declarations/999")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    screenshot(page, "error-404")
