"""The audit trail: every state change, appended in the same transaction as the change."""
from __future__ import annotations

import json

from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent


def record(action: str, obj, *, actor=None, declaration=None, from_state=None, to_state=None, **details) -> None:
    """Append an event for `obj`; the caller's commit makes it permanent with the change itself."""
    db.session.add(AuditEvent(
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        declaration_id=declaration.id if declaration is not None else None,
        actor_id=actor.id if actor is not None else None,
        from_state=str(from_state) if from_state is not None else None,
        to_state=str(to_state) if to_state is not None else None,
        details=json.dumps(details, sort_keys=True, ensure_ascii=False, default=str) if details else "",
    ))
