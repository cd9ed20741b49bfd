"""A delegate's live vote page, done as the browser does it (templates/votes/show.html and
static/js/live-vote.js), over http.client, signed in by the session cookie as the page is.

The page (`GET /votes/{id}`) names its event stream (`data-events-url`); the stream
(`GET /votes/{id}/events`) sends the vote's whole live state as each event's data, turnout
included, so the page fetches nothing more on an event: it shows the state's `turnout`. When
the state is no longer open the page reloads once (`GET /votes/{id}` again). Where the stream is
refused (a worker holding `COREP_LIVE_STREAMS_PER_WORKER` streams answers 503) or fails three
times in a row, the page polls `GET /votes/{id}/live` every 2 s instead. A stream the server ends
normally is reconnected after the `retry:` it announced. The events endpoint is a page, not the
API: it takes the session cookie, not a Bearer token.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field

from bench.harness import call
from bench.seeding import USER_AGENT

POLL_SECONDS = 2.0  # live-vote.js: interval
FAILURES_BEFORE_POLLING = 3  # live-vote.js: failuresBeforePolling
TURNOUT = re.compile(r"(\d+) of (\d+)")  # "3 of 5 sections have voted" (Accept-Language: en)


def sections_voted(state: dict) -> int:
    match = TURNOUT.search(state["turnout"])
    if match is None:
        raise ValueError(f"no turnout in {state['turnout']!r}")
    return int(match.group(1))


@dataclass
class PageVisit:
    """What one client saw of one vote: when each turnout was first shown, and how."""

    client: int
    vote_id: int
    seen: dict[int, float] = field(default_factory=dict)  # sections voted -> first seen
    ready: threading.Event = field(default_factory=threading.Event)  # first state shown
    closed_at: float | None = None  # when the closed state arrived
    page_seconds: list[float] = field(default_factory=list)  # the page, and its reload
    streams: int = 0  # event streams opened (200)
    refused: int = 0  # streams refused (503 and the like)
    polls: int = 0
    events: int = 0
    mode: str = "stream"
    error: str | None = None


class LivePage(threading.Thread):
    """One client following one vote until it closes or the client is sent elsewhere."""

    def __init__(self, port: int, cookie: str, visit: PageVisit, lock: threading.Lock):
        super().__init__(daemon=True)
        self.port, self.cookie, self.visit, self.lock = port, cookie, visit, lock
        self.leaving = threading.Event()
        self.connection: http.client.HTTPConnection | None = None

    def leave(self) -> None:
        """The delegate goes to the next vote: an open stream is cut, a poll stops."""
        self.leaving.set()
        connection = self.connection
        if connection is not None and connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    def run(self) -> None:
        try:
            events_path = self.open_page()
            failures, retry = 0, 3.0
            while not self.finished() and not self.leaving.is_set():
                status, retry = self.stream(events_path, retry)
                if self.finished() or self.leaving.is_set():
                    break
                failures = 0 if status == 200 else failures + 1
                refused = status not in (0, 200)  # 0: the connection failed, not refused
                if refused or failures >= FAILURES_BEFORE_POLLING:
                    # EventSource gives up on an answer other than 200: the page polls.
                    self.visit.mode = "polling"
                    self.poll()
                    break
                self.leaving.wait(retry)
            if self.finished() and not self.leaving.is_set():
                self.open_page()  # the page reloads once to show the result
        except Exception as error:  # noqa: BLE001 - counted in the table; the run goes on
            self.visit.error = repr(error)[:300]
        finally:
            self.visit.ready.set()

    def finished(self) -> bool:
        return self.visit.closed_at is not None

    def open_page(self) -> str:
        answer = call(self.port, "GET", f"/votes/{self.visit.vote_id}", cookie=self.cookie)
        self.visit.page_seconds.append(answer.seconds)
        page = answer.body.decode() if isinstance(answer.body, bytes) else str(answer.body)
        match = re.search(r'data-events-url="([^"]+)"', page)
        if answer.status != 200 or match is None:
            raise RuntimeError(f"live page answered {answer.status} without an event stream")
        return match.group(1)

    def show(self, state: dict, arrived: float) -> None:
        """live-vote.js `apply`: the turnout shown; a state no longer open ends the page."""
        voted = sections_voted(state)
        with self.lock:
            for sections in range(0, voted + 1):
                self.visit.seen.setdefault(sections, arrived)
            if state["state"] != "open" and self.visit.closed_at is None:
                self.visit.closed_at = arrived
        self.visit.ready.set()

    def stream(self, path: str, retry: float) -> tuple[int, float]:
        """One EventSource connection until the server ends it; (status, retry seconds)."""
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/event-stream",
                    "Accept-Language": "en",
                    "Cache-Control": "no-cache",
                    "Cookie": f"session={self.cookie}",
                },
            )
            response = self.connection.getresponse()
            if response.status != 200:
                self.visit.refused += 1
                response.read()
                return response.status, retry
            self.visit.streams += 1
            data: list[bytes] = []
            while line := response.readline():
                line = line.rstrip(b"\r\n")
                if line.startswith(b"data:"):
                    data.append(line[5:].removeprefix(b" "))
                elif line.startswith(b"retry:"):
                    retry = int(line[6:].strip()) / 1000
                elif not line and data:  # a blank line dispatches the event
                    arrived = time.perf_counter()
                    self.visit.events += 1
                    self.show(json.loads(b"\n".join(data)), arrived)
                    data = []
                    if self.finished():
                        break
            return 200, retry
        except OSError:
            return (200 if self.leaving.is_set() else 0), retry
        finally:
            self.connection.close()
            self.connection = None

    def poll(self) -> None:
        path = f"/votes/{self.visit.vote_id}/live"
        while not self.finished() and not self.leaving.is_set():
            answer = call(self.port, "GET", path, cookie=self.cookie)
            arrived = time.perf_counter()
            self.visit.polls += 1
            if answer.status == 200:
                self.show(answer.body, arrived)
            if not self.finished():
                self.leaving.wait(POLL_SECONDS if answer.status == 200 else 2 * POLL_SECONDS)
