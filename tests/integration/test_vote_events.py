"""The live vote page's event stream (`/votes/N/events`) through the test client: a ballot cast
in another thread arrives as an event, the close ends the stream, a quiet stream sends
heartbeats, and each reader gets what `/votes/N/live` would give them. On SQLite the event comes
from the in-process broadcast, on PostgreSQL from LISTEN/NOTIFY (TEST_DATABASE_URL)."""

from __future__ import annotations

import json
import threading
import time

import pytest

from corep_drafts import live_updates
from corep_drafts.extensions import db
from corep_drafts.models import User
from corep_drafts.services import amendments, declarations, votes
from corep_drafts.views import votes as vote_views

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"
EVENT_DEADLINE = 2.0


@pytest.fixture
def open_vote(people):
    declaration = declarations.create_declaration("On heat", TEXT, created_by=people["executive"])
    declarations.transition(people["executive"], declaration.id, "amending")
    amendment = amendments.propose(
        people["delegate_a"], declaration.id, 1, TEXT.replace("paid", "paid in full"), ""
    )
    return votes.open_amendment_vote(people["executive"], amendment.id)


@pytest.fixture(autouse=True)
def short_heartbeat(monkeypatch):
    """A missing event shows as a heartbeat after a few seconds rather than a hung test."""
    monkeypatch.setattr(vote_views, "HEARTBEAT_SECONDS", 5)


class Stream:
    """The response's chunks read one at a time: each is an event, a comment or the retry."""

    def __init__(self, response):
        self.response = response
        self.chunks = iter(response.response)

    def next_chunk(self) -> str | None:
        return next(self.chunks, b"").decode() or None

    def next_event(self) -> dict:
        chunk = self.next_chunk()
        assert chunk is not None and chunk.startswith("data: "), chunk
        return json.loads(chunk.removeprefix("data: "))


def open_stream(client, vote_id: int) -> Stream:
    response = client.get(f"/votes/{vote_id}/events", buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-store"
    stream = Stream(response)
    assert stream.next_chunk() == f"retry: {vote_views.RETRY_MILLISECONDS}\n\n"
    return stream


def in_another_thread(app, action) -> threading.Thread:
    """What another request would do, in its own app context and database session."""

    def run():
        with app.app_context():
            action()
            db.session.remove()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def cast(app, user_id: int, vote_id: int, choice: str) -> threading.Thread:
    return in_another_thread(
        app, lambda: votes.cast_ballot(db.session.get(User, user_id), vote_id, choice)
    )


def test_a_ballot_cast_elsewhere_reaches_an_open_stream_as_an_event(
    app, client, auth, people, open_vote
):
    auth.login("delegate.b@example.org")
    stream = open_stream(client, open_vote.id)
    assert stream.next_event() == {
        "state": "open",
        "turnout": "0 of 2 sections have voted",
        "outcome": None,
        "explanation": None,
    }
    cast_at = time.monotonic()
    thread = cast(app, people["delegate_a"].id, open_vote.id, "yes")
    event = stream.next_event()
    assert time.monotonic() - cast_at < EVENT_DEADLINE
    thread.join(timeout=EVENT_DEADLINE)
    # A delegate learns the count, never which sections are missing, as from /live.
    assert event == {
        "state": "open",
        "turnout": "1 of 2 sections has voted",
        "outcome": None,
        "explanation": None,
    }
    stream.response.close()


def test_only_a_change_the_page_shows_is_an_event_and_the_executive_sees_who_voted(
    app, client, auth, people, open_vote
):
    votes.cast_ballot(people["delegate_a"], open_vote.id, "yes")
    auth.login("executive@example.org")
    stream = open_stream(client, open_vote.id)
    assert stream.next_event()["waiting"] == ["Austria"]
    cast(app, people["delegate_a"].id, open_vote.id, "no").join(timeout=EVENT_DEADLINE)
    thread = cast(app, people["delegate_b"].id, open_vote.id, "yes")
    event = stream.next_event()  # the first event after the change is Austria's ballot
    thread.join(timeout=EVENT_DEADLINE)
    assert event["voted"] == ["Argentina", "Austria"] and event["waiting"] == []
    assert event["turnout"] == "2 of 2 sections have voted"
    stream.response.close()


def test_the_close_is_the_last_event_and_ends_the_stream(app, client, auth, people, open_vote):
    votes.cast_ballot(people["delegate_a"], open_vote.id, "yes")
    auth.login("delegate.b@example.org")
    stream = open_stream(client, open_vote.id)
    assert stream.next_event()["state"] == "open"
    executive_id = people["executive"].id
    thread = in_another_thread(
        app, lambda: votes.close_vote(db.session.get(User, executive_id), open_vote.id)
    )
    event = stream.next_event()
    thread.join(timeout=EVENT_DEADLINE)
    assert event["state"] == "closed" and event["outcome"] == "adopted"
    assert event["voted"] == ["Argentina"]  # once closed, every reader sees the sections
    assert stream.next_chunk() is None


def test_a_quiet_stream_sends_heartbeats_and_ends_after_its_time(
    client, auth, open_vote, monkeypatch
):
    monkeypatch.setattr(vote_views, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(vote_views, "STREAM_SECONDS", 0.3)
    auth.login("delegate.b@example.org")
    stream = open_stream(client, open_vote.id)
    stream.next_event()
    rest = []
    while (chunk := stream.next_chunk()) is not None:
        rest.append(chunk)
    assert rest and set(rest) == {": heartbeat\n\n"}


def test_a_signed_out_reader_stream_ends_at_its_next_look(app, client, auth, people, open_vote):
    auth.login("delegate.b@example.org")
    stream = open_stream(client, open_vote.id)
    stream.next_event()
    auth.logout()  # rotates the account's session token
    thread = cast(app, people["delegate_a"].id, open_vote.id, "yes")
    assert stream.next_chunk() is None
    thread.join(timeout=EVENT_DEADLINE)


def test_a_vote_one_may_not_see_has_no_stream(client, auth, open_vote):
    assert client.get(f"/votes/{open_vote.id}/events").status_code == 404  # a draft's, anonymous
    auth.login("delegate.b@example.org")
    assert client.get(f"/votes/{open_vote.id + 1}/events").status_code == 404


def test_past_its_streams_a_worker_answers_503_and_the_page_polls_instead(
    app, client, auth, open_vote, monkeypatch
):
    monkeypatch.setitem(app.config, "COREP_LIVE_STREAMS_PER_WORKER", 1)
    auth.login("delegate.b@example.org")
    first = open_stream(client, open_vote.id)
    first.next_event()
    refused = client.get(f"/votes/{open_vote.id}/events", buffered=False)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "3"
    assert client.get(f"/votes/{open_vote.id}/live").status_code == 200
    first.response.close()
    assert open_stream(client, open_vote.id).next_event()["state"] == "open"


def test_an_announcement_reaches_the_streams_only_when_its_transaction_commits(
    app, open_vote, monkeypatch
):
    if db.engine.dialect.name == "sqlite":
        # This process's own announcement alone: the watcher of the SQLite file (which wakes the
        # streams after any commit, for other processes' sake) publishes to the old broadcast.
        alone = live_updates.LiveUpdates()
        monkeypatch.setattr(alone, "listener_for", lambda _url: None)
        monkeypatch.setattr(live_updates, "_process", alone)
    subscription = live_updates.subscribe(open_vote.id, db.engine.url)
    try:
        live_updates.announce(open_vote.id)
        db.session.rollback()
        assert subscription.wait(0.3) is False
        live_updates.announce(open_vote.id)
        db.session.commit()
        assert subscription.wait(EVENT_DEADLINE) is True
    finally:
        subscription.close()
