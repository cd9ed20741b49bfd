"""Output safety (issue 10, item 3): a corpus of XSS payloads through every user-written field,
then every page and export that shows them, parsed as a browser parses them: nothing live.

One scenario is built through the services as the delegates, the executive and the admin would
write it (a published declaration with its record and translations, a declaration open for
amendments with comments, revisions, compromises and an open vote, a draft), then every page is
fetched as the people who may see it. Payloads go in batches: a text field takes a batch joined,
a name field (people, sections, tokens) one payload each.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from corep_testing import PASSWORD, AuthActions, empty_every_table
from markdown_it import MarkdownIt
from xss_corpus import (
    APP_PAYLOADS,
    ATOM,
    EVALUATED_TEMPLATE,
    live_in_feed,
    live_in_odt,
    live_in_pdf,
    live_markup,
    text_of_odt,
)
from xss_scenario import NAME_LIMIT, PAYLOADS, Scenario

from corep_drafts.extensions import db
from corep_drafts.services import accounts


@pytest.fixture(scope="module")
def built(_session_app):
    """The scenario is built once for the module (it is the costly part, above all on
    PostgreSQL); every test here only reads it. The tables are emptied afterwards, as the
    ``app`` fixture does after each test elsewhere."""
    _session_app.config["WTF_CSRF_ENABLED"] = True
    with _session_app.app_context():
        sections = {
            "A": accounts.add_section("Argentina", language="es"),
            "B": accounts.add_section("Austria", language="de"),
        }

        def person(email, *roles, section=None):
            return accounts.add_user(
                email, email.split("@")[0], list(roles), PASSWORD, section_name=section
            )

        people = {
            "member": person("member@example.org", "member"),
            "delegate_a": person(
                "delegate.a@example.org", "delegate", "member", section="Argentina"
            ),
            "delegate_b": person("delegate.b@example.org", "delegate", "member", section="Austria"),
            "executive": person("executive@example.org", "executive"),
            "admin": person("admin@example.org", "admin"),
        }
        try:
            yield _session_app, Scenario(people, sections)
        finally:
            db.session.remove()
            empty_every_table()


@pytest.fixture
def app(built):
    """This module's tests share the built scenario, so they use this app, not conftest's."""
    return built[0]


@pytest.fixture
def scenario(built):
    return built[1]


def signed_in(app, email: str | None):
    client = app.test_client()
    if email:
        response = AuthActions(client).login(email)
        assert response.status_code == 302, "signing in failed"
    return client


def pages_of(scenario) -> dict[str, list[str]]:
    """Every page showing stored payloads, by who reads it."""
    published, amending, draft = scenario.published.id, scenario.amending.id, scenario.draft.id
    shown_amendments = [
        scenario.inserting.id,
        scenario.splitting.id,
        scenario.deleting.id,
        scenario.compromise.id,
    ]
    delegate = [f"/declarations/{amending}", f"/declarations/{amending}?status=submitted"]
    for amendment_id in shown_amendments:
        delegate += [f"/amendments/{amendment_id}", f"/amendments/{amendment_id}?view=side"]
    delegate += [
        f"/amendments/{scenario.deleting.id}/revisions/1",
        f"/amendments/{scenario.deleting.id}/revisions/2?view=side",
        f"/amendments/{scenario.inserting.id}/revise",
        f"/amendments/{scenario.inserting.id}/revise?whole=1",
        f"/declarations/{amending}/amendments/new?paragraph=5",
        f"/declarations/{amending}/amendments/new",
        f"/declarations/{amending}/compromise",
        f"/declarations/{amending}/votes",
        f"/votes/{scenario.open_vote.id}",
        f"/declarations/{amending}/translations",
        f"/declarations/{published}/translations/eo",
        f"/declarations/{published}/translations/de",
        "/profile",
        "/notifications",  # the votes on the payload-titled declarations, worded
    ]
    executive = [
        "/",
        "/?q=script",
        "/?q=javascript",
        f"/declarations/{draft}",
        f"/declarations/{draft}/edit",
        f"/declarations/{amending}",
        f"/declarations/{amending}/versions/1",
        f"/declarations/{amending}/history",
        f"/declarations/{published}/history?from=1&to=2",
        f"/declarations/{published}/history?from=1&to=2&view=side",
        f"/declarations/{published}/votes",
        f"/votes/{scenario.final_vote.id}",
        f"/votes/{scenario.open_vote.id}",
        f"/votes/{scenario.open_vote.id}/projector",
        f"/amendments/{scenario.inserting.id}",
        f"/declarations/{amending}/compromise",
        "/audit",
        f"/audit?declaration={amending}",
    ]
    reader = [
        "/",
        f"/read/{published}",
        f"/read/{published}/v/1",
        f"/read/{published}?language=eo",
        f"/read/{published}?language=de",
        f"/read/{published}?beside=eo",
        f"/read/{published}?language=eo&beside=de",
        f"/declarations/{published}/versions/2",
        f"/declarations/{published}/history",
        f"/declarations/{published}/translations",
    ]
    admin = ["/admin/users", "/admin/sections", "/admin/users?q=script", "/admin/outbox"]
    admin += [f"/admin/users/{scenario.people[key].id}" for key in ("delegate_a", "executive")]
    admin += [f"/admin/sections/{scenario.people['delegate_a'].section_id}"]
    return {
        "delegate.a@example.org": delegate,
        "executive@example.org": executive,
        "member@example.org": [f"/read/{published}", f"/declarations/{published}/history"],
        "admin@example.org": admin,
        None: reader,
    }


def test_payloads_in_every_field_leave_nothing_live_on_any_page(app, scenario):
    assert len(PAYLOADS) > 300
    assert scenario.names_stored > 2 * (len(PAYLOADS) - 60)  # most names were accepted
    found = {}
    fetched = 0
    for email, paths in pages_of(scenario).items():
        client = signed_in(app, email)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (email, path, response.status_code)
            fetched += 1
            live = live_markup(response.get_data(as_text=True))
            if live:
                found[(email, path)] = live
    assert fetched > 50
    assert not found, found


def test_payloads_are_shown_as_text_not_dropped(app, scenario):
    """The check above would pass on a page that lost the text: the payloads must be there."""
    client = signed_in(app, "executive@example.org")
    page = client.get(f"/amendments/{scenario.inserting.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;corep&#39;)&lt;/script&gt;" in page
    edit = client.get(f"/declarations/{scenario.draft.id}/edit").get_data(as_text=True)
    assert "&lt;/textarea&gt;&lt;script&gt;" in edit


def test_the_flashed_greeting_and_json_answers_carry_no_live_markup(app, scenario):
    client = app.test_client()
    response = AuthActions(client).login("delegate.a@example.org")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert not live_markup(page)
    assert scenario.people["delegate_a"].name[:20].replace("<", "&lt;")[:5] in page

    live = client.get(f"/votes/{scenario.open_vote.id}/live")
    assert live.mimetype == "application/json"
    preview = client.post(
        f"/declarations/{scenario.amending.id}/amendments/preview",
        json={
            "base_version": 1,
            "paragraph": 2,
            "text": " ".join(APP_PAYLOADS),
        },
        headers={"X-CSRFToken": AuthActions(client).csrf_token("/profile")},
    )
    assert preview.status_code == 200, preview.get_data(as_text=True)
    assert not live_markup(preview.get_json()["html"])


def reflected_live(response, payload: str) -> list[str]:
    """Live markup on the answer; a long page (the audit log, a whole declaration, 300 accounts)
    is parsed only where the payload came back unescaped, which reflecting it as markup needs."""
    body = response.get_data(as_text=True)
    return live_markup(body) if len(body) < 40_000 or payload in body else []


def test_query_parameters_are_not_reflected_as_markup(app, scenario):
    client = signed_in(app, "executive@example.org")
    admin = signed_in(app, "admin@example.org")
    small = scenario.small.id
    found = {}
    for payload in APP_PAYLOADS:
        for who, path, parameters in (
            (client, "/", {"q": payload}),
            (client, f"/declarations/{small}", {"status": payload, "section": payload}),
            (client, f"/declarations/{small}/history", {"view": payload, "section": payload}),
            (client, f"/read/{scenario.published.id}/v/1", {"language": payload}),
            (client, "/audit", {"action": payload}),
            (client, "/login", {"next": payload}),
            (admin, "/admin/users", {"q": payload}),
        ):
            response = who.get(path, query_string=parameters)
            assert response.status_code < 500, (path, payload)
            live = reflected_live(response, payload)
            if live:
                found[(path, payload)] = live
    assert not found, found


FORM_PAYLOADS = [p for p in APP_PAYLOADS if len(p.strip()) <= NAME_LIMIT][::2]


def test_payloads_posted_through_the_forms_come_back_inert_in_messages_and_pages(app, scenario):
    """The same payloads typed into the forms (a section's name, a comment, a token's name, a
    title): the page after each, flashed message included, carries nothing live."""
    admin, delegate, executive = (
        signed_in(app, email)
        for email in ("admin@example.org", "delegate.a@example.org", "executive@example.org")
    )
    found = {}
    for number, payload in enumerate(FORM_PAYLOADS):
        for client, path, fields in (
            (admin, "/admin/sections/new", {"name": payload, "language": "en", "weight": "1"}),
            (delegate, f"/amendments/{scenario.inserting.id}/comments", {"body": payload}),
            (delegate, "/profile/tokens", {"name": payload}),
            (
                executive,
                "/declarations/new",
                {"title": payload, "text": payload, "rule": "majority", "language": "en"},
            ),
        ):
            response = AuthActions(client).post(path, fields)
            assert response.status_code in (200, 302, 422), (path, payload)
            page = response if response.status_code != 302 else client.get("/profile")
            live = live_markup(page.get_data(as_text=True))
            if live:
                found[(path, number)] = live
    assert not found, found


def test_the_feed_is_well_formed_atom_with_every_title_as_plain_text(app, scenario):
    response = app.test_client().get("/feed.atom")
    assert response.status_code == 200
    assert live_in_feed(response.data) == []
    entry_titles = [
        entry.findtext(f"{ATOM}title")
        for entry in ElementTree.fromstring(response.data).iter(f"{ATOM}entry")
    ]
    assert entry_titles == [scenario.published.title]


def test_the_checks_find_live_markup_where_there_is_some():
    """The checks themselves, on markup a browser would run: each must be caught."""
    live = [
        '<a href=" java&#x09;script:alert(1)">x</a>',
        '<a href="JaVaScRiPt&colon;alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "<p>x<script>alert(1)</script></p>",
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        "<iframe srcdoc='x'></iframe>",
        '<meta http-equiv="refresh" content="0;url=x">',
        '<form><button formaction="vbscript:x">x</button></form>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        f"<p>{EVALUATED_TEMPLATE}</p>",
        "<textarea></textarea><script>alert(1)</script>",
    ]
    for html in live:
        assert live_markup(html), html
    assert live_markup('<script src="/static/js/live-vote.js" defer></script>') == []
    assert live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:x</p>") == []
    assert live_in_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom">'
        b'<h:script xmlns:h="http://www.w3.org/1999/xhtml"/></feed>'
    )
    assert live_in_feed(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><summary type="html">x</summary></feed>'
    )


@pytest.mark.parametrize("language", [None, "eo"])
def test_exports_carry_no_live_markup(app, scenario, language):
    client = signed_in(app, "member@example.org")
    published = scenario.published.id
    query = {"language": language} if language else {}

    html = client.get(f"/declarations/{published}/export.html", query_string=query)
    assert html.status_code == 200
    assert live_markup(html.get_data(as_text=True)) == []

    odt = client.get(f"/declarations/{published}/export.odt", query_string=query)
    assert odt.status_code == 200
    assert live_in_odt(odt.data) == []
    assert "<script>alert(1)</script>" in text_of_odt(odt.data)  # kept, as text

    if language is None:  # the PDF is the HTML export printed: once is enough
        pdf = client.get(f"/declarations/{published}/export.pdf")
        assert pdf.status_code == 200
        assert live_in_pdf(pdf.data) == []

    markdown = client.get(f"/declarations/{published}/export.md", query_string=query)
    text = markdown.get_data(as_text=True)
    # The text itself is the declaration's Markdown byte for byte: a renderer that allows raw
    # HTML would run what the executive wrote there, so it is rendered as Markdown without it.
    assert live_markup(MarkdownIt("commonmark", {"html": False}).render(text)) == []
    # The record after it is written to stay inert even under a renderer with raw HTML on.
    appendix = text[text.rindex("\n---\n") :]
    assert live_markup(MarkdownIt("commonmark", {"html": True}).render(appendix)) == []


def test_api_answers_are_json_with_the_payloads_as_strings(app, scenario):
    token = accounts.create_token(scenario.people["delegate_a"])

    def api(path):
        return app.test_client().get("/api/v1" + path, headers={"Authorization": "Bearer " + token})

    answer = api(f"/amendments/{scenario.inserting.id}")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert "<script>alert('corep')</script>" in body["rationale"] + body["text"]
    listing = api("/declarations")
    assert listing.mimetype == "application/json"
    assert json.loads(listing.get_data(as_text=True))
    assert EVALUATED_TEMPLATE not in listing.get_data(as_text=True)
