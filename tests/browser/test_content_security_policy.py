"""The Content-Security-Policy in a real browser: the main pages open without a single violation
or script error, and their scripts (live diff, local time, live vote) still work under it."""

import pytest
from journeys import sign_in
from playwright.sync_api import expect

from corep_drafts.services import declarations, demo, votes
from corep_drafts.services.demo import DEMO_TITLE, PUBLISHED_TITLE

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_world(app):
    logins = {login.section or login.roles[0]: login for login in demo.load_demo()}
    executive = demo.accounts.find_user_by_email(logins["executive"].email)
    visible = declarations.visible_declarations(executive)
    draft = next(d for d in visible if d.title == DEMO_TITLE)
    published = next(d for d in visible if d.title == PUBLISHED_TITLE)
    vote = votes.open_amendment_vote(executive, draft.amendments[0].id)
    return logins, draft, published, vote


@pytest.fixture
def violations(page):
    """Every console message about the policy and every uncaught script error of the page."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    return seen


def test_the_main_pages_open_under_the_policy_without_a_violation_and_their_scripts_work(
    page, violations, demo_world, screenshot
):
    logins, draft, published, vote = demo_world
    page.goto("/login")
    csp = page.evaluate("() => fetch('/login').then(r => r.headers.get('content-security-policy'))")
    assert "script-src 'self'" in csp

    sign_in(page, logins["Argentina"])
    # The local-time script ran: it reported the browser's time zone in its cookie.
    assert "tz=" in page.evaluate("document.cookie")
    page.goto("/")
    expect(page.get_by_role("link", name=DEMO_TITLE)).to_be_visible()

    page.goto(f"/declarations/{draft.id}")
    expect(page.get_by_role("heading", level=1, name=DEMO_TITLE)).to_be_visible()
    page.get_by_role("link", name="Propose an amendment to ¶ 3").click()
    box = page.get_by_label("Your wording of ¶ 3")
    box.fill(box.input_value() + " Written under the policy.")
    # The live diff: static/js/propose.js fetched the preview and showed it.
    expect(page.locator("#preview ins").first).to_contain_text("under the policy")
    screenshot(page, "csp-propose-preview")

    page.goto(f"/amendments/{draft.amendments[1].id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amendment")

    page.goto(f"/votes/{vote.id}")
    turnout = page.locator('[data-live="turnout"]')
    expect(turnout).to_have_text("0 of 5 sections have voted")
    page.get_by_role("button", name="Yes").click()
    expect(page.locator(".flash-success")).to_have_text("Your ballot was counted.")

    page.goto(f"/read/{published.id}")
    expect(page.get_by_role("heading", level=1, name=PUBLISHED_TITLE)).to_be_visible()
    screenshot(page, "csp-reading-view")

    assert violations == []


def test_the_live_vote_page_refreshes_itself_under_the_policy(
    chromium, live_server, page, violations, demo_world
):
    logins, _draft, _published, vote = demo_world
    sign_in(page, logins["executive"])
    page.goto(f"/votes/{vote.id}")
    turnout = page.locator('[data-live="turnout"]')
    expect(turnout).to_have_text("0 of 5 sections have voted")

    context = chromium.new_context(base_url=live_server)
    delegate_page = context.new_page()
    sign_in(delegate_page, logins["France"])
    delegate_page.goto(f"/votes/{vote.id}")
    delegate_page.get_by_role("button", name="No").click()
    expect(delegate_page.locator(".flash-success")).to_be_visible()
    context.close()

    # Never reloaded: static/js/live-vote.js took the turnout from the stream and rewrote it.
    expect(turnout).to_have_text("1 of 5 sections has voted", timeout=15_000)
    assert violations == []


def test_an_injected_event_handler_does_not_run_and_the_violation_is_reported(page):
    page.goto("/login")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => document.body.insertAdjacentHTML(
                'beforeend', '<img src="/static/none.png" onerror="window.injected = 1">')"""
        )
    assert page.evaluate("() => window.injected") is None
