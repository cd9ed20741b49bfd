"""A delegate who was away finds what happened in the notifications list, follows a link
straight to the vote, and marks the rest read: the header's count goes with it."""

from datetime import UTC, datetime

import pytest
from corep_testing import adopt_a_declaration
from journeys import sign_in
from playwright.sync_api import expect

from corep_drafts.services import accounts, amendments, declarations, votes

pytestmark = pytest.mark.browser

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"


def test_a_delegate_reads_the_notifications_follows_one_and_marks_all_read(
    page, people, screenshot
):
    adopt_a_declaration(people)
    accounts.update_preferences(people["delegate_a"], "en", "America/Argentina/Buenos_Aires")
    executive = people["executive"]
    heat = declarations.create_declaration("On breaks in the shade", TEXT, created_by=executive)
    declarations.transition(executive, heat.id, "amending")
    amendment = amendments.propose(
        people["delegate_b"], heat.id, 1, TEXT.replace("are paid", "are paid in full"), ""
    )
    vote = votes.open_amendment_vote(
        executive, amendment.id, closes_at=datetime(2030, 3, 2, 15, 0, tzinfo=UTC)
    )

    sign_in(page, people["delegate_a"].email)
    unread = page.locator(".notifications-link .unread-count")
    expect(unread).to_contain_text("8")
    page.locator(".notifications-link").click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    newest = page.locator(".notification").first
    expect(newest).to_contain_text("Vote open: the amendment A1 (On breaks in the shade)")
    expect(newest).to_contain_text("12:00 PM (Argentina Standard Time)")
    expect(newest).not_to_contain_text("attached")
    screenshot(page, "notifications-list")

    newest.get_by_role("button", name="Mark as read").click()
    expect(unread).to_contain_text("7")
    page.get_by_role("link", name="Vote open: the amendment A1 (On breaks in the shade)").click()
    expect(page).to_have_url(f"{page.url.split('/votes')[0]}/votes/{vote.id}")

    page.locator(".notifications-link").click()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".flash-success")).to_contain_text("Marked 7 notifications as read.")
    expect(unread).to_have_count(0)
    expect(page.locator(".notification.unread")).to_have_count(0)
    screenshot(page, "notifications-all-read")
