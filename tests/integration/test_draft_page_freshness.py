"""The draft page keeps its paragraphs and amendments rendered between requests
(views/declarations.py, fragment_cache.py) under a key read from the database: every change the
page shows must be on it at the next request, whoever asks, in every worker; what depends on the
person asking (proposing, the executive's controls) is never shared."""

from __future__ import annotations

import re

import pytest
from corep_testing import AuthActions, config_for_tests
from drafting_support import TEXT, replace
from sqlalchemy import event

from corep_drafts import create_app
from corep_drafts.extensions import db
from corep_drafts.services import accounts, amendments, compromises, declarations, votes


@pytest.fixture
def draft(people):
    declaration = declarations.create_declaration(
        "Heat at work", TEXT, created_by=people["executive"]
    )
    declarations.transition(people["executive"], declaration.id, "amending")
    return declaration


@pytest.fixture
def page(client, auth, draft):
    """The draft page as a delegate of section A sees it, asked for twice each time, so the
    second answer comes from what the first kept when nothing changed."""
    auth.login("delegate.a@example.org")

    def get(query: str = "") -> str:
        first = client.get(f"/declarations/{draft.id}{query}").get_data(as_text=True)
        again = client.get(f"/declarations/{draft.id}{query}").get_data(as_text=True)
        assert kept_part(again) == kept_part(first)
        return first

    return get


def kept_part(page: str) -> str:
    return page[
        page.index('<div class="draft declaration-text"') : page.index('<aside class="panel">')
    ]


def row(page: str, number: int) -> str:
    match = re.search(rf'<section class="draft-row[^"]*" id="p{number}"(.*?)</section>', page, re.S)
    assert match, f"no paragraph {number} on the page"
    return match.group(1)


def item(page: str, label: str) -> str:
    match = re.search(
        rf'<li class="amendment-item[^"]*">\s*<a [^>]*>{label}</a>(.*?)</li>', page, re.S
    )
    assert match, f"{label} is not on the page"
    return match.group(1)


def test_an_unchanged_draft_page_is_not_read_again_from_the_amendments(client, auth, people, draft):
    amendments.propose(people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"))
    auth.login("delegate.a@example.org")
    path = f"/declarations/{draft.id}"
    client.get(path)
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert ">A1<" in client.get(path).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements and not [s for s in statements if "FROM amendment" in s]


def test_a_new_amendment_and_its_count_show_at_once(page, people, draft):
    page()
    amendments.propose(people["delegate_b"], draft.id, 1, replace("the heat,", "the worst heat,"))
    shown = page()
    assert ">A1<" in row(shown, 3) and "1 pending amendment touches ¶ 3" in row(shown, 3)
    assert "1 pending amendment" in shown.split('class="draft ')[0]  # the header's count


def test_a_withdrawn_amendment_shows_withdrawn_and_leaves_the_count(page, people, draft):
    proposed = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,")
    )
    assert "1 pending amendment touches ¶ 3" in row(page(), 3)
    amendments.withdraw(people["delegate_a"], proposed.id)
    shown = page()
    assert ">withdrawn<" in item(shown, "A1") and "pending amendment touches" not in row(shown, 3)


def test_a_revised_amendment_moves_to_the_paragraph_it_now_changes(page, people, draft):
    proposed = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,")
    )
    assert ">A1<" in row(page(), 3)
    amendments.revise(people["delegate_a"], proposed.id, 1, replace("Paid breaks", "Paid pauses"))
    shown = page()
    assert ">A1<" not in row(shown, 3) and ">A1<" in row(shown, 5)


def test_a_cosponsor_shows_when_added_and_goes_when_withdrawn(page, people, draft):
    proposed = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,")
    )
    assert "Austria" not in item(page(), "A1")
    amendments.cosponsor(people["delegate_b"], proposed.id)
    assert "+ Austria" in item(page(), "A1")
    amendments.withdraw_cosponsorship(people["delegate_b"], proposed.id)
    assert "Austria" not in item(page(), "A1")


def test_a_renamed_section_shows_its_new_name(page, people, sections, draft):
    amendments.propose(people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"))
    assert "Argentina" in item(page(), "A1")
    accounts.update_section(sections["A"].id, "Argentina (CABA)", "es", 1)
    assert "Argentina (CABA)" in item(page(), "A1")


def test_opening_and_closing_a_vote_show_the_status_the_adopted_text_and_the_carried_ones(
    page, people, draft
):
    adopted = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,")
    )
    amendments.propose(people["delegate_b"], draft.id, 1, replace("the heat,", "the summer heat,"))
    amendments.propose(people["delegate_b"], draft.id, 1, replace("Paid breaks", "Paid pauses"))
    assert ">submitted<" in item(page(), "A1") and "competes with" in item(page(), "A2")
    vote = votes.open_amendment_vote(people["executive"], adopted.id)
    assert ">in the vote<" in item(page(), "A1")
    for delegate in ("delegate_a", "delegate_b"):
        votes.cast_ballot(people[delegate], vote.id, "yes")
    votes.close_vote(people["executive"], vote.id)
    shown = page()
    assert "the worst heat," in row(shown, 3) and "Version 2" in shown
    others = shown.split("Amendments not on the current version")[1]
    assert ">A1<" in others and ">adopted<" in item(others, "A1")
    assert ">conflicted<" in item(others, "A2")  # it changed the same words
    assert ">A3<" in row(shown, 5) and ">submitted<" in item(shown, "A3")  # carried onto version 2


def test_a_rejected_amendment_shows_rejected(page, people, draft):
    proposed = amendments.propose(
        people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,")
    )
    page()
    vote = votes.open_amendment_vote(people["executive"], proposed.id)
    for delegate in ("delegate_a", "delegate_b"):
        votes.cast_ballot(people[delegate], vote.id, "no")
    votes.close_vote(people["executive"], vote.id)
    assert ">rejected<" in item(page(), "A1")


def test_a_compromise_shows_with_the_amendments_it_supersedes(page, people, draft):
    amendments.propose(people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"))
    amendments.propose(people["delegate_b"], draft.id, 1, replace("to join.", "to sign."))
    page()
    made = compromises.compromise(people["executive"], draft.id, [1, 2])
    shown = page()
    assert ">superseded<" in item(shown, "A1") and ">superseded<" in item(shown, "A2")
    assert made.label == "A3" and ">submitted<" in item(shown, "A3")


def test_closing_the_amendment_period_takes_the_propose_links_away(page, people, draft):
    assert "Propose an amendment to ¶ 3" in page()
    declarations.transition(people["executive"], draft.id, "voting")
    assert "Propose an amendment to ¶" not in page()


def test_editing_the_title_and_text_of_a_draft_shows_both(client, auth, people):
    declaration = declarations.create_declaration(
        "Heat at work", TEXT, created_by=people["executive"]
    )
    auth.login("executive@example.org")
    path = f"/declarations/{declaration.id}"
    assert 'class="draft-title-line"' in row(client.get(path).get_data(as_text=True), 1)
    # The title alone, which the audit trail does not record: the first line no longer states it.
    declarations.edit_draft(people["executive"], declaration.id, TEXT, "Heat and work")
    assert 'class="draft-title-line"' not in row(client.get(path).get_data(as_text=True), 1)
    declarations.edit_draft(people["executive"], declaration.id, replace("Paid", "Fully paid"))
    assert "Fully paid breaks" in row(client.get(path).get_data(as_text=True), 5)


def test_the_shared_part_follows_each_readers_language(client, auth, people, draft):
    amendments.propose(people["delegate_a"], draft.id, 1, replace("the heat,", "the worst heat,"))
    accounts.update_preferences(people["delegate_b"], "de", None)
    auth.login("delegate.a@example.org")
    english = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert ">submitted<" in item(english, "A1")
    auth.logout()
    auth.login("delegate.b@example.org")
    german = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert ">eingereicht<" in item(german, "A1") and ">submitted<" not in item(german, "A1")


def test_who_may_propose_is_decided_for_each_reader_not_by_whoever_asked_first(
    client, auth, people, draft
):
    auth.login("delegate.a@example.org")
    delegates_page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert "Propose an amendment to ¶ 3" in delegates_page
    assert "Executive committee" not in delegates_page
    auth.logout()
    auth.login("executive@example.org")
    executives_page = client.get(f"/declarations/{draft.id}").get_data(as_text=True)
    assert "Propose an amendment to ¶" not in executives_page
    assert "Executive committee" in executives_page
    assert 'name="csrf_token"' in executives_page


def test_a_change_made_through_another_worker_shows_in_this_one(app, people, draft):
    """Two apps on one database stand for two gunicorn workers: each keeps its own copy, and
    a change made in one is on the other's next page."""
    other_worker = create_app(config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"]))
    other_worker.test_client_class = type(app.test_client())
    try:
        client = other_worker.test_client()
        AuthActions(client).login("delegate.a@example.org")
        path = f"/declarations/{draft.id}"
        assert ">A1<" not in client.get(path).get_data(as_text=True)
        amendments.propose(
            people["delegate_b"], draft.id, 1, replace("the heat,", "the worst heat,")
        )
        assert ">A1<" in row(client.get(path).get_data(as_text=True), 3)
    finally:
        with other_worker.app_context():
            db.session.remove()
            db.engine.dispose()
