"""The record of a declaration as exports see it: plain data, built by services.record.

Exports (Markdown, printable HTML, PDF, OpenDocument) read only this, never the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SectionVote:
    name: str
    position: str  # yes | no | abstain | absent
    yes: int
    no: int
    abstain: int


@dataclass(frozen=True)
class VoteSummary:
    outcome: str  # adopted | rejected
    explanation: (
        str  # one sentence, e.g. "Adopted: 3 of 4 sections voting said yes; majority needed 3."
    )
    rule: str
    closed_at: datetime
    sections: tuple[SectionVote, ...]
    result_hash: str


@dataclass(frozen=True)
class AmendmentRecord:
    label: str  # A1, A2, ...
    section: str | None  # proposing section (None for an executive's compromise)
    cosponsors: tuple[str, ...]
    status: str  # adopted | rejected | withdrawn | superseded | submitted | conflicted | voting
    rationale: str  # Markdown written by the proposer: escape or sanitise, never trust
    vote: VoteSummary | None
    adopted_as_version: int | None = None


@dataclass(frozen=True)
class VersionRecord:
    number: int
    cause: str  # initial | editorial | amendment
    created_at: datetime
    hash: str
    prev_hash: str
    amendment_label: str | None = None


@dataclass(frozen=True)
class TrackedChange:
    """One piece of the last round's changes, relative to ``DeclarationRecord.round_base_text``:
    op 0 is unchanged text, -1 deleted, 1 inserted; ``author`` says which amendment made it."""

    op: int
    text: str
    author: str | None = None


@dataclass(frozen=True)
class DeclarationRecord:
    id: int
    title: str
    language: str  # ISO 639 code of the authoritative text
    status: str
    text: str  # the adopted (or current) text, Markdown, byte for byte
    version: VersionRecord  # the version `text` is
    adopted_at: datetime | None
    adopting_sections: tuple[str, ...]  # sections whose position was yes in the final vote
    final_vote: VoteSummary | None
    versions: tuple[VersionRecord, ...]
    amendments: tuple[AmendmentRecord, ...]
    # The text as it stood when the last amendment round began, and the changes from it to
    # `text`: for tracked changes in word processors.
    round_base_text: str
    tracked_changes: tuple[TrackedChange, ...] = field(default=())
    public_url: str | None = None
    verified: bool | None = None  # None when not checked
    # The audit chain's head when the export was made (`<hash>:<length>`), to compare with
    # `flask declarations verify ID --expect HEAD` later.
    chain_head: str | None = None
    # A translation: `text` and `title` are in `language`, and translate version
    # `translated_version` of the authoritative text in `source_language`.
    text_status: str = "authoritative"  # authoritative | current | outdated
    source_language: str | None = None
    translated_version: int | None = None
