"""Tamper evidence: an intact record verifies; any flipped byte, deleted link or reordered
event is found."""

import hashlib
import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corep_drafts.domain import tally as tally_rules
from corep_drafts.domain.record import (
    GENESIS_HASH,
    ChainHead,
    EventLink,
    MalformedHead,
    VersionLink,
    VoteLink,
    chain_hash,
    event_hash,
    head_of,
    verify,
)

SECTIONS = [tally_rules.SectionInfo(name) for name in ("Argentina", "Austria", "France")]


def build_record(texts, ballots_per_vote):
    versions, votes, events = [], [], []
    previous_event = GENESIS_HASH

    def announce(action, object_id, details):
        nonlocal previous_event
        fields = {"action": action, "object_id": object_id, "details": details}
        link = EventLink(
            len(events) + 1, previous_event, event_hash(previous_event, fields), fields
        )
        events.append(link)
        previous_event = link.hash

    previous = GENESIS_HASH
    for number, text in enumerate(texts, start=1):
        link = VersionLink(number, previous, text, chain_hash(previous, text))
        versions.append(link)
        previous = link.hash
        announce("version.created", number, {"number": number, "hash": link.hash})
    for vote_id, choices in enumerate(ballots_per_vote, start=1):
        ballots = [
            tally_rules.Ballot(delegate, SECTIONS[delegate % 3].name, choice)
            for delegate, choice in enumerate(choices)
        ]
        result_json = json.dumps(
            tally_rules.tally(ballots, SECTIONS, "majority").to_dict(), separators=(",", ":")
        )
        result_hash = hashlib.sha256(result_json.encode()).hexdigest()
        votes.append(
            VoteLink(
                vote_id, result_json, result_hash, tuple((b.delegate_id, b.choice) for b in ballots)
            )
        )
        announce("vote.closed", vote_id, {"result_hash": result_hash})
    return versions, votes, events


texts = st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4)
ballots = st.lists(
    st.lists(st.sampled_from(["yes", "no", "abstain"]), min_size=1, max_size=6),
    min_size=1,
    max_size=3,
)


@settings(max_examples=100, deadline=None)
@given(texts, ballots)
def test_an_intact_record_verifies(texts, ballots):
    assert verify(*build_record(texts, ballots)).ok


def flip(text: str, where: int) -> str:
    """Another character at one place (never a lone surrogate, which is not text)."""
    index = where % len(text)
    code = (ord(text[index]) + 1) % 0x110000
    if 0xD800 <= code <= 0xDFFF:
        code = 0xE000
    return text[:index] + chr(code) + text[index + 1 :]


@settings(max_examples=300, deadline=None)
@given(
    texts,
    ballots,
    st.sampled_from(
        [
            "version text",
            "result",
            "ballot",
            "event",
            "delete version",
            "delete vote",
            "delete event",
            "swap events",
        ]
    ),
    st.integers(0, 10_000),
)
def test_any_tampering_is_found(texts, ballots, kind, where):
    versions, votes, events = build_record(texts, ballots)
    if kind == "version text":
        index = where % len(versions)
        versions[index] = replace(versions[index], text=flip(versions[index].text, where))
    elif kind == "result":
        index = where % len(votes)
        votes[index] = replace(votes[index], result_json=flip(votes[index].result_json, where))
    elif kind == "ballot":
        index = where % len(votes)
        changed = list(votes[index].ballots)
        delegate, choice = changed[where % len(changed)]
        changed[where % len(changed)] = (
            delegate,
            {"yes": "no", "no": "abstain", "abstain": "yes"}[choice],
        )
        votes[index] = replace(votes[index], ballots=tuple(changed))
    elif kind == "event":
        index = where % len(events)
        details = dict(events[index].fields["details"])
        details["tampered"] = True
        events[index] = replace(events[index], fields={**events[index].fields, "details": details})
    elif kind == "delete version":
        del versions[where % len(versions)]
    elif kind == "delete vote":
        del votes[where % len(votes)]
    elif kind == "delete event":
        del events[where % len(events)]
    elif kind == "swap events":
        if len(events) < 2:
            return
        index = where % (len(events) - 1)
        events[index], events[index + 1] = events[index + 1], events[index]
    result = verify(versions, votes, events)
    assert not result.ok, kind
    assert result.problem


def test_the_problem_names_the_first_broken_link():
    versions, votes, events = build_record(["One.", "Two.", "Three."], [["yes"]])
    versions[1] = replace(versions[1], text="Two!")
    assert verify(versions, votes, events).problem.startswith("version 2:")


@settings(max_examples=60, deadline=None)
@given(texts, ballots, st.integers(1, 10_000))
def test_a_kept_head_sees_any_cut_off_tail(texts, ballots, cut):
    versions, votes, events = build_record(texts, ballots)
    kept = head_of(events)
    assert verify(versions, votes, events, expected_head=kept).ok
    shortened = events[: len(events) - 1 - cut % len(events)]
    result = verify(versions, votes, shortened, expected_head=kept)
    assert not result.ok


@settings(max_examples=60, deadline=None)
@given(texts, ballots, st.integers(0, 10_000))
def test_any_head_the_chain_passed_through_is_still_held_as_it_grows(texts, ballots, where):
    versions, votes, events = build_record(texts, ballots)
    earlier = head_of(events[: where % (len(events) + 1)])
    result = verify(versions, votes, events, expected_head=earlier)
    assert result.ok and result.head == head_of(events)


def test_a_head_is_written_and_read_back_as_hash_colon_length():
    head = ChainHead("ab" * 32, 7)
    assert str(head) == "ab" * 32 + ":7" and ChainHead.parse(str(head).upper()) == head
    for written in ("", "ab:7", "ab" * 32 + ":", "ab" * 32 + ":-1", "zz" * 32 + ":1"):
        with pytest.raises(MalformedHead):
            ChainHead.parse(written)
