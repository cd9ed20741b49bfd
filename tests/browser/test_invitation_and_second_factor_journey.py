"""An invited person in a real browser: the admin adds them and passes on the link, they choose
their password, set up a second factor from the QR code's key, and sign in again with a code."""

import time

import pyotp
import pytest
from journeys import sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD_OF_THEIR_OWN = "a password of my own choosing"


def test_an_invited_executive_sets_a_password_and_a_second_factor(
    page, people, screenshot, live_server
):
    sign_in(page, people["admin"].email)
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Add a user").click()
    page.get_by_label("E-mail").fill("esra@example.org")
    page.get_by_label("Name").fill("Esra Kaya")
    page.get_by_label("Executive").check()
    page.get_by_role("button", name="Save").click()
    link = page.locator("#invitation-link").inner_text()
    assert link.startswith(live_server + "/invitations/")
    screenshot(page, "invitation-link")
    page.get_by_role("link", name="Back to the users").click()
    expect(page.get_by_role("row", name="Esra Kaya")).to_contain_text("invited, link valid until")
    screenshot(page, "admin-users-invited")
    page.get_by_role("button", name="Sign out").click()

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(PASSWORD_OF_THEIR_OWN)
    page.get_by_label("New password again").fill(PASSWORD_OF_THEIR_OWN)
    screenshot(page, "invitation-password")
    page.get_by_role("button", name="Set the password and sign in").click()
    expect(page.locator(".flash-success")).to_contain_text("Welcome, Esra Kaya")

    page.get_by_role("link", name="Esra Kaya").click()
    page.get_by_role("link", name="Set up a second factor").click()
    expect(page.locator("svg.qr-code")).to_be_visible()
    screenshot(page, "second-factor-enrol")
    totp = pyotp.TOTP(page.locator("#second-factor-key").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(totp.now())
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    screenshot(page, "recovery-codes")
    page.get_by_role("button", name="Sign out").click()

    page.goto("/login")
    page.locator("input#email").fill("esra@example.org")
    page.locator("input#password").fill(PASSWORD_OF_THEIR_OWN)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server + "/login/code")
    page.get_by_label("Code").fill(totp.at(time.time() + 30))  # the next step: never reused
    screenshot(page, "second-factor-code")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Signed in as Esra Kaya")
