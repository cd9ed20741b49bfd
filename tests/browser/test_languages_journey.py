"""The tool in Turkish and in Esperanto, in a real browser: a Turkish delegate and the executive
through the draft and a vote, an Esperanto-speaking member reading the adopted declaration beside
its Spanish original, and a translator bringing the outdated German translation up to date.
Every page is checked for English left over, and for text running off a phone's screen."""

import re

import pytest
from journeys import choose_language, sign_in
from language_support import english_left
from playwright.sync_api import expect

from corep_drafts.services import declarations, demo, translations
from corep_drafts.services.demo import DEMO_TITLE, PUBLISHED_TITLE

pytestmark = pytest.mark.browser


@pytest.fixture
def logins(app):
    return {login.section or login.roles[0]: login for login in demo.load_demo()}


def demo_declaration(logins, title):
    executive = demo.accounts.find_user_by_email(logins["executive"].email)
    return next(d for d in declarations.visible_declarations(executive) if d.title == title)


def assert_no_english(page, language):
    assert english_left(page.content(), language) == [], page.url


def assert_fits_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px on a phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_turkish_delegate_and_the_executive_work_in_turkish_through_the_draft_and_a_vote(
    chromium, live_server, page, logins, screenshot
):
    draft = demo_declaration(logins, DEMO_TITLE)
    sign_in(page, logins["executive"], language=None)  # Esra Kaya's account speaks Turkish
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    page.goto(f"/declarations/{draft.id}/votes")
    assert_no_english(page, "tr")
    page.locator(f'form[action="/amendments/{draft.amendments[0].id}/vote"] button').click()
    expect(page.locator(".flash-success")).to_be_visible()
    vote_url = page.url
    assert re.search(r"/votes/\d+$", vote_url)

    delegate_context = chromium.new_context(base_url=live_server, locale="tr-TR")
    delegate = delegate_context.new_page()
    sign_in(delegate, logins["Türkiye"], language=None)
    delegate.goto(f"/declarations/{draft.id}")
    expect(delegate.locator("html")).to_have_attribute("lang", "tr")
    assert_no_english(delegate, "tr")
    screenshot(delegate, "tr-draft-page")
    assert_fits_a_phone(delegate)

    delegate.goto(vote_url)
    delegate.locator('form.ballot-buttons button[value="yes"]').click()
    expect(delegate.locator(".flash-success")).to_be_visible()
    assert_no_english(delegate, "tr")
    screenshot(delegate, "tr-vote-page")
    assert_fits_a_phone(delegate)
    delegate_context.close()

    expect(page.locator('[data-live="turnout"]')).to_contain_text("1", timeout=15_000)
    page.locator(f'form[action="{vote_url[len(live_server) :]}/close"] button').click()
    expect(page.locator(".explanation")).to_contain_text("1")
    assert_no_english(page, "tr")
    screenshot(page, "tr-vote-result")


def test_an_esperanto_speaking_member_reads_the_text_in_esperanto_beside_its_spanish_original(
    page, logins, screenshot
):
    published = demo_declaration(logins, PUBLISHED_TITLE)
    sign_in(page, logins["member"], language="eo")
    page.goto(f"/read/{published.id}")
    expect(page.locator("article.reading-text")).to_have_attribute("lang", "es")
    page.locator(f'nav.language-bar a[href="/read/{published.id}?language=eo"]').click()
    expect(page.locator("article.reading-text")).to_have_attribute("lang", "eo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deklaracio pri la libereco kunveni")
    assert_no_english(page, "eo")
    screenshot(page, "eo-reading-view")

    page.locator("form.beside-form select").select_option("es")
    page.locator("form.beside-form button").click()
    rows = page.locator("table.side-by-side tbody tr")
    expect(rows).to_have_count(9)  # the ten paragraphs but the title, which heads the page
    amended = page.locator(
        "table.side-by-side tr#p4"
    )  # the paragraph the adopted amendment changed
    expect(amended.locator('td[lang="eo"]')).to_contain_text(
        "disigitaj per gaso, kaŭĉukaj kugloj kaj monpunoj"
    )
    expect(amended.locator('td[lang="es"]')).to_contain_text(
        "dispersado con gases, balas de goma y multas"
    )
    assert_no_english(page, "eo")
    screenshot(page, "eo-reading-side-by-side")
    assert_fits_a_phone(page)

    page.goto(f"/read/{published.id}?language=de&beside=es")
    expect(page.locator("td.cell-outdated")).to_have_count(1)
    screenshot(page, "eo-reading-outdated-german-beside-spanish")


def test_a_translator_brings_the_outdated_german_translation_up_to_date_from_the_source_diff(
    page, logins, screenshot, app
):
    published = demo_declaration(logins, PUBLISHED_TITLE)
    sign_in(page, logins["Austria"], language=None)  # Johanna Gruber's account speaks German
    page.goto(f"/declarations/{published.id}/translations")
    expect(page.locator("table.translations .badge.translation-outdated")).to_have_count(1)
    assert_no_english(page, "de")
    page.locator(f'a[href="/declarations/{published.id}/translations/de"]').click()

    changed = page.locator(".translation-row.needs-work")
    expect(changed).to_have_count(1)
    expect(changed.locator(".source-diff ins")).to_contain_text("balas de goma")
    box = changed.locator("textarea")
    expect(box).to_have_value(re.compile("mit Gas und Geldstrafen aufgelöst"))
    assert_no_english(page, "de")
    screenshot(page, "de-translator-outdated")

    box.fill(
        box.input_value().replace(
            "mit Gas und Geldstrafen", "mit Gas, Gummigeschossen und Geldstrafen"
        )
    )
    page.locator("form.translation-form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".translation-row.needs-work")).to_have_count(0)
    screenshot(page, "de-translator-current")

    member = demo.accounts.find_user_by_email(logins["member"].email)
    state = translations.get_translation(member, published.id, "de")
    assert state.status == "current" and "Gummigeschossen" in state.text


def test_the_interface_language_is_chosen_in_the_footer_and_survives_the_next_pages(page, logins):
    page.goto("/")
    choose_language(page, "tr")
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    assert_no_english(page, "tr")
    choose_language(page, "eo")
    expect(page.locator("select#language")).to_have_value("eo")
