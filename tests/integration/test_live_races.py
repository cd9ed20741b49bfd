"""Races against a real four-worker gunicorn on 127.0.0.1, driven by threads over HTTP: duplicate
ballots, closes racing ballots, executives adopting competing amendments at the same moment, and
co-sponsorships racing a withdrawal. Any 5xx fails. Run with -s to see the figures."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest
from corep_testing import PASSWORD
from live_server import Answer, LiveServer, live_server, migrated_app, signed_in_browser
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent, Ballot, Cosponsorship, User, Version, Vote
from corep_drafts.services import accounts, amendments, declarations, votes

SECTIONS = ("Argentina", "Austria", "France", "Spanish State", "Türkiye")
DELEGATES = 50
DUPLICATES = 4
CLOSES = 20
BALLOTS_PER_DELEGATE = 4  # 50 x 4 = 200 ballots racing the closes
ADOPTION_ROUNDS = 4
COSPONSOR_ROUNDS = 6
THREAD_DEADLINE = 120.0
TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n\nSections report.\n"

pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index")


@dataclass
class Person:
    id: int
    token: str
    section: str | None


@dataclass
class Live:
    app: object
    server: LiveServer
    delegates: list[Person]
    executives: list[Person]
    label: str

    def services(self):
        return self.app.app_context()

    def person(self, person: Person) -> User:
        return db.session.get(User, person.id)


def make_people(app) -> tuple[list[Person], list[Person]]:
    with app.app_context():
        for name in SECTIONS:
            accounts.add_section(name)
        delegates = []
        for number in range(DELEGATES):
            section = SECTIONS[number % len(SECTIONS)]
            user = accounts.add_user(
                f"delegate{number}@example.org",
                f"Delegate {number}",
                ["delegate", "member"],
                PASSWORD,
                section_name=section,
            )
            delegates.append(Person(user.id, accounts.create_token(user), section))
        executives = []
        for number in range(2):
            user = accounts.add_user(
                f"executive{number}@example.org", f"Executive {number}", ["executive"], PASSWORD
            )
            executives.append(Person(user.id, accounts.create_token(user), None))
        return delegates, executives


@pytest.fixture(scope="module")
def live(fresh_database_url):
    url = fresh_database_url("races")
    app = migrated_app(url)
    delegates, executives = make_people(app)
    label = "postgresql" if url.startswith("postgresql") else "sqlite"
    try:
        with live_server(url, app.config["SECRET_KEY"], workers=4) as server:
            yield Live(app, server, delegates, executives, label)
    finally:
        with app.app_context():
            db.engine.dispose()


def simultaneously(calls) -> list:
    """Run every call in its own thread, all released at once; bounded in time."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=THREAD_DEADLINE)
        try:
            results[index] = call()
        except BaseException as error:  # kept and reported, never lost in a thread
            results[index] = error

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + THREAD_DEADLINE
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "requests still running"
    return results


def assert_no_server_error(live: Live, answers) -> None:
    errors = [a for a in answers if not isinstance(a, Answer) or a.status >= 500]
    assert errors == [], f"{errors[:5]}\n--- server log ---\n{live.server.log_text()}"


def report(live: Live, scenario: str, **figures) -> None:
    words = ", ".join(f"{key}={value}" for key, value in figures.items())
    print(f"\nraces[{live.label}] {scenario}: {words}")


def amendment_vote(live: Live, text: str = TEXT, changes=(("paid", "paid in full"),)):
    """A declaration open for amendments with one amendment per change (by delegate 0, 1...)
    and the executive's vote open on the first; returns (declaration id, amendment ids, vote)."""
    with live.services():
        executive = live.person(live.executives[0])
        declaration = declarations.create_declaration("Race", text, created_by=executive)
        declarations.transition(executive, declaration.id, "amending")
        ids = [
            amendments.propose(
                live.person(live.delegates[index]),
                declaration.id,
                1,
                text.replace(old, new, 1),
                "",
            ).id
            for index, (old, new) in enumerate(changes)
        ]
        vote = votes.open_amendment_vote(executive, ids[0])
        return declaration.id, ids, vote.id


def verify(live: Live, declaration_id: int) -> str:
    with live.services():
        result = live.app.test_cli_runner().invoke(
            args=["declarations", "verify", str(declaration_id)]
        )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok")
    return result.output


def counted_ballots(result_json: str) -> dict[int, str]:
    result = json.loads(result_json)
    return {
        ballot["delegate_id"]: ballot["choice"]
        for section in result["sections"]
        for ballot in section["ballots"]
    }


def test_fifty_delegates_sending_four_identical_ballots_at_once_are_stored_and_counted_once(live):
    _declaration_id, _ids, vote_id = amendment_vote(live)
    choices = {d.id: random.Random(d.id).choice(["yes", "no", "abstain"]) for d in live.delegates}

    def ballot(person):
        return lambda: live.server.call(
            "POST",
            f"/api/v1/votes/{vote_id}/ballots",
            token=person.token,
            body={"choice": choices[person.id]},
        )

    started = time.monotonic()
    answers = simultaneously([ballot(d) for d in live.delegates for _ in range(DUPLICATES)])
    elapsed = time.monotonic() - started
    assert_no_server_error(live, answers)
    statuses = Counter(a.status for a in answers)
    assert statuses == {201: DELEGATES, 200: DELEGATES * (DUPLICATES - 1)}

    closing = live.server.call(
        "POST", f"/api/v1/votes/{vote_id}/close", token=live.executives[0].token
    )
    assert closing.status == 200, closing.body
    with live.services():
        stored = db.session.scalars(select(Ballot).where(Ballot.vote_id == vote_id)).all()
        assert len(stored) == DELEGATES
        assert {b.delegate_id: b.choice for b in stored} == choices
        assert all(b.changes == 0 for b in stored)  # a repeated choice is no change
        assert counted_ballots(db.session.get(Vote, vote_id).result_json) == choices
    report(
        live,
        "duplicate ballots",
        requests=len(answers),
        created=statuses[201],
        repeated=statuses[200],
        stored=len(stored),
        counted=len(choices),
        seconds=f"{elapsed:.2f}",
    )


def test_twenty_closes_racing_two_hundred_ballots_give_one_result_and_no_ballot_after_it(live):
    declaration_id, _ids, vote_id = amendment_vote(live)
    rng = random.Random(20)
    plans = {
        d.id: [rng.choice(["yes", "no", "abstain"]) for _ in range(BALLOTS_PER_DELEGATE)]
        for d in live.delegates
    }
    answered = Counter()
    answered_lock = threading.Lock()
    enough_ballots = threading.Event()
    ballots: dict[int, list[tuple[str, Answer]]] = {d.id: [] for d in live.delegates}

    def delegate(person):
        def run():
            for choice in plans[person.id]:  # one delegate's ballots one after the other
                answer = live.server.call(
                    "POST",
                    f"/api/v1/votes/{vote_id}/ballots",
                    token=person.token,
                    body={"choice": choice},
                )
                ballots[person.id].append((choice, answer))
                with answered_lock:
                    answered["all"] += 1
                    if answered["all"] >= DELEGATES:
                        enough_ballots.set()
                if answer.status >= 500:
                    break
            return None

        return run

    def closer(person):
        def run():
            enough_ballots.wait(timeout=THREAD_DEADLINE)  # close in the middle of the voting
            return live.server.call("POST", f"/api/v1/votes/{vote_id}/close", token=person.token)

        return run

    executives = [live.executives[i % 2] for i in range(CLOSES)]
    started = time.monotonic()
    closes = simultaneously(
        [delegate(d) for d in live.delegates] + [closer(e) for e in executives]
    )[DELEGATES:]
    elapsed = time.monotonic() - started
    ballot_answers = [answer for sent in ballots.values() for _choice, answer in sent]
    assert_no_server_error(live, closes + ballot_answers)
    assert len(ballot_answers) == DELEGATES * BALLOTS_PER_DELEGATE

    assert sorted(a.status for a in closes) == [200] + [409] * (CLOSES - 1)
    assert {a.error_code for a in closes if a.status == 409} == {"vote_closed"}
    assert all(a.status in (200, 201, 409) for a in ballot_answers)
    assert {a.error_code for a in ballot_answers if a.status == 409} <= {"vote_closed"}
    refused = [a for a in ballot_answers if a.status == 409]
    assert refused, "no ballot came after the close: the race tested nothing"
    accepted_after_refusal = [
        person_id
        for person_id, sent in ballots.items()
        if any(
            answer.status < 300 and any(earlier.status == 409 for _c, earlier in sent[:index])
            for index, (_choice, answer) in enumerate(sent)
        )
    ]
    assert accepted_after_refusal == []
    last_accepted = {
        person_id: [choice for choice, answer in sent if answer.status < 300][-1]
        for person_id, sent in ballots.items()
        if any(answer.status < 300 for _c, answer in sent)
    }
    with live.services():
        vote = db.session.get(Vote, vote_id)
        assert vote.state == "closed"
        stored = db.session.scalars(select(Ballot).where(Ballot.vote_id == vote_id)).all()
        assert all((b.changed_at or b.cast_at) <= vote.closed_at for b in stored)
        counted = counted_ballots(vote.result_json)
        assert counted == {b.delegate_id: b.choice for b in stored} == last_accepted
        closings = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "vote",
                AuditEvent.object_id == vote_id,
                AuditEvent.action == "vote.closed",
            )
        ).all()
        assert len(closings) == 1
    verify(live, declaration_id)
    report(
        live,
        "closes racing ballots",
        closes=len(closes),
        ballots=len(ballot_answers),
        accepted=sum(a.status < 300 for a in ballot_answers),
        refused=len(refused),
        stored=len(stored),
        counted=len(counted),
        seconds=f"{elapsed:.2f}",
    )


def test_two_executives_adopting_competing_amendments_at_once_adopt_exactly_one(live):
    changes = (
        ("a set temperature", "30 °C"),  # A: competes with B
        ("a set temperature", "32 °C"),  # B
        ("Sections report", "Sections report monthly"),  # C: beside both
    )
    outcomes = Counter()
    started = time.monotonic()
    for _round in range(ADOPTION_ROUNDS):
        with live.services():
            executive = live.person(live.executives[0])
            declaration = declarations.create_declaration("Race", TEXT, created_by=executive)
            declarations.transition(executive, declaration.id, "amending")
            declaration_id = declaration.id
            first, second, beside = (
                amendments.propose(
                    live.person(live.delegates[i]), declaration_id, 1, TEXT.replace(old, new), ""
                ).id
                for i, (old, new) in enumerate(changes)
            )
        one, other = live.executives

        opened = simultaneously(
            [
                lambda amendment_id=amendment_id, person=person: live.server.call(
                    "POST", f"/api/v1/amendments/{amendment_id}/vote", token=person.token
                )
                for amendment_id, person in ((first, one), (second, other))
            ]
        )
        assert_no_server_error(live, opened)
        assert sorted(a.status for a in opened) == [201, 409]
        assert [a.error_code for a in opened if a.status == 409] == ["competing_vote_open"]
        winner, loser = (first, second) if opened[0].status == 201 else (second, first)
        winning_vote = next(a for a in opened if a.status == 201).body["vote_id"]
        beside_vote = live.server.call(
            "POST", f"/api/v1/amendments/{beside}/vote", token=one.token
        ).body["vote_id"]
        for delegate in live.delegates[: len(SECTIONS)]:
            for vote_id in (winning_vote, beside_vote):
                answer = live.server.call(
                    "POST",
                    f"/api/v1/votes/{vote_id}/ballots",
                    token=delegate.token,
                    body={"choice": "yes"},
                )
                assert answer.status == 201, answer.body

        closed = simultaneously(
            [
                lambda vote_id=vote_id, person=person: live.server.call(
                    "POST", f"/api/v1/votes/{vote_id}/close", token=person.token
                )
                for vote_id in (winning_vote, beside_vote)
                for person in (one, other)
            ]
        )
        assert_no_server_error(live, closed)
        assert sorted(a.status for a in closed) == [200, 200, 409, 409]
        with live.services():
            statuses = {
                amendment.id: amendment.status
                for amendment in amendments.list_amendments(live.person(one), declaration_id)
            }
            assert statuses == {winner: "adopted", beside: "adopted", loser: "conflicted"}
            chain = db.session.scalars(
                select(Version)
                .where(Version.declaration_id == declaration_id)
                .order_by(Version.number)
            ).all()
            assert [v.number for v in chain] == [1, 2, 3]
            assert all(
                v.prev_hash == before.hash for before, v in zip(chain, chain[1:], strict=False)
            )
            assert {v.amendment_id for v in chain[1:]} == {winner, beside}
        verify(live, declaration_id)
        outcomes["first won" if winner == first else "second won"] += 1
    report(
        live,
        "competing adoptions",
        rounds=ADOPTION_ROUNDS,
        **{k.replace(" ", "_"): v for k, v in outcomes.items()},
        seconds=f"{time.monotonic() - started:.2f}",
    )


def test_co_sponsorships_racing_a_withdrawal_leave_one_per_section_and_none_after_it(live):
    """Two delegates of one section and one of another co-sponsor (through the amendment page's
    form) while the proposer withdraws (through the API)."""
    proposer = live.delegates[0]  # Argentina
    austria = [d for d in live.delegates if d.section == "Austria"][:2]
    france = next(d for d in live.delegates if d.section == "France")
    browsers = {p.id: signed_in_browser(live.app, p.id) for p in [*austria, france]}
    figures = Counter()
    started = time.monotonic()
    for _round in range(COSPONSOR_ROUNDS):
        with live.services():
            executive = live.person(live.executives[0])
            declaration = declarations.create_declaration("Race", TEXT, created_by=executive)
            declarations.transition(executive, declaration.id, "amending")
            declaration_id = declaration.id
            amendment_id = amendments.propose(
                live.person(proposer), declaration_id, 1, TEXT.replace("paid", "paid in full"), ""
            ).id

        def cosponsor(person, amendment_id=amendment_id):
            cookie, csrf_token = browsers[person.id]
            return lambda: live.server.call(
                "POST",
                f"/amendments/{amendment_id}/cosponsor",
                form={"csrf_token": csrf_token},
                cookie=cookie,
            )

        answers = simultaneously(
            [
                cosponsor(austria[0]),
                cosponsor(austria[1]),
                cosponsor(france),
                lambda amendment_id=amendment_id: live.server.call(
                    "POST", f"/api/v1/amendments/{amendment_id}/withdraw", token=proposer.token
                ),
            ]
        )
        assert_no_server_error(live, answers)
        assert [a.status for a in answers[:3]] == [302, 302, 302]  # done or refused, flashed
        assert answers[3].status == 200
        with live.services():
            rows = db.session.scalars(
                select(Cosponsorship).where(Cosponsorship.amendment_id == amendment_id)
            ).all()
            sections = Counter(row.section.name for row in rows)
            assert all(count == 1 for count in sections.values())
            assert set(sections) <= {"Austria", "France"}
            events = [
                e.action
                for e in db.session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.object_type == "amendment")
                    .where(AuditEvent.object_id == amendment_id)
                    .order_by(AuditEvent.id)
                )
            ]
            assert events[-1] == "amendment.withdrawn"  # nothing joined after the withdrawal
            assert events.count("amendment.cosponsored") == len(rows)
        verify(live, declaration_id)
        figures["co-sponsorships"] += len(rows)
        figures["refused"] += 3 - len(rows)
    report(
        live,
        "co-sponsorships racing a withdrawal",
        rounds=COSPONSOR_ROUNDS,
        stored=figures["co-sponsorships"],
        refused=figures["refused"],
        seconds=f"{time.monotonic() - started:.2f}",
    )
