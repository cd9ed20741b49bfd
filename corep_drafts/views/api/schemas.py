"""JSON shapes of the API's answers, apart from the models."""
from corep_drafts.models import Declaration, Version


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
        "conflict": amendment.conflict_reason,
        "superseded_by": amendment.superseded_by_id,
        "created_at": isoformat(amendment.created_at),
        "updated_at": isoformat(amendment.updated_at),
    }
