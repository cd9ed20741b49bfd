"""The API's request bodies (CONTRACT.md), one model each: the check and the document both.

Fields not named here are ignored, never taken: a body carrying `role`, `section`, `status` or
`proposer` changes none of them (mass assignment is impossible because nothing reads them). The
state a declaration moves to (`to`) is a checked choice, not an assignment of `status`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from corep_drafts.domain.tally import Choice
from corep_drafts.domain.workflow import MANUAL_DECLARATION_TARGETS, DeclarationStatus, VoteMode
from corep_drafts.views.api.fields import Moment, Text, VersionNumber

# The states the executive may move a declaration to by hand, in life-cycle order. `to` is checked
# by the service (422 for an unknown state, 409 for one not reachable now), so the document lists
# the choices and the service's refusal stays the one that names the state.
MANUAL_TARGETS = tuple(str(s) for s in DeclarationStatus if s in MANUAL_DECLARATION_TARGETS)


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class TransitionInput(Body):
    to: str = Field(
        json_schema_extra={"enum": list(MANUAL_TARGETS)},
        description="adopted is reached only by a final vote that passes",
    )


class AmendmentInput(Body):
    base_version: VersionNumber = Field(description="any version of this declaration")
    text: Text = Field(description="the whole amended text")
    rationale: Text | None = None


class VoteOpening(Body):
    mode: VoteMode = Field(
        default=VoteMode.SECRET,
        description="secret: positions per section only; roll_call: each delegate's ballot too",
    )
    closes_at: Moment | None = Field(
        default=None, description="the vote counts as closed from this moment on"
    )


class BallotInput(Body):
    choice: Choice


class TranslationInput(Body):
    version: VersionNumber = Field(description="the version of the source translated")
    text: Text = Field(description="its paragraphs aligned one for one with the version's")
