"""The life cycles of declarations, amendments and votes, as explicit state machines.

The allowed transitions are data (the ``*_TRANSITIONS`` mappings), so the pages, the API and the
tests all read the same graph. Every ``transition_*`` function returns the target state or raises
IllegalTransition; none of them stores anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from corep_drafts.domain.errors import AdoptionNeedsFinalVote, DomainError, IllegalTransition


class DeclarationStatus(StrEnum):
    DRAFT = "draft"
    AMENDING = "amending"
    VOTING = "voting"
    ADOPTED = "adopted"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class AmendmentStatus(StrEnum):
    SUBMITTED = "submitted"
    CONFLICTED = "conflicted"
    WITHDRAWN = "withdrawn"
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class VoteState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class VoteKind(StrEnum):
    AMENDMENT = "amendment"
    FINAL = "final"


class VoteMode(StrEnum):
    SECRET = "secret"  # positions per section only
    ROLL_CALL = "roll_call"  # each delegate's ballot too


class VersionCause(StrEnum):
    INITIAL = "initial"
    EDITORIAL = "editorial"
    AMENDMENT = "amendment"
    FINAL = "final"


class RevisionKind(StrEnum):
    PROPOSED = "proposed"
    REVISED = "revised"
    REBASED = "rebased"
    CONFLICTED = "conflicted"
    COMPROMISE = "compromise"


class CompromiseStatus(StrEnum):
    PENDING = "pending"  # waiting for the other proposers to agree
    MADE = "made"
    LAPSED = "lapsed"


# --- the sets the pages and services mean, each named once ------------------------------------

# Waiting for its vote, and still the proposer's to revise or withdraw; open to co-sponsors.
PENDING: frozenset[AmendmentStatus] = frozenset(
    {AmendmentStatus.SUBMITTED, AmendmentStatus.CONFLICTED}
)
# No outcome yet: what the draft page counts as the amendments still in the round.
UNDECIDED: frozenset[AmendmentStatus] = PENDING | {AmendmentStatus.VOTING}
# Standing on the text as it is (when based on the current version): such amendments compete
# with each other, and an adoption carries them onto the new version. A conflicted one waits
# for its proposer on an older version.
ON_THE_TABLE: frozenset[AmendmentStatus] = frozenset(
    {AmendmentStatus.SUBMITTED, AmendmentStatus.VOTING}
)
# A declaration being drafted: the draft page, with its amendments.
DRAFTING: frozenset[DeclarationStatus] = frozenset(
    {DeclarationStatus.DRAFT, DeclarationStatus.AMENDING, DeclarationStatus.VOTING}
)
# A declaration whose text was decided: it has a record to read.
DECIDED: frozenset[DeclarationStatus] = frozenset(
    {DeclarationStatus.ADOPTED, DeclarationStatus.PUBLISHED}
)
# When amendments are put to the vote one by one.
AMENDMENT_VOTING: frozenset[DeclarationStatus] = frozenset(
    {DeclarationStatus.AMENDING, DeclarationStatus.VOTING}
)
# When the amendment deadline may still be set.
BEFORE_THE_VOTE: frozenset[DeclarationStatus] = frozenset(
    {DeclarationStatus.DRAFT, DeclarationStatus.AMENDING}
)


DECLARATION_TRANSITIONS: Mapping[DeclarationStatus, frozenset[DeclarationStatus]] = (
    MappingProxyType(
        {
            DeclarationStatus.DRAFT: frozenset(
                {DeclarationStatus.AMENDING, DeclarationStatus.WITHDRAWN}
            ),
            DeclarationStatus.AMENDING: frozenset(
                {DeclarationStatus.VOTING, DeclarationStatus.WITHDRAWN}
            ),
            DeclarationStatus.VOTING: frozenset(
                {DeclarationStatus.ADOPTED, DeclarationStatus.WITHDRAWN}
            ),
            # Once adopted, the text is the organization's decision: it can be published but no
            # longer withdrawn.
            DeclarationStatus.ADOPTED: frozenset({DeclarationStatus.PUBLISHED}),
            DeclarationStatus.PUBLISHED: frozenset(),
            DeclarationStatus.WITHDRAWN: frozenset(),
        }
    )
)

# The executive moves a declaration by hand to any of these; 'adopted' is missing on purpose,
# because only a final vote that passes may adopt a text.
MANUAL_DECLARATION_TARGETS: frozenset[DeclarationStatus] = frozenset(
    {
        DeclarationStatus.AMENDING,
        DeclarationStatus.VOTING,
        DeclarationStatus.PUBLISHED,
        DeclarationStatus.WITHDRAWN,
    }
)

AMENDMENT_TRANSITIONS: Mapping[AmendmentStatus, frozenset[AmendmentStatus]] = MappingProxyType(
    {
        AmendmentStatus.SUBMITTED: frozenset(
            {
                AmendmentStatus.WITHDRAWN,
                AmendmentStatus.VOTING,
                AmendmentStatus.CONFLICTED,
                AmendmentStatus.SUPERSEDED,
            }
        ),
        # Design choice: a proposer may always withdraw an amendment before its vote opens, so a
        # conflicted amendment can be withdrawn as well as revised back to 'submitted'.
        AmendmentStatus.CONFLICTED: frozenset(
            {AmendmentStatus.SUBMITTED, AmendmentStatus.WITHDRAWN}
        ),
        AmendmentStatus.VOTING: frozenset({AmendmentStatus.ADOPTED, AmendmentStatus.REJECTED}),
        AmendmentStatus.WITHDRAWN: frozenset(),
        AmendmentStatus.ADOPTED: frozenset(),
        AmendmentStatus.REJECTED: frozenset(),
        AmendmentStatus.SUPERSEDED: frozenset(),
    }
)

VOTE_TRANSITIONS: Mapping[VoteState, frozenset[VoteState]] = MappingProxyType(
    {VoteState.OPEN: frozenset({VoteState.CLOSED}), VoteState.CLOSED: frozenset()}
)

_State = TypeVar("_State", DeclarationStatus, AmendmentStatus, VoteState)


def transition_declaration(
    current: DeclarationStatus | str, target: DeclarationStatus | str
) -> DeclarationStatus:
    """Return ``target`` if a declaration may move there from ``current``, else raise.

    This is the whole graph, 'adopted' included: the service that closes a passing final vote
    calls it. Requests from people go through ``transition_declaration_manually``.
    """
    return _transition("declaration", DECLARATION_TRANSITIONS, DeclarationStatus, current, target)


def transition_declaration_manually(
    current: DeclarationStatus | str, target: DeclarationStatus | str
) -> DeclarationStatus:
    """Return ``target`` if the executive may move a declaration there by hand, else raise.

    Raises AdoptionNeedsFinalVote for 'adopted' whatever the current state, and IllegalTransition
    naming only the manual targets otherwise.
    """
    current = _parse("declaration", DeclarationStatus, current)
    target = _parse("declaration", DeclarationStatus, target)
    if target is DeclarationStatus.ADOPTED:
        raise AdoptionNeedsFinalVote(current)
    allowed = manual_declaration_targets(current)
    if target not in allowed:
        raise IllegalTransition("declaration", current, target, allowed)
    return target


def manual_declaration_targets(current: DeclarationStatus | str) -> tuple[DeclarationStatus, ...]:
    """The states the executive may move a declaration to by hand from ``current``, in life-cycle
    order (what a page offers as buttons)."""
    current = _parse("declaration", DeclarationStatus, current)
    return _in_declared_order(
        DeclarationStatus, DECLARATION_TRANSITIONS[current] & MANUAL_DECLARATION_TARGETS
    )


def transition_amendment(
    current: AmendmentStatus | str, target: AmendmentStatus | str
) -> AmendmentStatus:
    """Return ``target`` if an amendment may move there from ``current``, else raise."""
    return _transition("amendment", AMENDMENT_TRANSITIONS, AmendmentStatus, current, target)


def transition_vote(current: VoteState | str, target: VoteState | str) -> VoteState:
    """Return ``target`` if a vote may move there from ``current``, else raise."""
    return _transition("vote", VOTE_TRANSITIONS, VoteState, current, target)


def require_amendment_period_open(
    status: DeclarationStatus | str, deadline: datetime | None, now: datetime
) -> None:
    """Raise DomainError unless a declaration accepts a new amendment at ``now``.

    Returns nothing: it is a guard, called for its refusal. The deadline itself is the last
    accepted instant; an amendment is refused only strictly after it. Both datetimes must be
    timezone-aware, because comparing local times across the sections' time zones would move the
    deadline by hours.
    """
    _require_aware("now", now)
    if deadline is not None:
        _require_aware("deadline", deadline)
    status = _parse("declaration", DeclarationStatus, status)
    if status is not DeclarationStatus.AMENDING:
        raise DomainError(
            f"New amendments are accepted only during the amendment period; "
            f"the declaration is in state '{status}'.",
            code="amendment_period_closed",
            params={"status": str(status)},
        )
    if deadline is not None and now > deadline:
        raise DomainError(
            f"The amendment deadline passed at {deadline.isoformat()}; new amendments are refused.",
            code="deadline_passed",
            params={"deadline": deadline.isoformat(), "now": now.isoformat()},
        )


def can_edit_text(status: DeclarationStatus | str) -> bool:
    """Whether the executive may still edit the text directly (only before amending starts,
    because afterwards every change must go through an amendment and a vote)."""
    return _parse("declaration", DeclarationStatus, status) is DeclarationStatus.DRAFT


def is_pending(status: AmendmentStatus | str) -> bool:
    """Whether an amendment waits for its vote and its proposer may still revise or withdraw it
    (see :data:`PENDING`)."""
    return _parse("amendment", AmendmentStatus, status) in PENDING


def is_undecided(status: AmendmentStatus | str) -> bool:
    return _parse("amendment", AmendmentStatus, status) in UNDECIDED


def is_on_the_table(status: AmendmentStatus | str, on_current_version: bool) -> bool:
    """Whether an amendment stands on the current text: it competes, and an adoption carries it."""
    return on_current_version and _parse("amendment", AmendmentStatus, status) in ON_THE_TABLE


def is_ready(status: AmendmentStatus | str, on_current_version: bool) -> bool:
    """Whether an amendment may be put to the vote or merged into a compromise: submitted, on the
    current version (a conflicted one must be revised first)."""
    return (
        on_current_version
        and _parse("amendment", AmendmentStatus, status) is AmendmentStatus.SUBMITTED
    )


def holds_amendment_votes(status: DeclarationStatus | str) -> bool:
    return _parse("declaration", DeclarationStatus, status) in AMENDMENT_VOTING


def may_put_to_vote(
    status: AmendmentStatus | str,
    on_current_version: bool,
    declaration_status: DeclarationStatus | str,
) -> bool:
    """The one rule for opening the vote on an amendment (see :func:`is_ready`)."""
    return is_ready(status, on_current_version) and holds_amendment_votes(declaration_status)


def is_drafting(status: DeclarationStatus | str) -> bool:
    return _parse("declaration", DeclarationStatus, status) in DRAFTING


def is_decided(status: DeclarationStatus | str) -> bool:
    """Whether a declaration was adopted (published or not): it has a record to read."""
    return _parse("declaration", DeclarationStatus, status) in DECIDED


def _transition(
    kind: str,
    graph: Mapping[_State, frozenset[_State]],
    states: type[_State],
    current: _State | str,
    target: _State | str,
) -> _State:
    current = _parse(kind, states, current)
    target = _parse(kind, states, target)
    if target not in graph[current]:
        raise IllegalTransition(kind, current, target, _in_declared_order(states, graph[current]))
    return target


def _parse(kind: str, states: type[_State], value: _State | str) -> _State:
    try:
        return states(value)
    except ValueError:
        known = ", ".join(states)
        raise DomainError(
            f"'{value}' is not a {kind} state; known states: {known}.",
            code="unknown_state",
            params={"kind": kind, "value": str(value), "known": [str(state) for state in states]},
        ) from None


def _in_declared_order(states: type[_State], subset: frozenset[_State]) -> tuple[_State, ...]:
    # Sets have no stable order; messages and buttons must not change from run to run.
    return tuple(state for state in states if state in subset)


def _require_aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}")
