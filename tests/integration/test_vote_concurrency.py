"""Fifty delegates cast and change ballots from threads while the executive closes the vote:
every ballot accepted before the close is counted exactly once, every later one gets 409."""

import json
import random
import threading

import pytest
from corep_testing import postgres_server_url

from corep_drafts.extensions import db
from corep_drafts.models import Vote
from corep_drafts.services import accounts, amendments, declarations

DELEGATES = 50
ROUNDS = 3
TEXT = "First paragraph.\n\nSecond paragraph.\n"

pytestmark = pytest.mark.skipif(
    postgres_server_url() is None,
    reason="the concurrency test runs on PostgreSQL (TEST_DATABASE_URL), as in .ci/run",
)


@pytest.fixture
def delegates(app, make_user):
    sections = [
        accounts.add_section(name)
        for name in ("Argentina", "Austria", "France", "Spanish State", "Türkiye")
    ]
    people = [make_user("delegate", section=sections[i % len(sections)]) for i in range(DELEGATES)]
    return [(person.id, accounts.create_token(person)) for person in people]


def run_one_round(app, executive, executive_token, delegates, seed: int) -> None:
    declaration = declarations.create_declaration(f"Round {seed}", TEXT, created_by=executive)
    declarations.transition(executive, declaration.id, "amending")
    proposer_id = delegates[0][0]
    amendment = amendments.propose(
        db.session.get(type(executive), proposer_id),
        declaration.id,
        1,
        TEXT.replace("Second", "Better second"),
        "",
    )
    client = app.test_client()
    vote_id = client.post(
        f"/api/v1/amendments/{amendment.id}/vote",
        headers={"Authorization": f"Bearer {executive_token}"},
    ).get_json()["vote_id"]

    accepted: dict[int, list[str]] = {}
    refused_then_accepted = []
    unexpected = []
    refused = []
    enough_ballots = threading.Event()
    accepted_count = [0]
    lock = threading.Lock()

    def delegate(delegate_id: int, token: str, rng: random.Random) -> None:
        own_client = app.test_client()
        closed = False
        for _ in range(40):  # bounded: every thread stops by itself
            choice = rng.choice(["yes", "no", "abstain"])
            response = own_client.post(
                f"/api/v1/votes/{vote_id}/ballots",
                json={"choice": choice},
                headers={"Authorization": f"Bearer {token}"},
            )
            if response.status_code in (200, 201):
                if closed:
                    refused_then_accepted.append(delegate_id)
                accepted.setdefault(delegate_id, []).append(choice)
                with lock:
                    accepted_count[0] += 1
                    if accepted_count[0] >= DELEGATES:
                        enough_ballots.set()
            elif response.status_code == 409:
                closed = True
                refused.append(delegate_id)
                break
            else:
                unexpected.append((response.status_code, response.get_json()))
                break

    rng = random.Random(seed)
    threads = [
        threading.Thread(target=delegate, args=(d, t, random.Random(rng.random())))
        for d, t in delegates
    ]
    for thread in threads:
        thread.start()
    assert enough_ballots.wait(timeout=60), "the delegates' ballots did not come in"
    closing = app.test_client().post(
        f"/api/v1/votes/{vote_id}/close", headers={"Authorization": f"Bearer {executive_token}"}
    )
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert closing.status_code == 200, closing.get_json()

    assert unexpected == []
    assert refused_then_accepted == []
    # the close really happened in the middle of the voting: some changed, some were refused
    assert refused, "no ballot came after the close: the round tested nothing"
    assert any(len(choices) > 1 for choices in accepted.values())
    db.session.expire_all()
    result = json.loads(db.session.get(Vote, vote_id).result_json)
    counted = {
        delegate_id: choice
        for section in result["sections"]
        for delegate_id, choice in ((b["delegate_id"], b["choice"]) for b in section["ballots"])
    }
    expected = {delegate_id: choices[-1] for delegate_id, choices in accepted.items()}
    assert counted == expected
    assert sum(s["yes"] + s["no"] + s["abstain"] for s in result["sections"]) == len(expected)


def test_every_ballot_accepted_before_the_close_is_counted_once_and_every_later_one_is_refused(
    app, delegates, make_user
):
    executive = make_user("executive")
    executive_token = accounts.create_token(executive)
    for seed in range(ROUNDS):
        run_one_round(app, executive, executive_token, delegates, seed)
