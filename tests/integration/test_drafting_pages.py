"""The drafting pages: the draft page, proposing with a preview, amendment pages (the
executive's pages are in test_executive_pages.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from corep_testing import csrf_token_from
from drafting_support import PARAGRAPH_3, TEXT, amendment_count, replace
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import Amendment, Comment
from corep_drafts.services import amendments, declarations


@pytest.fixture
def draft(people):
    declaration = declarations.create_declaration(
        "Heat at work", TEXT, created_by=people["executive"]
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    return declaration


def section_of(page: str, element_id: str) -> str:
    match = re.search(
        rf'<section class="draft-row[^"]*" id="{element_id}"(.*?)</section>', page, re.S
    )
    assert match, f"no {element_id} on the page"
    return match.group(1)


def propose_form(client, draft, paragraph=None):
    query = f"?paragraph={paragraph}" if paragraph else ""
    response = client.get(f"/declarations/{draft.id}/amendments/new{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post_proposal(client, draft, text, paragraph=3, base_version=1, rationale="Because."):
    page = propose_form(client, draft)
    return client.post(
        f"/declarations/{draft.id}/amendments/new",
        data={
            "csrf_token": csrf_token_from(page),
            "base_version": base_version,
            "paragraph": paragraph or "",
            "text": text,
            "rationale": rationale,
        },
    )


# --- the draft page ---------------------------------------------------------------------------


def test_the_draft_page_numbers_the_paragraphs_and_counts_the_pending_amendments_touching_each(
    client, auth, people, draft
):
    amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"), ""
    )
    amendments.propose(
        people["delegate_b"], draft.id, 1, replace("the heat,", "the summer heat,"), ""
    )
    amendments.propose(people["delegate_a"], draft.id, 1, replace("to join.", "to sign."), "")
    auth.login("delegate.a@example.org")
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert [f"p{n}" for n in range(1, 7)] == re.findall(r'class="draft-row[^"]*" id="(p\d+)"', page)
    assert "2 pending amendments touch ¶ 3" in section_of(page, "p3")
    assert "1 pending amendment touches ¶ 6" in section_of(page, "p6")
    assert "pending amendment" not in section_of(page, "p2")
    assert "Propose an amendment to ¶ 3" in section_of(page, "p3")
    assert f"/declarations/{draft.id}/amendments/new?paragraph=3" in page


def test_competing_amendments_are_shown_together_under_their_paragraph(client, auth, people, draft):
    first = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"), ""
    )
    second = amendments.propose(
        people["delegate_b"], draft.id, 1, replace("the heat,", "the summer heat,"), ""
    )
    apart = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("Paid breaks", "Paid pauses"), ""
    )
    auth.login("executive@example.org")
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    groups = re.findall(r'<div class="amendment-group competing">(.*?)</div>', page, re.S)
    assert len(groups) == 1
    assert first.label in groups[0] and second.label in groups[0] and "competes with" in groups[0]
    assert apart.label not in groups[0] and apart.label in section_of(page, "p5")


def test_an_amendment_spanning_two_paragraphs_is_listed_under_the_first_with_its_range(
    client, auth, people, draft
):
    text = replace("the one before.", "the last.", replace("no room to stop.", "no room at all."))
    amendment = amendments.propose(people["delegate_a"], draft.id, 1, text, "")
    auth.login("delegate.b@example.org")
    page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert amendment.label in section_of(page, "p2") and "¶ 2–3" in section_of(page, "p2")
    assert amendment.label not in section_of(page, "p3")
    assert "1 pending amendment touches ¶ 3" in section_of(page, "p3")


def test_the_filters_show_only_the_chosen_section_and_status(client, auth, people, sections, draft):
    mine = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"), ""
    )
    theirs = amendments.propose(
        people["delegate_b"], draft.id, 1, replace("to join.", "to sign."), ""
    )
    gone = amendments.propose(
        people["delegate_b"], draft.id, 1, replace("Paid breaks", "Paid pauses"), ""
    )
    amendments.withdraw(people["delegate_b"], gone.id)
    auth.login("delegate.a@example.org")

    def labels(query):
        page = client.get(f"/declarations/{draft.id}?{query}").get_data(as_text=True)
        return set(re.findall(r'class="amendment-label"[^>]*>(A\d+)<', page))

    assert labels("") == {mine.label, theirs.label, gone.label}
    assert labels(f"section={sections['B'].id}") == {theirs.label, gone.label}
    assert labels("status=withdrawn") == {gone.label}
    assert labels(f"section={sections['B'].id}&status=submitted") == {theirs.label}
    assert labels("status=nonsense") == {mine.label, theirs.label, gone.label}


def test_a_member_does_not_see_a_draft_nor_its_amendments(client, auth, people, draft):
    amendment = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"), ""
    )
    auth.login("member@example.org")
    assert client.get(f"/declarations/{draft.id}").status_code == 404
    assert client.get(f"/amendments/{amendment.id}").status_code == 404
    assert client.get(f"/amendments/{amendment.id}/revisions/1").status_code == 404


# --- proposing --------------------------------------------------------------------------------


def test_the_propose_form_holds_the_paragraph_to_edit_in_place_and_its_base_version(
    client, auth, draft
):
    auth.login("delegate.a@example.org")
    page = propose_form(client, draft, 3)
    assert "Propose an amendment to ¶ 3" in page
    assert "<textarea" in page and PARAGRAPH_3 in page
    assert re.search(r'name="base_version" type="hidden" value="1"', page)
    assert re.search(r'name="paragraph" type="hidden" value="3"', page)
    assert 'aria-live="polite"' in page and "js/propose.js" in page
    assert client.get(f"/declarations/{draft.id}/amendments/new?paragraph=99").status_code == 404


def test_proposing_through_the_form_stores_the_whole_text_rebuilt_byte_for_byte(
    client, auth, people, draft
):
    auth.login("delegate.a@example.org")
    edited = (
        "Workers go on working through the worst heat,\r\nbecause piece rates leave no room to "
        "stop."
    )
    response = post_proposal(client, draft, edited, rationale="Name the *cause*.")
    assert response.status_code == 302
    amendment = db.session.scalars(select(Amendment)).one()
    assert response.headers["Location"].endswith(f"/amendments/{amendment.id}")
    assert amendment.text == replace(PARAGRAPH_3, edited.replace("\r\n", "\n"))
    assert amendment.text.endswith("to join.   \n")  # the untouched rest, trailing spaces and all
    assert (amendment.proposer_id, amendment.rationale, amendment.status) == (
        people["delegate_a"].id,
        "Name the *cause*.",
        "submitted",
    )


def test_proposing_a_change_to_the_whole_text_replaces_it_all(client, auth, draft):
    auth.login("delegate.a@example.org")
    assert (
        post_proposal(client, draft, TEXT.replace("Heat", "Warmth"), paragraph=None).status_code
        == 302
    )
    assert db.session.scalars(select(Amendment)).one().text == TEXT.replace("Heat", "Warmth")


@pytest.mark.parametrize(
    "case, fields, where, message",
    [
        ("no change", {"text": PARAGRAPH_3}, "text-error", "no change"),
        ("unknown base version", {"base_version": 9}, "form-errors", "no version 9"),
        ("text more than ten times", {"text": "heat " * 600}, "text-error", "ten times"),
        ("unknown paragraph", {"paragraph": 42}, "form-errors", "no such paragraph"),
    ],
)
def test_a_bad_proposal_shows_its_error_and_stores_nothing(
    client, auth, draft, case, fields, where, message
):
    auth.login("delegate.a@example.org")
    data = {"text": PARAGRAPH_3.replace("heat", "worst heat"), **fields}
    response = post_proposal(client, draft, **data)
    assert response.status_code == 422, case
    page = response.get_data(as_text=True)
    match = re.search(rf'id="{where}">(.*?)</(?:p|div)>', page, re.S)
    assert match and message in match.group(1), case
    assert amendment_count() == 0


def test_a_proposal_after_the_amendment_period_closed_is_refused_with_409(
    client, auth, people, draft
):
    declarations.transition(people["executive"], draft.id, "voting")
    auth.login("delegate.a@example.org")
    response = post_proposal(client, draft, PARAGRAPH_3.replace("heat", "worst heat"))
    assert response.status_code == 409
    assert re.search(
        r'class="flash flash-error">[^<]*amendment period', response.get_data(as_text=True)
    )
    assert amendment_count() == 0


def test_a_proposal_after_the_deadline_is_refused_with_409(client, auth, people, draft):
    declarations.set_amendment_deadline(
        people["executive"], draft.id, datetime.now(UTC) - timedelta(minutes=1)
    )
    auth.login("delegate.a@example.org")
    response = post_proposal(client, draft, PARAGRAPH_3.replace("heat", "worst heat"))
    assert response.status_code == 409
    assert "deadline has passed" in response.get_data(as_text=True)
    assert amendment_count() == 0


def test_the_preview_returns_the_word_diff_with_the_users_text_escaped_given_the_csrf_header(
    client, auth, draft
):
    auth.login("delegate.a@example.org")
    token = csrf_token_from(propose_form(client, draft, 3))
    edited = PARAGRAPH_3.replace("the heat", "the <script>alert(1)</script> heat")
    response = client.post(
        f"/declarations/{draft.id}/amendments/preview",
        headers={"X-CSRFToken": token},
        json={"base_version": 1, "paragraph": 3, "text": edited},
    )
    assert response.status_code == 200 and response.get_json()["changed"] is True
    html = response.get_json()["html"]
    assert '<ins class="cd-ins">' in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert 'data-paragraph="3"' in html  # numbered as in the whole text
    response = client.post(
        f"/declarations/{draft.id}/amendments/preview",
        json={"base_version": 1, "paragraph": 3, "text": edited},
    )
    assert response.status_code == 400  # without the CSRF header


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"text": "x"},
        {"base_version": 1},
        {"base_version": "one", "text": "x"},
        {"base_version": 1, "paragraph": 42, "text": "x"},
        {"base_version": 1, "start": 5, "end": 2, "text": "x"},
    ],
)
def test_the_preview_answers_bad_input_with_a_json_400(client, auth, draft, body):
    auth.login("delegate.a@example.org")
    token = csrf_token_from(propose_form(client, draft))
    response = (
        client.post(
            f"/declarations/{draft.id}/amendments/preview",
            headers={"X-CSRFToken": token},
            json=body,
        )
        if body is not None
        else client.post(
            f"/declarations/{draft.id}/amendments/preview",
            headers={"X-CSRFToken": token},
            data="not json",
        )
    )
    assert response.status_code == 400 and response.get_json()["error"]["message"]


def test_showing_the_difference_without_scripts_stores_nothing(client, auth, draft):
    auth.login("delegate.a@example.org")
    page = propose_form(client, draft, 3)
    response = client.post(
        f"/declarations/{draft.id}/amendments/new",
        data={
            "csrf_token": csrf_token_from(page),
            "base_version": 1,
            "paragraph": 3,
            "preview": "1",
            "text": PARAGRAPH_3.replace("heat", "worst heat"),
            "rationale": "",
        },
    )
    assert response.status_code == 200
    assert '<ins class="cd-ins">worst </ins>' in response.get_data(as_text=True)
    assert amendment_count() == 0


# --- the amendment page and what one does there -------------------------------------------------


@pytest.fixture
def amendment(people, draft):
    return amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"), "Say *how* hot."
    )


def test_the_amendment_page_shows_the_change_inline_and_side_by_side_where_it_is(
    client, auth, amendment
):
    auth.login("delegate.b@example.org")
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Amendment A1" in page and "paragraph 3, line 1" in page
    assert 'class="cd-diff cd-diff--inline"' in page and '<ins class="cd-ins">worst </ins>' in page
    assert (
        "Argentina" in page and "<em>how</em>" in page
    )  # proposing section; rationale as Markdown
    assert f"/amendments/{amendment.id}/revisions/1" in page
    side = client.get(f"/amendments/{amendment.id}?view=side").get_data(as_text=True)
    assert 'class="cd-diff cd-diff--side-by-side"' in side and "Current text" in side


def test_the_amendment_page_links_the_amendments_it_competes_with(
    client, auth, people, draft, amendment
):
    rival = amendments.propose(
        people["delegate_b"], draft.id, 1, replace("the heat,", "the summer heat,"), ""
    )
    auth.login("executive@example.org")
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Competing amendments" in page and f'href="/amendments/{rival.id}"' in page


def test_another_sections_delegate_cosponsors_and_withdraws_the_cosponsorship_not_the_proposers(
    client, auth, amendment
):
    auth.login("delegate.a@example.org")
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Co-sponsor for" not in page
    client.post(f"/amendments/{amendment.id}/cosponsor", data={"csrf_token": csrf_token_from(page)})
    assert "another section" in client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    auth.logout()
    auth.login("delegate.b@example.org")
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Co-sponsor for Austria" in page
    response = client.post(
        f"/amendments/{amendment.id}/cosponsor", data={"csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 302
    assert [c.section.name for c in db.session.get(Amendment, amendment.id).cosponsors] == [
        "Austria"
    ]
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert (
        "Your section co-sponsors this amendment." in page and "Co-sponsor for Austria" not in page
    )
    client.post(
        f"/amendments/{amendment.id}/cosponsor/withdraw", data={"csrf_token": csrf_token_from(page)}
    )
    assert db.session.get(Amendment, amendment.id).cosponsors == []


def test_the_proposer_revises_the_paragraph_it_touches_through_the_page(client, auth, amendment):
    auth.login("delegate.a@example.org")
    page = client.get(f"/amendments/{amendment.id}/revise").get_data(as_text=True)
    assert "Revise A1" in page
    assert "Workers go on working through the worst heat,\nbecause deadlines" in page
    start, end = TEXT.index(PARAGRAPH_3), TEXT.index(PARAGRAPH_3) + len(PARAGRAPH_3)
    assert (
        f'name="start" type="hidden" value="{start}"' in page
        and f'name="end" type="hidden" value="{end}"' in page
    )
    response = client.post(
        f"/amendments/{amendment.id}/revise",
        data={
            "csrf_token": csrf_token_from(page),
            "base_version": 1,
            "start": start,
            "end": end,
            "text": PARAGRAPH_3.replace("the heat", "the deadly heat"),
            "rationale": "Stronger.",
        },
    )
    assert response.status_code == 302
    revised = db.session.get(Amendment, amendment.id)
    assert revised.text == replace("the heat,", "the deadly heat,")
    assert (revised.rationale, [r.kind for r in revised.revisions]) == (
        "Stronger.",
        ["proposed", "revised"],
    )


def test_a_revision_without_a_change_shows_the_error_and_keeps_the_amendment(
    client, auth, amendment
):
    auth.login("delegate.a@example.org")
    page = client.get(f"/amendments/{amendment.id}/revise?whole=1").get_data(as_text=True)
    response = client.post(
        f"/amendments/{amendment.id}/revise",
        data={
            "csrf_token": csrf_token_from(page),
            "base_version": 1,
            "start": 0,
            "end": len(TEXT),
            "text": TEXT,
            "rationale": "",
        },
    )
    assert response.status_code == 422 and "no change" in response.get_data(as_text=True)
    assert len(db.session.get(Amendment, amendment.id).revisions) == 1


def test_only_the_proposer_revises_or_withdraws_the_amendment_through_the_page(
    client, auth, amendment
):
    auth.login("delegate.b@example.org")
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "/revise" not in page and "Withdraw the amendment" not in page
    assert client.get(f"/amendments/{amendment.id}/revise").status_code == 302
    client.post(f"/amendments/{amendment.id}/withdraw", data={"csrf_token": csrf_token_from(page)})
    assert "Only the proposer" in client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert db.session.get(Amendment, amendment.id).status == "submitted"
    auth.logout()
    auth.login("delegate.a@example.org")
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    client.post(f"/amendments/{amendment.id}/withdraw", data={"csrf_token": csrf_token_from(page)})
    assert db.session.get(Amendment, amendment.id).status == "withdrawn"
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "The amendment was withdrawn." in page and "Withdraw the amendment" not in page


def test_delegates_and_the_executive_discuss_and_an_empty_comment_is_refused_beside_the_field(
    client, auth, amendment
):
    auth.login("executive@example.org")
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    response = client.post(
        f"/amendments/{amendment.id}/comments",
        data={"csrf_token": csrf_token_from(page), "body": "Which *temperature*?"},
    )
    assert response.status_code == 302 and "#comment-" in response.headers["Location"]
    response = client.post(
        f"/amendments/{amendment.id}/comments",
        data={"csrf_token": csrf_token_from(page), "body": "   "},
    )
    assert response.status_code == 422
    assert re.search(r'id="body-error">A comment cannot be empty', response.get_data(as_text=True))
    assert [c.body for c in db.session.scalars(select(Comment))] == ["Which *temperature*?"]
    assert "<em>temperature</em>" in client.get(f"/amendments/{amendment.id}").get_data(
        as_text=True
    )


def test_what_people_write_is_escaped_on_every_drafting_page(client, auth, people, draft):
    script = "<script>alert(1)</script>"
    hostile = amendments.propose(
        people["delegate_a"],
        draft.id,
        1,
        replace("the heat,", f"the {script} heat,"),
        f"Because {script} <img src=x onerror=alert(2)>",
    )
    amendments.add_comment(people["delegate_b"], hostile.id, f"No {script}")
    auth.login("delegate.b@example.org")
    for path in (
        f"/amendments/{hostile.id}",
        f"/amendments/{hostile.id}?view=side",
        f"/amendments/{hostile.id}/revisions/1",
        f"/declarations/{draft.id}",
    ):
        page = client.get(path).get_data(as_text=True)
        assert script not in page and "onerror=alert" not in page.replace(
            "onerror=alert(2)&gt;", ""
        ), path
    page = client.get(f"/amendments/{hostile.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<img" not in page


def test_a_conflicted_amendment_explains_itself_and_is_revised_on_the_current_text(
    client, auth, people
):
    declaration = declarations.create_declaration(
        "Heat at work", TEXT, created_by=people["executive"]
    )
    declarations.edit_draft(
        people["executive"], declaration.id, replace("the heat,", "the great heat,")
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    stale = amendments.propose(
        people["delegate_a"], declaration.id, 1, replace("the heat,", "the worst heat,"), ""
    )
    assert stale.status == "conflicted"
    auth.login("delegate.a@example.org")
    page = client.get(f"/amendments/{stale.id}").get_data(as_text=True)
    assert "conflicts with the adopted text" in page and "from version 1 to version 2" in page
    assert '<ins class="cd-ins">great </ins>' in page  # what changed underneath
    form = client.get(f"/amendments/{stale.id}/revise").get_data(as_text=True)
    assert (
        "through the worst heat," in form and 'name="base_version" type="hidden" value="2"' in form
    )
    current = replace("the heat,", "the great heat,")
    start = current.index("Workers")
    end = start + len(PARAGRAPH_3.replace("the heat", "the great heat"))
    assert f'name="start" type="hidden" value="{start}"' in form and f'value="{end}"' in form
    response = client.post(
        f"/amendments/{stale.id}/revise",
        data={
            "csrf_token": csrf_token_from(form),
            "base_version": 2,
            "start": start,
            "end": end,
            "text": PARAGRAPH_3.replace("the heat", "the great and deadly heat"),
            "rationale": "",
        },
    )
    assert response.status_code == 302
    revised = db.session.get(Amendment, stale.id)
    assert revised.status == "submitted" and revised.text == replace(
        "the heat,", "the great and deadly heat,"
    )


# --- the executive's controls -----------------------------------------------------------------
