"""Notifications on the site: which events write them (and only when the change commits), the
list newest first with links, the unread count in every page's header, marking read, and the
admin's outbox page."""

from __future__ import annotations

import re

import pytest
from corep_testing import HEAT_TEXT, adopt_a_declaration
from sqlalchemy import func, select

from corep_drafts import live_updates
from corep_drafts.extensions import db
from corep_drafts.models import MailState, Notification
from corep_drafts.services import amendments, compromises, declarations, votes

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"


def kinds_of(user) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.recipient_id == user.id)
            .order_by(Notification.id)
        )
    )


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Notification))


@pytest.fixture
def declaration(people):
    executive = people["executive"]
    made = declarations.create_declaration("On work in the heat", TEXT, created_by=executive)
    declarations.transition(executive, made.id, "amending")
    return made


def propose(person, declaration, old, new):
    return amendments.propose(person, declaration.id, 1, TEXT.replace(old, new), "why")


def test_a_whole_round_tells_the_delegates_of_votes_and_each_proposer_of_their_amendments(people):
    adopt_a_declaration(people)
    # Three votes opened and closed; A1 (delegate A's) adopted, A2 (delegate B's) carried onto
    # version 2, then rejected; A3 was withdrawn before anything happened to it.
    assert kinds_of(people["delegate_a"]) == [
        "vote_opened",
        "amendment_adopted",
        "vote_closed",
        "vote_opened",
        "vote_closed",
        "vote_opened",
        "vote_closed",
    ]
    assert kinds_of(people["delegate_b"]) == [
        "vote_opened",
        "amendment_carried",
        "vote_closed",
        "vote_opened",
        "amendment_rejected",
        "vote_closed",
        "vote_opened",
        "vote_closed",
    ]
    assert kinds_of(people["executive"]) == kinds_of(people["member"]) == []


def test_an_amendment_that_cannot_be_carried_tells_its_proposer_it_is_conflicted(
    people, declaration
):
    first = propose(people["delegate_a"], declaration, "a set temperature", "30 °C")
    rival = propose(people["delegate_b"], declaration, "a set temperature", "32 °C")
    vote = votes.open_amendment_vote(people["executive"], first.id)
    votes.cast_ballot(people["delegate_a"], vote.id, "yes")
    votes.close_vote(people["executive"], vote.id)

    (conflicted,) = db.session.scalars(
        select(Notification).where(Notification.kind == "amendment_conflicted")
    )
    assert conflicted.recipient_id == people["delegate_b"].id
    assert conflicted.amendment_id == rival.id
    assert conflicted.parameters["version"] == 2


def test_a_compromise_tells_the_proposers_their_amendments_were_superseded(people, declaration):
    first = propose(people["delegate_a"], declaration, "a set temperature", "30 °C")
    second = propose(people["delegate_b"], declaration, "are paid", "are paid in full")
    made = compromises.compromise(people["executive"], declaration.id, [first.id, second.id])

    superseded = db.session.scalars(
        select(Notification).where(Notification.kind == "amendment_superseded")
    ).all()
    assert {n.recipient_id for n in superseded} == {
        people["delegate_a"].id,
        people["delegate_b"].id,
    }
    assert {n.parameters["compromise"] for n in superseded} == {made.label}


def test_a_close_that_is_rolled_back_writes_no_notification(people, declaration, monkeypatch):
    first = propose(people["delegate_a"], declaration, "a set temperature", "30 °C")
    vote = votes.open_amendment_vote(people["executive"], first.id)
    before = count()

    def fail(vote_id):
        raise RuntimeError("the close fails after its notifications were added")

    monkeypatch.setattr(live_updates, "announce", fail)
    with pytest.raises(RuntimeError):
        votes.close_vote(people["executive"], vote.id)

    assert count() == before
    assert db.session.get(type(vote), vote.id).state == "open"


def test_the_list_shows_mine_newest_first_with_links_and_the_header_counts_the_unread(
    client, auth, people
):
    declaration, by_label = adopt_a_declaration(people)
    auth.login(people["delegate_b"].email)

    page = client.get("/notifications").get_data(as_text=True)

    subjects = re.findall(
        r'<p class="notification-subject">.*?<a href="([^"]+)">([^<]+)</a>', page, re.S
    )
    assert len(subjects) == 8
    assert subjects[0][1].startswith("Result of the vote on the whole text: adopted")
    assert (f"/amendments/{by_label['A2'].id}", "Your amendment A2 was rejected") in subjects
    assert re.search(r'class="unread-count">8<', page)
    assert "delegate.a" not in page  # nobody else's


def test_marking_one_read_and_then_all_lowers_the_count_in_the_header(client, auth, people):
    adopt_a_declaration(people)
    auth.login(people["delegate_a"].email)
    newest = db.session.scalar(
        select(Notification.id)
        .where(Notification.recipient_id == people["delegate_a"].id)
        .order_by(Notification.id.desc())
    )

    response = auth.post(f"/notifications/{newest}/read", token_page="/notifications")

    assert response.status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert re.search(r'class="unread-count">6<', page)
    assert f'id="notification-{newest}" class="notification read"' in page

    auth.post("/notifications/read", token_page="/notifications")
    page = client.get("/").get_data(as_text=True)
    assert "unread-count" not in page
    assert ">Notifications<" in page


def test_no_one_marks_someone_elses_notification_read(client, auth, people):
    adopt_a_declaration(people)
    theirs = db.session.scalar(
        select(Notification.id).where(Notification.recipient_id == people["delegate_a"].id)
    )
    auth.login(people["delegate_b"].email)
    assert (
        auth.post(f"/notifications/{theirs}/read", token_page="/notifications").status_code == 404
    )
    assert db.session.get(Notification, theirs).read_at is None


def test_marking_read_needs_the_csrf_token(client, auth, people):
    adopt_a_declaration(people)
    auth.login(people["delegate_a"].email)
    assert client.post("/notifications/read").status_code == 400


def test_the_list_speaks_the_readers_language(client, auth, people):
    adopt_a_declaration(people)
    auth.login(people["delegate_a"].email)
    client.post("/language", data={"language": "tr", "csrf_token": auth.csrf_token("/")})
    page = client.get("/notifications").get_data(as_text=True)
    assert "A1 önergeniz kabul edildi" in page
    assert "Bildirimler" in page


def test_the_admin_sees_the_outbox_and_that_mail_is_not_configured(client, auth, people, app):
    adopt_a_declaration(people)
    failed = db.session.scalars(select(Notification)).first()
    failed.mail_state, failed.last_error = MailState.FAILED, "550 5.1.1 No such mailbox"
    db.session.commit()
    app.config.pop("SMTP_HOST", None)
    auth.login(people["admin"].email)

    page = client.get("/admin/outbox").get_data(as_text=True)

    assert "Mail is not configured: notifications stay on the site." in page
    pending = count() - 1
    assert re.search(rf"<dt>Waiting to be sent</dt>\s*<dd>{pending}</dd>", page)
    assert "550 5.1.1 No such mailbox" in page
    assert "waiting for 0 h 0 min" in page


def test_declaration_text_stays_text_in_the_list(client, auth, people):
    executive = people["executive"]
    made = declarations.create_declaration(
        '<img src=x onerror="alert(1)">', HEAT_TEXT, created_by=executive
    )
    declarations.transition(executive, made.id, "amending")
    amendment = amendments.propose(
        people["delegate_a"], made.id, 1, HEAT_TEXT.replace("a set", "30 °C, a"), ""
    )
    votes.open_amendment_vote(executive, amendment.id)
    auth.login(people["delegate_a"].email)
    page = client.get("/notifications").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page
