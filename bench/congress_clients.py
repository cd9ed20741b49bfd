"""The congress's clients in the hall: live vote pages on the event stream (what the page does
now), or, with ``--poll``, the former polling of `GET /api/v1/votes/{id}` every 2 s, kept for
comparison. Both answer when each client first saw each turnout of each vote."""

from __future__ import annotations

import random
import threading
import time

from bench.harness import call
from bench.live_page import LivePage, PageVisit

POLL_INTERVAL = 2.0  # the page's polling interval
SEEN_DEADLINE = 15.0  # a client that has not seen a turnout by then is a failure
READY_DEADLINE = 30.0  # every page open and showing the vote's state before ballots are cast
CLOSE_DEADLINE = 3.0  # how long the executive waits for every page to show the result


class LivePages:
    """``count`` delegates opening each vote's live page as it opens, one thread per page."""

    kind = "live pages on the event stream (SSE)"

    def __init__(self, port: int, cookies: list[str], count: int):
        self.port, self.cookies, self.count = port, cookies, count
        self.lock = threading.Lock()
        self.visits: dict[int, list[PageVisit]] = {}
        self.pages: list[LivePage] = []
        self.opened_at: dict[int, float] = {}
        self.left_early = 0  # pages sent to the next vote before their stream showed the close

    def begin(self, vote_id: int) -> None:
        self.leave()
        self.opened_at[vote_id] = time.perf_counter()
        self.visits[vote_id] = [PageVisit(client, vote_id) for client in range(self.count)]
        self.pages = [
            LivePage(self.port, self.cookies[client % len(self.cookies)], visit, self.lock)
            for client, visit in enumerate(self.visits[vote_id])
        ]
        for page in self.pages:
            page.start()

    def wait_ready(self, vote_id: int) -> bool:
        deadline = time.perf_counter() + READY_DEADLINE
        return all(
            visit.ready.wait(max(0.0, deadline - time.perf_counter()))
            for visit in self.visits[vote_id]
        )

    def seen_at(self, client: int, vote_id: int, sections: int) -> float | None:
        with self.lock:
            return self.visits[vote_id][client].seen.get(sections)

    def wait_until_all_saw(self, vote_id: int, sections: int) -> bool:
        return _wait(
            lambda: all(sections in v.seen for v in self.visits[vote_id]), SEEN_DEADLINE, self.lock
        )

    def wait_until_closed(self, vote_id: int) -> None:
        _wait(
            lambda: all(v.closed_at is not None for v in self.visits[vote_id]),
            CLOSE_DEADLINE,
            self.lock,
        )

    def leave(self) -> None:
        for page in self.pages:
            if page.visit.closed_at is None:
                self.left_early += 1
            page.leave()
        for page in self.pages:
            page.join(timeout=10)

    def finish(self) -> None:
        self.leave()

    # --- figures ------------------------------------------------------------------------------

    def all_visits(self) -> list[PageVisit]:
        return [visit for visits in self.visits.values() for visit in visits]

    def errors(self) -> list[str]:
        return [
            f"vote {v.vote_id}, client {v.client}: {v.error}" for v in self.all_visits() if v.error
        ]

    def ready_delays(self) -> list[float]:
        return [v.seen[0] - self.opened_at[v.vote_id] for v in self.all_visits() if 0 in v.seen]


class PollingClients:
    """``count`` threads polling the vote now being held through the API every 2 s (the live
    page before the event stream); each notes when it first saw each number of sections voted."""

    kind = f"clients polling the API every {POLL_INTERVAL:.0f} s"

    def __init__(self, port: int, tokens: list[str], count: int):
        self.port, self.tokens, self.count = port, tokens, count
        self.vote_id: int | None = None
        self.seen: dict[tuple[int, int, int], float] = {}  # (client, vote, sections) -> time
        self.polls = 0
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.poll, args=(n,), daemon=True) for n in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def poll(self, client: int) -> None:
        time.sleep(random.Random(client).uniform(0, POLL_INTERVAL))  # browsers open at random
        while not self.stop.is_set():
            vote_id = self.vote_id
            if vote_id is not None:
                try:
                    answer = call(
                        self.port,
                        "GET",
                        f"/api/v1/votes/{vote_id}",
                        token=self.tokens[client % len(self.tokens)],
                    )
                    arrived = time.perf_counter()
                    turnout = answer.body["turnout"]
                    # Counts while open; once closed, everyone gets the sections by name.
                    voted = turnout.get("sections_voted") or len(turnout.get("voted") or [])
                    with self.lock:
                        self.polls += 1
                        for sections in range(1, voted + 1):
                            self.seen.setdefault((client, vote_id, sections), arrived)
                except Exception as error:  # noqa: BLE001 - counted; the run goes on
                    with self.lock:
                        self.failures.append(repr(error)[:300])
            self.stop.wait(POLL_INTERVAL)

    def begin(self, vote_id: int) -> None:
        self.vote_id = vote_id

    def wait_ready(self, vote_id: int) -> bool:
        return True

    def seen_at(self, client: int, vote_id: int, sections: int) -> float | None:
        with self.lock:
            return self.seen.get((client, vote_id, sections))

    def wait_until_all_saw(self, vote_id: int, sections: int) -> bool:
        return _wait(
            lambda: all((c, vote_id, sections) in self.seen for c in range(self.count)),
            SEEN_DEADLINE,
            self.lock,
        )

    def wait_until_closed(self, vote_id: int) -> None:
        self.vote_id = None

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)

    def errors(self) -> list[str]:
        return list(self.failures)


def _wait(condition, seconds: float, lock: threading.Lock) -> bool:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        with lock:
            if condition():
                return True
        time.sleep(0.02)
    return False
