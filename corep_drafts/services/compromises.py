"""Compromises: several pending amendments merged into one, the merged ones superseded.

The executive makes a compromise at once. The proposers make one together: a proposer drafts
it, and it is made when every proposer of the merged amendments has agreed (if the drafter
proposed them all, at once). A draft lapses if any of its amendments stops being pending on the
current version before everyone agreed.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from corep_drafts import permissions
from corep_drafts.domain import text as engine
from corep_drafts.domain import workflow
from corep_drafts.domain.workflow import AmendmentStatus, CompromiseStatus, RevisionKind
from corep_drafts.extensions import db
from corep_drafts.models import Amendment, CompromiseConsent, CompromiseProposal, Cosponsorship
from corep_drafts.services import audit, notifications
from corep_drafts.services.amendments import (
    Placement,
    add_revision,
    check_rationale,
    check_text,
    store_placement,
)
from corep_drafts.services.declarations import get_visible_declaration, lock_declaration
from corep_drafts.services.errors import InvalidInput, NotAllowed, NotFound, StateConflict


def _chosen(declaration, amendment_ids) -> list[Amendment]:
    try:
        ids = sorted({int(i) for i in amendment_ids})
    except (TypeError, ValueError):
        raise InvalidInput(
            _("Choose amendments of this declaration."), field="amendments"
        ) from None
    merged = [a for a in declaration.amendments if a.id in ids]
    if len(ids) < 2 or len(merged) != len(ids):
        raise InvalidInput(
            _("Choose at least two amendments of this declaration."), field="amendments"
        )
    return merged


def _check_pending(declaration, merged) -> None:
    current = declaration.current_version
    for amendment in merged:
        if not workflow.is_ready(amendment.status, amendment.base_version_id == current.id):
            raise StateConflict(
                _(
                    "%(label)s is not a pending amendment on the current version.",
                    label=amendment.label,
                ),
                code="illegal_transition",
            )


def _compromise_text(declaration, merged, text: str | None) -> str:
    current = declaration.current_version
    if text:
        return check_text(current, text)
    result = engine.merge_compromise(current.text, {a.id: a.text for a in merged})
    if isinstance(result, engine.Conflict):
        first, second = (db.session.get(Amendment, key).label for key in result.pair)
        raise InvalidInput(
            _(
                "%(first)s and %(second)s compete; write the compromise text yourself.",
                first=first,
                second=second,
            ),
            field="text",
        )
    return result.text


def _make(declaration, merged, text: str, rationale: str, proposer, actor) -> Amendment:
    """The compromise amendment; the merged ones superseded. The caller commits."""
    current = declaration.current_version
    labels = ", ".join(a.label for a in merged)
    declaration.last_amendment_number += 1
    result = Amendment(
        declaration=declaration,
        number=declaration.last_amendment_number,
        proposer=proposer,
        section_id=proposer.section_id if permissions.speaks_for_section(proposer) else None,
        rationale=rationale or _("Compromise of %(labels)s.", labels=labels),
        status=AmendmentStatus.SUBMITTED,
    )
    db.session.add(result)
    store_placement(result, Placement(current, text))
    add_revision(result, RevisionKind.COMPROMISE, current, text, proposer)
    # The sections behind the merged amendments stand behind the compromise, by the same people.
    supporters = {}
    for amendment in merged:
        if amendment.section_id:
            supporters.setdefault(amendment.section_id, amendment.proposer)
        for cosponsorship in amendment.cosponsors:
            supporters.setdefault(cosponsorship.section_id, cosponsorship.user)
    supporters.pop(result.section_id, None)
    for section_id, supporter in sorted(supporters.items()):
        result.cosponsors.append(Cosponsorship(section_id=section_id, user=supporter))
    db.session.flush()
    for amendment in merged:
        amendment.status = workflow.transition_amendment(
            amendment.status, AmendmentStatus.SUPERSEDED
        )
        amendment.superseded_by = result
        audit.record(
            "amendment.superseded",
            amendment,
            actor=actor,
            declaration=declaration,
            from_state=AmendmentStatus.SUBMITTED,
            to_state=AmendmentStatus.SUPERSEDED,
            by=result.label,
        )
    audit.record(
        "amendment.compromise",
        result,
        actor=actor,
        declaration=declaration,
        to_state=AmendmentStatus.SUBMITTED,
        merges=labels,
    )
    notifications.amendments_superseded(merged, result)
    return result


def compromise(
    user, declaration_id: int, amendment_ids, text: str | None = None, rationale: str = ""
) -> Amendment:
    """The executive merges pending amendments into one at once.

    Without a text, the amendments must not compete and are merged exactly; with one (needed
    where they compete), it replaces them all.
    """
    declaration = get_visible_declaration(user, declaration_id)
    if not permissions.can_manage_declaration(user):
        raise NotAllowed(_("Only the executive may merge amendments into a compromise."))
    declaration = lock_declaration(declaration.id)
    merged = _chosen(declaration, amendment_ids)
    _check_pending(declaration, merged)
    text = _compromise_text(declaration, merged, text)
    result = _make(declaration, merged, text, check_rationale(rationale), user, user)
    db.session.commit()
    return result


def propose(
    user, declaration_id: int, amendment_ids, text: str | None = None, rationale: str = ""
) -> CompromiseProposal:
    """A proposer drafts a compromise of amendments including one of their own; it is made once
    every proposer of them agrees (at once, when the drafter proposed them all)."""
    declaration = get_visible_declaration(user, declaration_id)
    declaration = lock_declaration(declaration.id)
    merged = _chosen(declaration, amendment_ids)
    if not any(permissions.is_proposer(user, a) for a in merged):
        raise NotAllowed(_("A compromise you draft must include an amendment you proposed."))
    _check_pending(declaration, merged)
    text_or_none = text if text else None
    _compromise_text(declaration, merged, text_or_none)  # refuse now what could never be made
    proposal = CompromiseProposal(
        declaration_id=declaration.id,
        drafted_by=user,
        base_version=declaration.current_version,
        text=text_or_none,
        rationale=check_rationale(rationale),
        amendments=merged,
    )
    proposal.consents.append(CompromiseConsent(user=user))
    db.session.add(proposal)
    db.session.flush()
    audit.record(
        "compromise.drafted",
        proposal,
        actor=user,
        declaration=declaration,
        to_state=CompromiseStatus.PENDING,
        merges=", ".join(a.label for a in merged),
    )
    _make_if_everyone_agreed(declaration, proposal, user)
    db.session.commit()
    return proposal


def agree(user, proposal_id: int) -> CompromiseProposal:
    """A proposer of one of the merged amendments agrees to the drafted compromise."""
    proposal = db.session.get(CompromiseProposal, proposal_id)
    if proposal is None:
        raise NotFound(_("No such compromise."))
    declaration = get_visible_declaration(user, proposal.declaration_id)
    declaration = lock_declaration(declaration.id)
    proposal = db.session.get(CompromiseProposal, proposal_id)
    if user.id not in proposal.required:
        raise NotAllowed(
            _("Only the proposers of the merged amendments can agree to this compromise.")
        )
    if proposal.status != CompromiseStatus.PENDING:
        raise StateConflict(
            _("This compromise is no longer waiting for agreement."), code="illegal_transition"
        )
    if user.id not in proposal.agreed:
        proposal.consents.append(CompromiseConsent(user=user))
        db.session.flush()
        audit.record("compromise.agreed", proposal, actor=user, declaration=declaration)
    _make_if_everyone_agreed(declaration, proposal, user)
    db.session.commit()
    return proposal


def _make_if_everyone_agreed(declaration, proposal: CompromiseProposal, actor) -> None:
    if proposal.required - proposal.agreed:
        return
    pending = all(
        workflow.is_ready(a.status, a.base_version_id == declaration.current_version.id)
        for a in proposal.amendments
    )
    if not pending or proposal.base_version_id != declaration.current_version.id:
        proposal.status = CompromiseStatus.LAPSED
        audit.record(
            "compromise.lapsed",
            proposal,
            actor=actor,
            declaration=declaration,
            from_state=CompromiseStatus.PENDING,
            to_state=CompromiseStatus.LAPSED,
        )
        return
    text = _compromise_text(declaration, proposal.amendments, proposal.text)
    proposal.result = _make(
        declaration, proposal.amendments, text, proposal.rationale, proposal.drafted_by, actor
    )
    proposal.status = CompromiseStatus.MADE
    audit.record(
        "compromise.made",
        proposal,
        actor=actor,
        declaration=declaration,
        from_state=CompromiseStatus.PENDING,
        to_state=CompromiseStatus.MADE,
        amendment=proposal.result.label,
    )


def waiting_for(amendment_id: int) -> list[CompromiseProposal]:
    """The drafted compromises that would merge this amendment and still wait for agreement."""
    return list(
        db.session.scalars(
            select(CompromiseProposal).where(
                CompromiseProposal.status == CompromiseStatus.PENDING,
                CompromiseProposal.amendments.any(Amendment.id == amendment_id),
            )
        )
    )


def text_of(proposal: CompromiseProposal) -> str | None:
    """The text the drafted compromise would give, or None if it can no longer be made."""
    declaration = proposal.amendments[0].declaration if proposal.amendments else None
    if declaration is None or proposal.base_version_id != declaration.current_version.id:
        return None
    try:
        return _compromise_text(declaration, proposal.amendments, proposal.text)
    except InvalidInput:
        return None
