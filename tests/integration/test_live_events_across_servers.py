"""Live pages across servers (issue 11): two gunicorn instances on one database, a live page's
event stream open on instance B, a ballot cast through the API of instance A. On PostgreSQL the
ballot's NOTIFY reaches B's listener; on SQLite B's watcher sees the file's data_version move.
Either way B's stream sends the new turnout within a second."""

from __future__ import annotations

import http.client
import json
import threading
import time
from contextlib import ExitStack

import pytest
from corep_testing import PASSWORD
from live_server import USER_AGENT, LiveServer, live_server, migrated_app, signed_in_browser

from corep_drafts.extensions import db
from corep_drafts.services import accounts, amendments, declarations, votes

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"
SERVER_OPTIONS = ("--worker-class", "gthread", "--threads", "8")
EVENT_DEADLINE = 1.0
READ_TIMEOUT = 10.0  # one read of the stream; a heartbeat comes every 15 s


class EventStream:
    """An EventSource's connection to one server, read line by line with a bounded wait."""

    def __init__(self, server: LiveServer, path: str, cookie: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=READ_TIMEOUT)
        self.connection.request(
            "GET",
            path,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/event-stream",
                "Accept-Language": "en",
                "Cookie": f"session={cookie}",
            },
        )
        self.response = self.connection.getresponse()

    def next_event(self) -> tuple[dict, float]:
        """The next event's data and when it arrived (time.monotonic())."""
        data = []
        while True:
            line = self.response.readline().decode()
            if line == "":
                raise AssertionError("the stream ended")
            if line == "\n" and data:
                return json.loads("".join(data)), time.monotonic()
            if line.startswith("data: "):
                data.append(line.removeprefix("data: ").rstrip("\n"))

    def close(self) -> None:
        self.connection.close()


@pytest.fixture(scope="module")
def meeting(fresh_database_url):
    url = fresh_database_url("live_events")
    app = migrated_app(url)
    with app.app_context():
        for name in ("Argentina", "Austria"):
            accounts.add_section(name)
        executive = accounts.add_user("executive@example.org", "Executive", ["executive"], PASSWORD)
        delegate = accounts.add_user(
            "delegate@example.org", "Delegate", ["delegate"], PASSWORD, section_name="Argentina"
        )
        declaration = declarations.create_declaration("On heat", TEXT, created_by=executive)
        declarations.transition(executive, declaration.id, "amending")
        amendment = amendments.propose(
            delegate, declaration.id, 1, TEXT.replace("paid", "paid in full"), ""
        )
        vote_id = votes.open_amendment_vote(executive, amendment.id).id
        people = {
            "executive_id": executive.id,
            "delegate_token": accounts.create_token(delegate),
            "executive_token": accounts.create_token(executive),
        }
    try:
        with ExitStack() as servers:
            first, second = (
                servers.enter_context(
                    live_server(url, app.config["SECRET_KEY"], workers=2, options=SERVER_OPTIONS)
                )
                for _ in range(2)
            )
            yield app, first, second, vote_id, people
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_ballot_cast_on_one_server_reaches_a_live_page_on_another_within_a_second(meeting):
    app, first, second, vote_id, people = meeting
    cookie, _csrf = signed_in_browser(app, people["executive_id"])
    stream = EventStream(second, f"/votes/{vote_id}/events", cookie)
    try:
        assert stream.response.status == 200
        assert stream.response.getheader("Content-Type").startswith("text/event-stream")
        before, _at = stream.next_event()  # sent once B listens: nothing can fall in between
        assert before["waiting"] == ["Argentina", "Austria"]

        answers = []
        cast_at = time.monotonic()
        ballot = threading.Thread(
            target=lambda: answers.append(
                first.call(
                    "POST",
                    f"/api/v1/votes/{vote_id}/ballots",
                    token=people["delegate_token"],
                    body={"choice": "yes"},
                    timeout=READ_TIMEOUT,
                )
            ),
            daemon=True,
        )
        ballot.start()
        after, arrived_at = stream.next_event()
        while after["turnout"] == before["turnout"] and arrived_at - cast_at < EVENT_DEADLINE:
            after, arrived_at = stream.next_event()  # an event sent for another reason
        ballot.join(timeout=READ_TIMEOUT)
        assert answers and answers[0].status == 201, answers
        print(
            f"\nballot on A answered in {1000 * (answers[0].at - cast_at):.0f} ms,"
            f" its event on B in {1000 * (arrived_at - cast_at):.0f} ms"
        )
        assert arrived_at - cast_at < EVENT_DEADLINE, second.log_text()
        assert after["turnout"] == "1 of 2 sections has voted"
        assert after["voted"] == ["Argentina"] and after["waiting"] == ["Austria"]

        closed = first.call(
            "POST", f"/api/v1/votes/{vote_id}/close", token=people["executive_token"]
        )
        assert closed.status == 200, closed.body
        final, _at = stream.next_event()
        assert final["state"] == "closed" and final["outcome"] == "adopted"
        assert stream.response.readline() == b""  # the close ends the stream
    finally:
        stream.close()
