"""What every browser journey does: sign in through the real login page."""
from playwright.sync_api import expect

from corep_testing import PASSWORD


def sign_in(page, who, password: str | None = None) -> None:
    """`who` is a demo login (with .email and .password) or an e-mail with the test password."""
    email = getattr(who, "email", who)
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password or getattr(who, "password", PASSWORD))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flash-success")).to_contain_text("Signed in as")
