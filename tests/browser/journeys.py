"""What every browser journey does: sign in through the real login page, choose a language."""

from corep_testing import PASSWORD
from playwright.sync_api import expect


def sign_in(page, who, password: str | None = None, language: str | None = "en") -> None:
    """`who` is a demo login (with .email and .password) or an e-mail with the test password.
    The demo accounts prefer their sections' languages; the journeys written in English choose
    English in the footer (``language``), the others pass None to keep the account's."""
    email = getattr(who, "email", who)
    page.goto("/login")
    # By the fields' ids: the login page speaks the browser's language, whichever it is.
    page.locator("input#email").fill(email)
    page.locator("input#password").fill(password or getattr(who, "password", PASSWORD))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    if language:
        choose_language(page, language)


def choose_language(page, code: str) -> None:
    """Pick the interface language in the footer switch, as a person would."""
    page.locator("select#language").select_option(code)
    page.locator("form.language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
