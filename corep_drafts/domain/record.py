"""The tamper-evident record: hash chains over versions and audit events, and checks of the
stored vote results against their ballots.

- A version's hash is sha256(prev_hash || text).
- An audit event's hash is sha256(prev_hash || canonical JSON of its fields); the events of one
  declaration form one chain, in the order they were written.
- A closed vote stores its result as canonical JSON with its sha256; the result must follow
  from the ballots it lists (the tally is recomputed) and those must be the ballots on file.
- The chains also vouch for each other: every version and every closed vote is announced by an
  event carrying its hash, and every vote's opening by an event, so a version or a vote deleted
  alone is seen too.
- A chain cannot see its own tail cut off (the newest events deleted together with what they
  announce). The audit chain's head (the newest event's hash and the chain's length) is therefore
  printed and published, to be kept outside the database: a kept head that the chain no longer
  holds at its position shows the cut.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corep_drafts.domain import tally as tally_rules
from corep_drafts.domain.limits import MAX_ID

GENESIS_HASH = "0" * 64


def chain_hash(prev_hash: str, text: str) -> str:
    """sha256(prev_hash || text), both as UTF-8; prev_hash is the predecessor's hex digest."""
    return hashlib.sha256(prev_hash.encode("ascii") + text.encode("utf-8")).hexdigest()


def canonical_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(prev_hash: str, fields: Mapping[str, object]) -> str:
    return chain_hash(prev_hash, canonical_json(dict(fields)))


def first_broken_link(links) -> int | None:
    """Given (number, prev_hash, text, stored_hash) in order, the number of the first bad one."""
    expected_prev = GENESIS_HASH
    for number, prev_hash, text, stored_hash in links:
        if prev_hash != expected_prev or chain_hash(prev_hash, text) != stored_hash:
            return number
        expected_prev = stored_hash
    return None


@dataclass(frozen=True)
class VersionLink:
    number: int
    prev_hash: str
    text: str
    hash: str


@dataclass(frozen=True)
class VoteLink:
    id: int
    result_json: str
    result_hash: str
    ballots: tuple[tuple[int, str], ...]  # (delegate id, choice) as on file


@dataclass(frozen=True)
class EventLink:
    id: int
    prev_hash: str
    hash: str
    fields: Mapping[str, object]  # what the hash covers, including action and details


class MalformedHead(ValueError):
    pass


@dataclass(frozen=True)
class ChainHead:
    """The newest link of a declaration's audit chain: its hash and the chain's length. Written
    `<hash>:<length>`; the empty chain's head is the genesis hash at length 0."""

    hash: str
    length: int

    def __str__(self) -> str:
        return f"{self.hash}:{self.length}"

    @classmethod
    def parse(cls, written: str) -> ChainHead:
        digest, colon, length = written.strip().partition(":")
        if (
            not colon
            or len(digest) != 64
            or any(c not in "0123456789abcdef" for c in digest.lower())
            or not length.isascii()
            or not length.isdigit()
            or len(length) > len(str(MAX_ID))
            or int(length) > MAX_ID
        ):
            raise MalformedHead(f"{written!r} is not a chain head (<64 hex digits>:<length>)")
        return cls(digest.lower(), int(length))


def head_of(events: Sequence[EventLink]) -> ChainHead:
    return ChainHead(events[-1].hash, len(events)) if events else ChainHead(GENESIS_HASH, 0)


@dataclass(frozen=True)
class Verification:
    problem: str | None  # None: intact
    head: ChainHead | None = None  # the audit chain's head as found

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(
    versions: Sequence[VersionLink],
    votes: Sequence[VoteLink],
    events: Sequence[EventLink],
    *,
    opened_votes: Sequence[int] | None = None,
    expected_head: ChainHead | None = None,
) -> Verification:
    """The first thing wrong with a declaration's record, or nothing. ``opened_votes`` (every
    vote on file, open or closed) are checked against the events announcing them;
    ``expected_head``, a head kept earlier, must still be in the chain at its position."""
    head = head_of(events)
    for problem in (
        _check_versions(versions),
        _check_votes(votes),
        _check_events(events),
        _check_announcements(versions, votes, events),
        _check_openings(opened_votes, events) if opened_votes is not None else None,
        _check_kept_head(expected_head, events) if expected_head is not None else None,
    ):
        if problem:
            return Verification(problem, head)
    return Verification(None, head)


def _check_kept_head(kept: ChainHead, events: Sequence[EventLink]) -> str | None:
    """The chain must have grown from the kept head: the same hash at the same position."""
    if kept.length == 0:
        return None if kept.hash == GENESIS_HASH else f"the kept head {kept} is not a chain head"
    if len(events) < kept.length:
        return (
            f"audit event {kept.length} of the chain is missing: the chain has "
            f"{len(events)} events, the kept head {kept} had {kept.length}"
        )
    found = events[kept.length - 1]
    if found.hash != kept.hash:
        return (
            f"audit event {found.id} (position {kept.length}): the chain no longer holds the "
            f"kept head {kept}"
        )
    return None


def _check_openings(opened_votes: Sequence[int], events: Sequence[EventLink]) -> str | None:
    announced = {
        event.fields.get("object_id")
        for event in events
        if event.fields.get("action") == "vote.opened"
    }
    unannounced = sorted(set(opened_votes) - announced)
    if unannounced:
        return f"vote {unannounced[0]} is not in the audit trail"
    missing = sorted(announced - set(opened_votes), key=str)
    if missing:
        return f"vote {missing[0]}: the audit trail announces it but it is missing"
    return None


def _check_versions(versions: Sequence[VersionLink]) -> str | None:
    if not versions:
        return "the declaration has no version"
    numbers = [v.number for v in versions]
    if numbers != list(range(1, len(versions) + 1)):
        return f"the versions are not numbered 1 to {len(versions)} without gaps: {numbers}"
    broken = first_broken_link((v.number, v.prev_hash, v.text, v.hash) for v in versions)
    if broken is not None:
        return f"version {broken}: its hash does not match its text and the version before it"
    return None


def _check_votes(votes: Sequence[VoteLink]) -> str | None:
    for vote in votes:
        if hashlib.sha256(vote.result_json.encode("utf-8")).hexdigest() != vote.result_hash:
            return f"vote {vote.id}: the stored result does not match its hash"
        try:
            stored = tally_rules.Result.from_dict(json.loads(vote.result_json))
        except (ValueError, KeyError, TypeError):
            return f"vote {vote.id}: the stored result cannot be read"
        listed = [
            (delegate_id, str(choice))
            for section in stored.sections
            for delegate_id, choice in section.ballots
        ]
        if Counter(listed) != Counter((d, c) for d, c in vote.ballots):
            return f"vote {vote.id}: the ballots on file differ from those the result counted"
        ballots = [tally_rules.Ballot(d, s.name, c) for s in stored.sections for d, c in s.ballots]
        sections = [tally_rules.SectionInfo(s.name, s.weight) for s in stored.sections]
        recomputed = tally_rules.tally(ballots, sections, stored.rule, quorum=stored.quorum)
        if recomputed.to_dict() != stored.to_dict():
            return f"vote {vote.id}: the stored result does not follow from its ballots"
    return None


def _check_events(events: Sequence[EventLink]) -> str | None:
    expected_prev = GENESIS_HASH
    for event in events:
        if (
            event.prev_hash != expected_prev
            or event_hash(event.prev_hash, event.fields) != event.hash
        ):
            return f"audit event {event.id}: the chain of events is broken here"
        expected_prev = event.hash
    return None


def _check_announcements(versions, votes, events) -> str | None:
    announced_versions = {
        event.fields.get("details", {}).get("hash")
        for event in events
        if event.fields.get("action") == "version.created"
    }
    for version in versions:
        if version.hash not in announced_versions:
            return f"version {version.number} is not in the audit trail"
    if len(announced_versions) != len(versions):
        return "the audit trail announces a version that is missing"
    announced_votes = {
        event.fields.get("object_id"): event.fields.get("details", {}).get("result_hash")
        for event in events
        if event.fields.get("action") == "vote.closed"
    }
    on_file = {vote.id: vote.result_hash for vote in votes}
    if announced_votes != on_file:
        missing = sorted(set(announced_votes) ^ set(on_file)) or sorted(
            k for k in on_file if on_file[k] != announced_votes.get(k)
        )
        return f"vote {missing[0]}: the audit trail and the stored votes disagree"
    return None
