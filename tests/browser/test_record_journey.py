"""The record in a real browser: a member opens the adopted declaration, opens how a paragraph
came to be, and downloads the PDF."""

import re

import pytest
from journeys import sign_in
from playwright.sync_api import expect
from pypdf import PdfReader

from corep_drafts.services import demo
from corep_drafts.services.demo import PUBLISHED_TITLE

pytestmark = pytest.mark.browser


@pytest.fixture
def logins(app):
    return {
        login.roles[0] if login.section is None else login.section: login
        for login in demo.load_demo()
    }


def test_a_member_reads_the_adopted_text_its_provenance_and_downloads_the_pdf(
    page, logins, screenshot, tmp_path
):
    sign_in(page, logins["member"])
    page.get_by_role("link", name=PUBLISHED_TITLE).click()
    expect(page).to_have_url(re.compile(r"/read/\d+$"))
    expect(page.get_by_role("heading", level=1, name=PUBLISHED_TITLE)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Record verified")
    screenshot(page, "reading-view")

    amended = page.locator("section.passage", has_text="balas de goma")
    amended.get_by_text("How this passage came to be").click()
    details = amended.locator("details.provenance")
    expect(details).to_contain_text("A1")
    expect(details).to_contain_text("proposed by Spanish State")
    expect(details).to_contain_text("balas de goma contra las concentraciones")  # the rationale
    expect(details).to_contain_text("sections voting said yes")
    details.scroll_into_view_if_needed()
    screenshot(page, "reading-provenance")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "declaration.pdf"
    download.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert PUBLISHED_TITLE in text.replace("\n", " ") and "balas de goma" in text


def test_a_reader_without_an_account_reads_the_published_statement_and_its_feed(
    page, logins, screenshot
):
    page.goto("/")
    page.get_by_role("link", name=PUBLISHED_TITLE).click()
    expect(page.get_by_role("heading", level=1, name=PUBLISHED_TITLE)).to_be_visible()
    expect(page.locator(".permalink")).to_contain_text("/read/")
    feed = page.request.get("/feed.atom")
    assert feed.ok and PUBLISHED_TITLE in feed.text()
    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the reading view scrolls sideways by {overflow}px on a phone"
    screenshot(page, "reading-phone")
