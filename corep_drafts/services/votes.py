"""Votes: the executive opens and closes them, delegates cast ballots for their section, and a
close that adopts an amendment writes the new version and carries the rest, in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from corep_drafts import live_updates, permissions
from corep_drafts.domain import tally as tally_rules
from corep_drafts.domain import workflow
from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.workflow import (
    AmendmentStatus,
    DeclarationStatus,
    VersionCause,
    VoteKind,
    VoteMode,
    VoteState,
)
from corep_drafts.extensions import db
from corep_drafts.i18n import AMENDMENT_STATUS_LABELS, label
from corep_drafts.models import Amendment, Ballot, Section, User, Vote
from corep_drafts.models.base import utcnow
from corep_drafts.models.votes import CHOICES, VOTE_MODES
from corep_drafts.services import amendments as amendment_service
from corep_drafts.services import audit, input_checks, notifications
from corep_drafts.services.ballot_rows import store_ballot
from corep_drafts.services.declarations import (
    add_version,
    get_visible_declaration,
    lock_declaration,
    require_executive,
)
from corep_drafts.services.errors import InvalidInput, NotAllowed, NotFound, StateConflict
from corep_drafts.services.rows import lock_row


def _check_opening(mode: str, closes_at: datetime | None, now: datetime) -> None:
    if mode not in VOTE_MODES:
        raise InvalidInput(_("A vote is secret (per section) or roll-call."), field="mode")
    if closes_at is not None:
        if closes_at.tzinfo is None:
            raise InvalidInput(_("The closing time needs a time zone."), field="closes_at")
        input_checks.moment(closes_at, "closes_at")
        if closes_at <= now:
            raise InvalidInput(_("The closing time is already past."), field="closes_at")


def open_votes_of(declaration_id: int) -> list[Vote]:
    return list(
        db.session.scalars(
            select(Vote).where(Vote.declaration_id == declaration_id, Vote.state == VoteState.OPEN)
        )
    )


def open_amendment_vote(
    user, amendment_id: int, *, mode: str = VoteMode.SECRET, closes_at=None
) -> Vote:
    amendment = amendment_service.get_visible_amendment(user, amendment_id)
    require_executive(user, _("Only the executive opens and closes votes."))
    now = utcnow()
    _check_opening(mode, closes_at, now)
    declaration = lock_declaration(amendment.declaration_id)
    amendment = amendment_service.get_visible_amendment(user, amendment_id)
    if not workflow.holds_amendment_votes(declaration.status):
        raise StateConflict(
            _(
                "Votes on amendments are held while the declaration is open for "
                "amendments or voting."
            ),
            code="illegal_transition",
        )
    if not workflow.is_ready(
        amendment.status, amendment.base_version_id == declaration.current_version.id
    ):
        raise StateConflict(
            _(
                "%(label)s cannot be put to the vote: its status is “%(status)s”.",
                label=amendment.label,
                status=label(AMENDMENT_STATUS_LABELS, amendment.status),
            ),
            code="illegal_transition",
        )
    open_votes = open_votes_of(declaration.id)
    rivals = set(amendment_service.competing_with(amendment))
    for vote in open_votes:
        if vote.kind == VoteKind.FINAL:
            raise StateConflict(_("The final vote is open."), code="final_vote_open")
        if vote.amendment_id in rivals:
            raise StateConflict(
                _(
                    "%(label)s competes with %(other)s, whose vote is open: competing amendments "
                    "are voted "
                    "one after the other.",
                    label=amendment.label,
                    other=vote.amendment.label,
                ),
                code="competing_vote_open",
            )
    amendment.status = str(workflow.transition_amendment(amendment.status, AmendmentStatus.VOTING))
    return _open(user, declaration, amendment, mode, closes_at)


def open_final_vote(
    user, declaration_id: int, *, mode: str = VoteMode.SECRET, closes_at=None
) -> Vote:
    get_visible_declaration(user, declaration_id)
    require_executive(user, _("Only the executive opens and closes votes."))
    _check_opening(mode, closes_at, utcnow())
    declaration = lock_declaration(declaration_id)
    if declaration.status != DeclarationStatus.VOTING:
        raise StateConflict(
            _("The final vote is held when the declaration is in the voting stage."),
            code="illegal_transition",
        )
    if open_votes_of(declaration.id):
        raise StateConflict(
            _("Close the open votes first: the final vote is on the finished text."),
            code="vote_open",
        )
    return _open(user, declaration, None, mode, closes_at)


def _open(user, declaration, amendment, mode: str, closes_at) -> Vote:
    """Open a vote on the current version: on ``amendment``, or the final vote (None). The rule
    and quorum in force are copied into it, so a later change cannot alter it."""
    kind = VoteKind.AMENDMENT if amendment is not None else VoteKind.FINAL
    vote = Vote(
        declaration=declaration,
        amendment=amendment,
        kind=kind,
        mode=mode,
        rule=declaration.rule,
        quorum=declaration.quorum,
        version=declaration.current_version,
        opened_by=user,
        closes_at=closes_at,
    )
    db.session.add(vote)
    db.session.flush()
    subject = {"amendment": amendment.label} if amendment is not None else {"kind": kind}
    audit.record(
        "vote.opened",
        vote,
        actor=user,
        declaration=declaration,
        to_state=VoteState.OPEN,
        mode=mode,
        **subject,
    )
    notifications.vote_opened(vote)
    db.session.commit()
    return vote


# --- reading ----------------------------------------------------------------------------------


def is_due(vote: Vote, now: datetime | None = None) -> bool:
    return (
        vote.state == VoteState.OPEN
        and vote.closes_at is not None
        and (now or utcnow()) >= vote.closes_at
    )


def get_visible_vote(user, vote_id: int) -> Vote:
    """The vote; one whose closing time has passed is closed now, whoever asks first."""
    vote = db.session.get(Vote, vote_id)
    if vote is None or not permissions.can_read_amendments(user, vote.declaration):
        raise NotFound(_("No such vote."))
    if is_due(vote):
        close_vote(None, vote.id)
        vote = db.session.get(Vote, vote_id)
    return vote


@dataclass(frozen=True)
class Turnout:
    voted: tuple[str, ...]
    waiting: tuple[str, ...]

    @property
    def summary(self) -> str:
        total = len(self.voted) + len(self.waiting)
        return ngettext(
            "%(num)d of %(total)d sections has voted",
            "%(num)d of %(total)d sections have voted",
            len(self.voted),
            total=total,
        )


def turnout(vote: Vote) -> Turnout:
    sections = sorted(s.name for s in db.session.scalars(select(Section)))
    # The sections, not the ballots: every live page reads this after each ballot.
    voted = set(
        db.session.scalars(
            select(Section.name)
            .join(Ballot, Ballot.section_id == Section.id)
            .where(Ballot.vote_id == vote.id)
            .distinct()
        )
    )
    return Turnout(
        tuple(s for s in sections if s in voted), tuple(s for s in sections if s not in voted)
    )


def delegate_names(vote: Vote) -> dict[int, str]:
    """The name of each delegate who voted, by id, in one query (not one per ballot)."""
    rows = db.session.execute(
        select(Ballot.delegate_id, User.name)
        .join(User, User.id == Ballot.delegate_id)
        .where(Ballot.vote_id == vote.id)
    )
    return {delegate_id: name for delegate_id, name in rows}


def own_ballot(user, vote: Vote) -> Ballot | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return next((b for b in vote.ballots if b.delegate_id == user.id), None)


def result_of(vote: Vote) -> tally_rules.Result | None:
    return tally_rules.Result.from_dict(json.loads(vote.result_json)) if vote.result_json else None


# --- ballots ----------------------------------------------------------------------------------


def cast_ballot(user, vote_id: int, choice: str) -> bool:
    """Record or change the delegate's ballot; returns whether it is new (first in this vote)."""
    if not permissions.can_vote(user):
        raise NotAllowed(_("Only delegates vote, each for their own section."))
    if choice not in CHOICES:
        raise InvalidInput(_("A ballot is yes, no or abstain."), field="choice")
    # The vote is not read first: the one statement that stores the ballot checks that it may
    # be (see store_ballot), and only a refusal reads the vote, to say why.
    stored = store_ballot(
        vote_id,
        user.id,
        user.section_id,
        choice,
        utcnow(),
        permissions.amendment_readable_states(user),
    )
    if stored is None:
        db.session.rollback()
        get_visible_vote(user, vote_id)  # no such vote (for them): 404; one now due is closed
        raise StateConflict(
            _("This vote is closed; the ballot was not counted."), code="vote_closed"
        )
    if (stored.created or stored.changed) and not stored.announced:
        live_updates.announce(vote_id)
    db.session.commit()
    return stored.created


# --- closing ----------------------------------------------------------------------------------


def _lock_vote(vote_id: int) -> Vote:
    """Lock the vote for its close: the lock waits for the ballots in progress (they hold the
    vote FOR SHARE) and makes later ones wait for the close (services/ballot_rows.py)."""
    vote = lock_row(Vote, vote_id)
    if vote is None:
        raise NotFound(_("No such vote."))
    return vote


def canonical_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def compute_result(vote: Vote) -> tally_rules.Result:
    sections = [
        tally_rules.SectionInfo(s.name, s.weight) for s in db.session.scalars(select(Section))
    ]
    ballots = [tally_rules.Ballot(b.delegate_id, b.section.name, b.choice) for b in vote.ballots]
    return tally_rules.tally(ballots, sections, vote.rule, quorum=vote.quorum)


def close_vote(user, vote_id: int) -> Vote:
    """Close in one transaction: tally, snapshot, and on adoption the new version and the
    carrying of every other pending amendment. Any failure leaves everything as it was."""
    if user is not None:
        require_executive(user, _("Only the executive opens and closes votes."))
    try:
        return _close(user, vote_id)
    except BaseException:
        db.session.rollback()
        raise


def _close(user, vote_id: int) -> Vote:
    vote = db.session.get(Vote, vote_id)
    if vote is None:
        raise NotFound(_("No such vote."))
    declaration = lock_declaration(vote.declaration_id)
    vote = _lock_vote(vote_id)
    if vote.state != VoteState.OPEN:
        raise StateConflict(_("This vote is already closed."), code="vote_closed")
    result = compute_result(vote)
    vote.state = str(workflow.transition_vote(vote.state, VoteState.CLOSED))
    vote.closed_at, vote.closed_by = utcnow(), user
    vote.outcome = str(result.outcome)
    vote.result_json = canonical_json(result.to_dict())
    vote.result_hash = hashlib.sha256(vote.result_json.encode("utf-8")).hexdigest()
    audit.record(
        "vote.closed",
        vote,
        actor=user,
        declaration=declaration,
        from_state=VoteState.OPEN,
        to_state=VoteState.CLOSED,
        outcome=vote.outcome,
        result_hash=vote.result_hash,
    )
    if vote.kind == VoteKind.AMENDMENT:
        _settle_amendment(vote, result.adopted, user)
    elif result.adopted:
        previous = declaration.status
        declaration.status = str(
            workflow.transition_declaration(previous, DeclarationStatus.ADOPTED)
        )
        audit.record(
            "declaration.adopted",
            declaration,
            actor=user,
            declaration=declaration,
            from_state=previous,
            to_state=declaration.status,
            version=vote.version.number,
        )
    notifications.vote_closed(vote)
    live_updates.announce(vote.id)
    db.session.commit()
    return vote


def _settle_amendment(vote: Vote, adopted: bool, user) -> None:
    amendment, declaration = vote.amendment, vote.declaration
    if not adopted:
        amendment.status = str(
            workflow.transition_amendment(amendment.status, AmendmentStatus.REJECTED)
        )
        audit.record(
            "amendment.rejected",
            amendment,
            actor=user,
            declaration=declaration,
            from_state=AmendmentStatus.VOTING,
            to_state=amendment.status,
        )
        notifications.amendment_decided(amendment, vote)
        return
    if amendment.base_version_id != declaration.current_version.id:
        raise StateConflict(
            _("%(label)s is not based on the current version.", label=amendment.label),
            code="stale_amendment",
        )
    version = add_version(
        declaration, amendment.text, VersionCause.AMENDMENT, author=user, amendment=amendment
    )
    amendment.status = str(workflow.transition_amendment(amendment.status, AmendmentStatus.ADOPTED))
    db.session.flush()
    audit.record(
        "amendment.adopted",
        amendment,
        actor=user,
        declaration=declaration,
        from_state=AmendmentStatus.VOTING,
        to_state=amendment.status,
        version=version.number,
    )
    notifications.amendment_decided(amendment, vote)
    others = db.session.scalars(
        select(Amendment)
        .where(
            Amendment.declaration_id == declaration.id,
            Amendment.base_version_id == amendment.base_version_id,
            Amendment.status.in_([str(status) for status in workflow.ON_THE_TABLE]),
            Amendment.id != amendment.id,
        )
        .order_by(Amendment.number)
    ).all()
    try:
        amendment_service.carry_all(others, version, actor=user)
    except DomainError as error:
        # Votes on competing amendments are never open together, so this means the data broke
        # that rule: refuse the whole close rather than half-adopt.
        raise StateConflict(
            _("An amendment still being voted on cannot be carried onto the adopted text."),
            code="competing_vote_open",
        ) from error


def close_due_votes() -> list[Vote]:
    """Close every open vote whose closing time has passed (cron: `flask votes close-due`)."""
    now = utcnow()
    due = db.session.scalars(
        select(Vote.id).where(Vote.state == VoteState.OPEN, Vote.closes_at <= now)
    ).all()
    closed = []
    for vote_id in due:
        try:
            closed.append(close_vote(None, vote_id))
        except StateConflict:
            continue  # closed meanwhile by someone else
    return closed


def votes_of(declaration_id: int) -> list[Vote]:
    return list(
        db.session.scalars(
            select(Vote)
            .where(Vote.declaration_id == declaration_id)
            .order_by(Vote.opened_at.desc(), Vote.id.desc())
        )
    )


def votes_on(amendment_id: int) -> list[Vote]:
    """The votes held on an amendment, newest first (at most one is open)."""
    return list(
        db.session.scalars(
            select(Vote).where(Vote.amendment_id == amendment_id).order_by(Vote.id.desc())
        )
    )
