"""Meeting mode in a real browser: the executive opens a vote, three delegates vote, the live
page shows the turnout change without a reload, the executive closes it, the new version appears."""

import pytest
from journeys import sign_in
from playwright.sync_api import expect

from corep_drafts.services import declarations, demo
from corep_drafts.services.demo import DEMO_TITLE

pytestmark = pytest.mark.browser


@pytest.fixture
def meeting(app):
    logins = {login.section or login.roles[0]: login for login in demo.load_demo()}
    executive = demo.accounts.find_user_by_email(logins["executive"].email)
    declaration = next(
        d for d in declarations.visible_declarations(executive) if d.title == DEMO_TITLE
    )
    amendment = declaration.amendments[0]  # Argentina's: cool rest rooms beside the shade
    return logins, declaration, amendment


def test_a_vote_in_meeting_mode_from_opening_to_the_new_version(
    chromium, live_server, page, meeting, screenshot
):
    logins, declaration, amendment = meeting
    sign_in(page, logins["executive"])
    page.goto(f"/declarations/{declaration.id}/votes")
    page.get_by_role("button", name="Open the vote on A1").click()
    expect(page.locator(".flash-success")).to_contain_text("The vote on A1 is open.")
    turnout = page.locator('[data-live="turnout"]')
    expect(turnout).to_have_text("0 of 5 sections have voted")
    expect(page.locator('[data-live="waiting"]')).to_contain_text("Argentina")
    screenshot(page, "vote-live-open")

    for section in ("Argentina", "France", "Türkiye"):
        context = chromium.new_context(base_url=live_server)
        delegate_page = context.new_page()
        sign_in(delegate_page, logins[section])
        delegate_page.goto(page.url)
        delegate_page.get_by_role("button", name="Yes").click()
        expect(delegate_page.locator(".flash-success")).to_have_text("Your ballot was counted.")
        if section == "Türkiye":
            screenshot(delegate_page, "vote-delegate-ballot")
        context.close()

    # The executive's page was never reloaded: the turnout comes from the event stream.
    expect(turnout).to_have_text("3 of 5 sections have voted", timeout=15_000)
    expect(page.locator('[data-live="waiting"]')).to_have_text("Austria, Spanish State")
    screenshot(page, "vote-live-turnout")

    projector = page.context.new_page()
    projector.goto(page.url + "/projector")
    expect(projector.locator(".projector-turnout")).to_have_text("3 of 5 sections have voted")
    projector.set_viewport_size({"width": 1280, "height": 720})
    screenshot(projector, "vote-projector")
    projector.close()

    page.get_by_role("button", name="Close the vote").click()
    expect(page.get_by_role("heading", name="Adopted")).to_be_visible()
    expect(page.locator(".explanation")).to_have_text(
        "Adopted: 3 of 3 sections voting said yes; majority needed 2."
    )
    screenshot(page, "vote-result")

    page.get_by_role("link", name="Read the new version").click()
    expect(page.get_by_role("heading", level=1, name=DEMO_TITLE)).to_be_visible()
    expect(page.locator("body")).to_contain_text("cool rest rooms")
    expect(page.locator("body")).to_contain_text("Version 2")
    screenshot(page, "declaration-after-adoption")
