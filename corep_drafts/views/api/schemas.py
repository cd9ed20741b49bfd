"""The API's answers (CONTRACT.md), one pydantic model each: the shape the route returns and the
schema the OpenAPI document gives.

Convention: a field with a default is sent only when it was set (the operation serialises with
`exclude_unset`), so "absent unless known" — a closed vote's weights, a roll call's ballots, the
turnout by section for whom may see it — is written once, in the model.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from corep_drafts import permissions, wording
from corep_drafts.domain.tally import Choice, Outcome, Position, Rule
from corep_drafts.domain.translations import ChangeKind
from corep_drafts.domain.workflow import (
    AmendmentStatus,
    DeclarationStatus,
    VersionCause,
    VoteMode,
    VoteState,
)
from corep_drafts.services.votes import delegate_names, result_of, turnout
from corep_drafts.views.api.fields import DiffEntry, Timestamp


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorDetail(Answer):
    code: str = Field(pattern="^[a-z_]+$")
    message: str


class Error(Answer):
    """Every refusal: {"error": {"code": "snake_case_code", "message": "..."}}."""

    error: ErrorDetail


# --- declarations and versions ----------------------------------------------------------------


class DeclarationSummary(Answer):
    id: int
    title: str
    status: DeclarationStatus

    @classmethod
    def of(cls, declaration) -> DeclarationSummary:
        return cls(id=declaration.id, title=declaration.title, status=declaration.status)


class CurrentVersion(Answer):
    number: int
    text: str
    hash: str


class Declaration(DeclarationSummary):
    rule: Rule
    quorum: int | None
    language: str
    amendment_deadline: Timestamp | None
    current_version: CurrentVersion

    @classmethod
    def of(cls, declaration) -> Declaration:
        current = declaration.current_version
        return cls(
            id=declaration.id,
            title=declaration.title,
            status=declaration.status,
            rule=declaration.rule,
            quorum=declaration.quorum,
            language=declaration.language,
            amendment_deadline=declaration.amendment_deadline,
            current_version=CurrentVersion(
                number=current.number, text=current.text, hash=current.hash
            ),
        )


class VersionSummary(Answer):
    number: int
    hash: str = Field(description="sha256(prev_hash || text), hex")
    prev_hash: str
    cause: VersionCause
    amendment_id: int | None
    created_at: Timestamp

    @classmethod
    def fields_of(cls, version) -> dict:
        return {
            "number": version.number,
            "hash": version.hash,
            "prev_hash": version.prev_hash,
            "cause": version.cause,
            "amendment_id": version.amendment_id,
            "created_at": version.created_at,
        }

    @classmethod
    def of(cls, version) -> VersionSummary:
        return cls(**cls.fields_of(version))


class Version(VersionSummary):
    text: str

    @classmethod
    def of(cls, version) -> Version:
        return cls(**VersionSummary.fields_of(version), text=version.text)


# --- amendments -------------------------------------------------------------------------------


class AmendmentSummary(Answer):
    id: int
    number: int = Field(description="per declaration, never reused")
    label: str = Field(description="the citable number, e.g. A7")
    status: AmendmentStatus
    base_version: int = Field(description="the version its text is kept against")
    section: str | None = Field(description="the proposing section")
    competing_with: list[int]

    @classmethod
    def fields_of(cls, amendment, competing_with: list[int]) -> dict:
        return {
            "id": amendment.id,
            "number": amendment.number,
            "label": amendment.label,
            "status": amendment.status,
            "base_version": amendment.base_version.number,
            "section": amendment.section.name if amendment.section else None,
            "competing_with": competing_with,
        }

    @classmethod
    def of(cls, amendment, competing_with: list[int]) -> AmendmentSummary:
        return cls(**cls.fields_of(amendment, competing_with))


class Person(Answer):
    id: int
    name: str


class Amendment(AmendmentSummary):
    proposer: Person
    cosponsors: list[str] = Field(description="the co-sponsoring sections")
    rationale: str
    text: str = Field(description="the whole amended text")
    diff: list[DiffEntry] = Field(description="word-level diff against the base version")
    conflict: str | None
    superseded_by: int | None
    created_at: Timestamp
    updated_at: Timestamp

    @classmethod
    def of(cls, amendment, *, competing_with: list[int], diff) -> Amendment:
        return cls(
            **AmendmentSummary.fields_of(amendment, competing_with),
            proposer=Person(id=amendment.proposer.id, name=amendment.proposer.name),
            cosponsors=[c.section.name for c in amendment.cosponsors],
            rationale=amendment.rationale,
            text=amendment.text,
            diff=[(op, text) for op, text in diff],
            conflict=wording.conflict_message(amendment.conflict_reason),
            superseded_by=amendment.superseded_by_id,
            created_at=amendment.created_at,
            updated_at=amendment.updated_at,
        )


# --- votes ------------------------------------------------------------------------------------


class VoteCreated(Answer):
    vote_id: int


class BallotCounted(Answer):
    vote_id: int
    choice: Choice


class RollCallBallot(Answer):
    delegate: str
    choice: Choice


class SectionResult(Answer):
    name: str
    position: Position
    yes: int
    no: int
    abstain: int
    weight: int
    ballots: list[RollCallBallot] = Field(default=None, description="roll-call votes only")


class VoteResult(Answer):
    outcome: Outcome | None
    rule: Rule
    quorum: int | None
    quorum_met: bool | None
    sections: list[SectionResult]
    explanation: str | None
    # Known once the vote is closed:
    yes_weight: int = None
    no_weight: int = None
    voting_weight: int = None
    needed: int = None
    hash: str = Field(default=None, description="sha256 of the stored result")


class AmendmentSubject(Answer):
    type: Literal["amendment"]
    amendment_id: int
    label: str


class FinalSubject(Answer):
    type: Literal["final"]
    version: int


class Turnout(Answer):
    """By section (`voted`, `waiting`) for whom the live page promises it: the executive while the
    vote is open, everyone once it is closed (permissions.can_see_turnout_by_section). Anyone
    else gets only the counts."""

    voted: list[str] = None
    waiting: list[str] = None
    sections_voted: int = None
    sections_total: int = None


class Vote(Answer):
    id: int
    declaration_id: int
    state: VoteState
    mode: VoteMode
    subject: AmendmentSubject | FinalSubject = Field(discriminator="type")
    opened_at: Timestamp
    closes_at: Timestamp | None
    closed_at: Timestamp | None
    turnout: Turnout
    result: VoteResult

    @classmethod
    def of(cls, vote, user) -> Vote:
        """Nobody sees ballots while a vote is open, only turnout; after the close, positions per
        section, and each delegate's ballot only in a roll-call vote."""
        subject = (
            AmendmentSubject(
                type="amendment", amendment_id=vote.amendment_id, label=vote.amendment.label
            )
            if vote.amendment_id
            else FinalSubject(type="final", version=vote.version.number)
        )
        return cls(
            id=vote.id,
            declaration_id=vote.declaration_id,
            state=vote.state,
            mode=vote.mode,
            subject=subject,
            opened_at=vote.opened_at,
            closes_at=vote.closes_at,
            closed_at=vote.closed_at,
            turnout=turnout_of(vote, user),
            result=result_of_vote(vote),
        )


def turnout_of(vote, user) -> Turnout:
    progress = turnout(vote)
    if permissions.can_see_turnout_by_section(user, vote):
        return Turnout(voted=list(progress.voted), waiting=list(progress.waiting))
    return Turnout(
        sections_voted=len(progress.voted),
        sections_total=len(progress.voted) + len(progress.waiting),
    )


def result_of_vote(vote) -> VoteResult:
    result = result_of(vote)
    if result is None:
        return VoteResult(
            outcome=None,
            rule=vote.rule,
            quorum=vote.quorum,
            quorum_met=None,
            sections=[],
            explanation=None,
        )
    names = delegate_names(vote)
    sections = []
    for section in result.sections:
        entry = {
            "name": section.name,
            "position": section.position,
            "yes": section.yes,
            "no": section.no,
            "abstain": section.abstain,
            "weight": section.weight,
        }
        if vote.mode == VoteMode.ROLL_CALL:
            entry["ballots"] = [
                RollCallBallot(delegate=names.get(delegate_id, str(delegate_id)), choice=choice)
                for delegate_id, choice in section.ballots
            ]
        sections.append(SectionResult(**entry))
    return VoteResult(
        outcome=result.outcome,
        rule=result.rule,
        quorum=result.quorum,
        quorum_met=result.quorum_met,
        sections=sections,
        explanation=wording.vote_explanation(result),
        yes_weight=result.yes_weight,
        no_weight=result.no_weight,
        voting_weight=result.voting_weight,
        needed=result.needed,
        hash=vote.result_hash,
    )


# --- translations -----------------------------------------------------------------------------


class TranslationSummary(Answer):
    language: str = Field(description="ISO 639 code (BCP 47), e.g. tr, eo, pt-BR")
    version: int = Field(description="the version of the source it translates")
    status: Literal["current", "outdated"] = Field(
        description="current while it translates the current version"
    )
    updated_at: Timestamp

    @classmethod
    def fields_of(cls, state) -> dict:
        return {
            "language": state.language,
            "version": state.version.number,
            "status": state.status,
            "updated_at": state.revision.created_at,
        }

    @classmethod
    def of(cls, state) -> TranslationSummary:
        return cls(**cls.fields_of(state))


class SourceChange(Answer):
    paragraph: int = Field(
        description="its number in the current version (for a removed paragraph: the one now "
        "in its place)"
    )
    old_paragraph: int | None = Field(description="its number in the translated version")
    kind: ChangeKind
    diff: list[DiffEntry] = Field(description="word-level diff of the source paragraph")


class Translation(TranslationSummary):
    text: str = Field(description="Markdown, the same numbered paragraphs as its version")
    source_changes: list[SourceChange] = Field(
        description="empty when current; otherwise every source paragraph changed since `version`"
    )

    @classmethod
    def of(cls, state, source_changes) -> Translation:
        return cls(
            **TranslationSummary.fields_of(state),
            text=state.text,
            source_changes=[
                SourceChange(
                    paragraph=change.paragraph,
                    old_paragraph=change.old_paragraph,
                    kind=change.kind,
                    diff=[(op, text) for op, text in change.diff],
                )
                for change in source_changes
            ],
        )
