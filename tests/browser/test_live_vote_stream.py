"""The live vote page in a real browser: the turnout arrives through the event stream (the
polled endpoint blocked), without a reload; where EventSource is missing it polls instead."""

import pytest
from journeys import sign_in
from playwright.sync_api import expect

from corep_drafts.services import declarations, demo, votes
from corep_drafts.services.demo import DEMO_TITLE

pytestmark = pytest.mark.browser

STREAM_DEADLINE_MS = 3_000  # polling alone would need its two seconds and more


@pytest.fixture
def meeting(app):
    logins = {login.section or login.roles[0]: login for login in demo.load_demo()}
    executive = demo.accounts.find_user_by_email(logins["executive"].email)
    draft = next(d for d in declarations.visible_declarations(executive) if d.title == DEMO_TITLE)
    vote = votes.open_amendment_vote(executive, draft.amendments[0].id)
    delegate = {
        section: demo.accounts.find_user_by_email(logins[section].email)
        for section in ("France", "Austria")
    }
    return logins, vote, delegate


def test_the_live_page_updates_from_the_stream_without_a_reload(page, meeting, screenshot):
    logins, vote, delegate = meeting
    polled = []
    page.route("**/votes/*/live", lambda route: (polled.append(route.request.url), route.abort()))
    sign_in(page, logins["executive"])
    page.goto(f"/votes/{vote.id}")
    live = page.locator(".vote-live")
    expect(live).to_have_attribute("data-live-mode", "stream")
    turnout = page.locator('[data-live="turnout"]')
    expect(turnout).to_have_text("0 of 5 sections have voted")
    page.evaluate("() => { window.notReloaded = true; }")

    votes.cast_ballot(delegate["France"], vote.id, "yes")
    expect(turnout).to_have_text("1 of 5 sections has voted", timeout=STREAM_DEADLINE_MS)
    votes.cast_ballot(delegate["Austria"], vote.id, "no")
    expect(turnout).to_have_text("2 of 5 sections have voted", timeout=STREAM_DEADLINE_MS)
    expect(page.locator('[data-live="waiting"]')).to_have_text("Argentina, Spanish State, Türkiye")
    assert page.evaluate("() => window.notReloaded") is True
    assert polled == []
    screenshot(page, "vote-live-stream")


def test_without_event_source_the_live_page_polls(page, meeting):
    logins, vote, delegate = meeting
    page.add_init_script("delete window.EventSource;")
    sign_in(page, logins["Austria"])
    page.goto(f"/votes/{vote.id}")
    expect(page.locator(".vote-live")).to_have_attribute("data-live-mode", "polling")
    votes.cast_ballot(delegate["France"], vote.id, "yes")
    expect(page.locator('[data-live="turnout"]')).to_have_text(
        "1 of 5 sections has voted", timeout=10_000
    )
