"""What an amendment keeps about its change on its base: its word edits (JSON, since migration
0006), a patch, and the touched range the competition query looks in."""

from __future__ import annotations

import json

from corep_drafts.domain import text as engine
from corep_drafts.domain.text.clusters import clusters_of
from corep_drafts.models import Amendment, AmendmentRange


def edits_of(amendment: Amendment) -> tuple[engine.Edit, ...]:
    """The amendment's edits on its base: as stored when it was placed (migration 0006), or
    diffed again for one placed before edits were stored."""
    return stored_edits(amendment) or engine.edits_between(
        amendment.base_version.text, amendment.text
    )


def placement_columns(base: str, edits: tuple[engine.Edit, ...]) -> dict:
    """What an amendment keeps about its edits on its base: a patch, the edits (JSON) and
    their touched range (in which :func:`~.amendments.competing_with` looks for rivals)."""
    hull = engine.touched_range(edits)
    return {
        "patch": engine.patch_from_edits(base, edits),
        "edits": json.dumps(
            [[e.start, e.end, e.replacement, e.reach, *(e.words or (None, None))] for e in edits],
            ensure_ascii=False,
        ),
        "touched_start": hull[0] if hull else None,
        "touched_end": hull[1] if hull else None,
        "conflict_reason": None,
    }


def stored_edits(amendment: Amendment) -> tuple[engine.Edit, ...] | None:
    """The amendment's edits on its base as stored when it was placed (None if not stored)."""
    if not amendment.edits:
        return None
    return parse_edits(amendment.edits)


def parse_edits(stored: str) -> tuple[engine.Edit, ...]:
    return tuple(
        engine.Edit(start, end, replacement, reach, None if first is None else (first, last))
        for start, end, replacement, reach, first, last in json.loads(stored)
    )


def cluster_ranges(edits: tuple[engine.Edit, ...]) -> list[tuple[int, int]]:
    """The ranges an amendment's edits can compete in: one closed ``(start, end)`` per cluster.
    Every rival's cluster touches one of them (see domain/text/spans.py)."""
    return [(cluster.start, cluster.end) for cluster in clusters_of(edits)]


def range_rows(edits: tuple[engine.Edit, ...]) -> list[AmendmentRange]:
    return [
        AmendmentRange(range_start=start, range_end=end) for start, end in cluster_ranges(edits)
    ]
