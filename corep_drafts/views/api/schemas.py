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
        "amendment_id": None,
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
        "current_version": {"number": current.number, "text": current.text, "hash": current.hash},
    }
