"""Drafting in a real browser: propose with the live preview, co-sponsor, revise; on a phone too."""

import re
from importlib import resources

import pytest
from journeys import sign_in
from playwright.sync_api import expect

from corep_drafts.services import accounts, amendments, declarations

pytestmark = pytest.mark.browser

TITLE = "Joint Declaration on Work in a Heating World"


def demo_text() -> str:
    """The demo declaration without its title line (the page shows the title as its heading), so
    that paragraph 3 is the first paragraph of prose."""
    text = resources.files("corep_drafts.demo").joinpath("declaration.md").read_text("utf-8")
    return text.split("\n\n", 1)[1]


@pytest.fixture
def draft(people, make_user):
    france = accounts.add_section("France", language="fr")
    camille = make_user(
        "delegate", section=france, email="delegate.f@example.org", name="Camille Martin"
    )
    declaration = declarations.create_declaration(
        TITLE, demo_text(), created_by=people["executive"]
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    text = declaration.current_version.text
    # Two amendments that compete over the same demand, and one elsewhere.
    amendments.propose(
        people["delegate_b"],
        declaration.id,
        1,
        text.replace("stops with full pay", "stops with full pay and bonuses"),
        "Piece rates: pay **and** bonuses.",
    )
    amendments.propose(
        camille,
        declaration.id,
        1,
        text.replace("stops with full pay", "stops with full wages"),
        "*Wages* is the word our laws use.",
    )
    amendments.propose(
        people["delegate_b"],
        declaration.id,
        1,
        text.replace("before next summer", "before the first heatwave of next summer"),
        "",
    )
    return declaration


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".flash-success")).to_contain_text("Signed out")


def no_sideways_scroll(page, what):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px on a phone"


def test_a_delegate_proposes_with_a_live_preview_another_section_cosponsors_the_proposer_revises(
    page, draft, screenshot
):
    sign_in(page, "delegate.a@example.org")
    page.goto(f"/declarations/{draft.id}")
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    competing = page.locator(".amendment-group.competing")
    expect(competing).to_have_count(1)
    expect(competing).to_contain_text("A1")
    expect(competing).to_contain_text("A2")
    screenshot(page, "draft-page")

    page.get_by_role("link", name="Propose an amendment to ¶ 3").click()
    expect(page.get_by_role("heading", level=1, name="Propose an amendment to ¶ 3")).to_be_visible()
    box = page.get_by_label("Your wording of ¶ 3")
    assert box.input_value().startswith("Every summer now breaks the records")
    box.fill(
        box.input_value()
        .replace("people who build", "workers who build")
        .replace("were never made to bear", "cannot bear")
    )
    preview = page.locator("#preview")
    expect(preview.locator("ins").first).to_have_text(re.compile("workers"))
    expect(preview.locator("del").first).to_have_text(re.compile("people"))
    expect(preview.locator("ins").nth(1)).to_contain_text("cannot")
    page.get_by_label("Rationale").fill("Say *workers*: this is a declaration about work.")
    screenshot(page, "propose-preview")

    page.get_by_role("button", name="Propose the amendment").click()
    expect(page.locator(".flash-success")).to_contain_text("A4 was submitted")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amendment A4")
    expect(page.locator(".cd-diff--inline ins").first).to_contain_text("workers")
    expect(page.locator(".amendment-header")).to_contain_text("paragraph 3, line 1")
    screenshot(page, "amendment-inline")
    page.get_by_role("link", name="Side by side").click()
    expect(page.locator("table.cd-diff--side-by-side td.cd-new ins").first).to_contain_text(
        "workers"
    )
    expect(page.locator("table.cd-diff--side-by-side td.cd-old del").first).to_contain_text(
        "people"
    )
    screenshot(page, "amendment-side-by-side")
    amendment_url = page.url.split("?")[0]
    sign_out(page)

    sign_in(page, "delegate.b@example.org")
    page.goto(amendment_url)
    page.get_by_role("button", name="Co-sponsor for Austria").click()
    expect(page.locator(".flash-success")).to_contain_text("co-sponsors")
    expect(page.locator(".cosponsors")).to_contain_text("Austria")
    page.get_by_label("Your comment").fill("Austria supports this; *workers* is the right word.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.locator(".comment em")).to_have_text("workers")
    sign_out(page)

    sign_in(page, "delegate.a@example.org")
    page.goto(amendment_url)
    page.get_by_role("link", name="Revise", exact=True).click()
    box = page.get_by_label("Your wording of ¶ 3")
    assert "workers who build" in box.input_value()
    box.fill(box.input_value().replace("workers who build", "working people who build"))
    expect(page.locator("#preview ins").first).to_have_text(re.compile(r"^working\s*$"))
    screenshot(page, "revise-preview")
    page.get_by_role("button", name="Save the revision").click()
    expect(page.locator(".flash-success")).to_contain_text("A4 was revised")
    expect(page.locator(".history")).to_contain_text("Revision 2")
    expect(page.locator(".cd-diff--inline ins").first).to_contain_text("working")
    screenshot(page, "amendment-revised")


def test_the_executive_sets_the_deadline_in_their_own_time_zone_and_it_is_stored_in_utc(
    chromium, live_server, draft, screenshot
):
    context = chromium.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/Istanbul",
    )  # UTC+3
    page = context.new_page()
    try:
        sign_in(page, "executive@example.org")
        page.goto(f"/declarations/{draft.id}")
        expect(
            page.get_by_role("button", name="Close amendments and open the voting")
        ).to_be_visible()
        page.get_by_label("Amendment deadline").fill("2030-05-01T18:00")
        page.get_by_role("button", name="Set the deadline").click()
        expect(page.locator(".flash-success")).to_contain_text("deadline was saved")
        deadline = page.locator(".deadline time")
        expect(deadline).to_have_attribute("datetime", "2030-05-01T15:00:00+00:00")
        expect(deadline).to_contain_text("6:00 PM")  # in the interface language, English
        expect(deadline).to_contain_text(
            "(Türkiye Standard Time)"
        )  # the zone the browser reported, named
        expect(page.get_by_label("Amendment deadline")).to_have_value("2030-05-01T18:00")
        screenshot(page, "draft-page-executive")
        page.get_by_role("link", name="Merge amendments into a compromise").click()
        page.get_by_label("A1 — Austria").check()
        page.get_by_label("A2 — France").check()
        page.get_by_role("button", name="Make the compromise").click()
        expect(page.locator("#text-error")).to_contain_text("compete")
        screenshot(page, "compromise-error")
    finally:
        context.close()


def test_a_conflicted_amendment_shows_what_changed_underneath_and_is_revised_on_the_current_text(
    page, people, screenshot
):
    text = demo_text()
    declaration = declarations.create_declaration(TITLE, text, created_by=people["executive"])
    declarations.edit_draft(
        people["executive"],
        declaration.id,
        text.replace("people who build", "women and men who build"),
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    stale = amendments.propose(
        people["delegate_a"],
        declaration.id,
        1,
        text.replace("people who build", "workers who build"),
        "Written offline.",
    )
    sign_in(page, "delegate.a@example.org")
    page.goto(f"/amendments/{stale.id}")
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("conflicts with the adopted text")
    expect(conflict.locator("ins").first).to_contain_text("women and men")
    screenshot(page, "amendment-conflicted")
    conflict.get_by_role("link", name="Revise it on the current text").click()
    box = page.get_by_label("Your wording of ¶ 3")
    assert "workers who build" in box.input_value()
    box.fill(box.input_value().replace("workers who build", "women and men who build and"))
    expect(page.locator("#preview ins").first).to_contain_text("and")
    page.get_by_role("button", name="Save the revision").click()
    expect(page.locator(".amendment-header .badge")).to_have_text("submitted")
    expect(page.locator(".conflict")).to_have_count(0)


def test_drafting_reads_well_on_a_phone(chromium, live_server, draft, screenshot):
    context = chromium.new_context(
        base_url=live_server,
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    phone = context.new_page()
    try:
        sign_in(phone, "delegate.a@example.org")
        phone.goto(f"/declarations/{draft.id}")
        expect(phone.locator(".amendment-group.competing")).to_be_visible()
        no_sideways_scroll(phone, "the draft page")
        screenshot(phone, "draft-phone")
        phone.goto(f"/declarations/{draft.id}/amendments/new?paragraph=3")
        box = phone.get_by_label("Your wording of ¶ 3")
        box.fill(box.input_value().replace("people who build", "workers who build"))
        expect(phone.locator("#preview ins").first).to_contain_text("workers")
        no_sideways_scroll(phone, "the propose page")
        screenshot(phone, "propose-phone")
        phone.goto(f"/amendments/{draft.amendments[0].id}?view=side")
        expect(phone.locator("table.cd-diff--side-by-side")).to_be_visible()
        no_sideways_scroll(phone, "the amendment page")
        screenshot(phone, "amendment-side-by-side-phone")
    finally:
        context.close()
