"""JSON shapes of the API's answers, apart from the models."""

from corep_drafts import wording
from corep_drafts.models import Declaration, Version
from corep_drafts.services.votes import result_of, turnout


def isoformat(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def declaration_summary(declaration: Declaration) -> dict:
    return {"id": declaration.id, "title": declaration.title, "status": declaration.status}


def version_summary(version: Version) -> dict:
    return {
        "number": version.number,
        "hash": version.hash,
        "prev_hash": version.prev_hash,
        "cause": version.cause,
        "amendment_id": version.amendment_id,
        "created_at": isoformat(version.created_at),
    }


def version_with_text(version: Version) -> dict:
    return {**version_summary(version), "text": version.text}


def declaration_detail(declaration: Declaration) -> dict:
    current = declaration.current_version
    return {
        **declaration_summary(declaration),
        "rule": declaration.rule,
        "quorum": declaration.quorum,
        "language": declaration.language,
        "amendment_deadline": isoformat(declaration.amendment_deadline),
        "current_version": {"number": current.number, "text": current.text, "hash": current.hash},
    }


def amendment_summary(amendment, competing_with: list[int]) -> dict:
    return {
        "id": amendment.id,
        "number": amendment.number,
        "label": amendment.label,
        "status": amendment.status,
        "base_version": amendment.base_version.number,
        "section": amendment.section.name if amendment.section else None,
        "competing_with": competing_with,
    }


def amendment_detail(amendment, *, competing_with: list[int], diff) -> dict:
    return {
        **amendment_summary(amendment, competing_with),
        "proposer": {"id": amendment.proposer.id, "name": amendment.proposer.name},
        "cosponsors": [c.section.name for c in amendment.cosponsors],
        "rationale": amendment.rationale,
        "text": amendment.text,
        "diff": [[op, text] for op, text in diff],
        "conflict": wording.conflict_message(amendment.conflict_reason),
        "superseded_by": amendment.superseded_by_id,
        "created_at": isoformat(amendment.created_at),
        "updated_at": isoformat(amendment.updated_at),
    }


def vote_detail(vote, user) -> dict:
    """Nobody sees ballots while a vote is open, only turnout; after the close, positions per
    section, and each delegate's ballot only in a roll-call vote."""
    result = result_of(vote)
    progress = turnout(vote)
    subject = (
        {"type": "amendment", "amendment_id": vote.amendment_id, "label": vote.amendment.label}
        if vote.amendment_id
        else {"type": "final", "version": vote.version.number}
    )
    body = {
        "id": vote.id,
        "declaration_id": vote.declaration_id,
        "state": vote.state,
        "mode": vote.mode,
        "subject": subject,
        "opened_at": isoformat(vote.opened_at),
        "closes_at": isoformat(vote.closes_at),
        "closed_at": isoformat(vote.closed_at),
        "turnout": {"voted": list(progress.voted), "waiting": list(progress.waiting)},
    }
    if result is None:
        body["result"] = {
            "outcome": None,
            "rule": vote.rule,
            "quorum": vote.quorum,
            "quorum_met": None,
            "sections": [],
            "explanation": None,
        }
        return body
    sections = []
    for section in result.sections:
        entry = {
            "name": section.name,
            "position": str(section.position),
            "yes": section.yes,
            "no": section.no,
            "abstain": section.abstain,
            "weight": section.weight,
        }
        if vote.mode == "roll_call":
            names = {b.delegate_id: b.delegate.name for b in vote.ballots}
            entry["ballots"] = [
                {"delegate": names.get(delegate_id, str(delegate_id)), "choice": str(choice)}
                for delegate_id, choice in section.ballots
            ]
        sections.append(entry)
    body["result"] = {
        "outcome": str(result.outcome),
        "rule": str(result.rule),
        "quorum": result.quorum,
        "quorum_met": result.quorum_met,
        "sections": sections,
        "explanation": wording.vote_explanation(result),
        "yes_weight": result.yes_weight,
        "no_weight": result.no_weight,
        "voting_weight": result.voting_weight,
        "needed": result.needed,
        "hash": vote.result_hash,
    }
    return body


def translation_summary(state) -> dict:
    return {
        "language": state.language,
        "version": state.version.number,
        "status": state.status,
        "updated_at": isoformat(state.revision.created_at),
    }


def translation_detail(state, source_changes) -> dict:
    return {
        **translation_summary(state),
        "text": state.text,
        "source_changes": [
            {
                "paragraph": change.paragraph,
                "old_paragraph": change.old_paragraph,
                "kind": change.kind,
                "diff": [[op, text] for op, text in change.diff],
            }
            for change in source_changes
        ],
    }
