"""The draft page's data, read from the amendments' stored edits: the paragraphs of the current
text with how many undecided amendments touch each, and the amendments shown, grouped under the
first paragraph they touch, competing ones together."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _

from corep_drafts import permissions
from corep_drafts.domain import text as engine
from corep_drafts.domain import workflow
from corep_drafts.models import Amendment, Declaration
from corep_drafts.services import amendments
from corep_drafts.services.declarations import get_visible_declaration
from corep_drafts.services.errors import NotFound


@dataclass(frozen=True)
class Item:
    """An amendment in the margin: the paragraphs it spans and those it competes with."""

    amendment: Amendment
    first: int
    last: int
    competes: tuple[tuple[int, str], ...]  # (id, label)


@dataclass(frozen=True)
class Group:
    items: tuple[Item, ...]

    @property
    def competing(self) -> bool:
        return any(item.competes for item in self.items)


@dataclass(frozen=True)
class Row:
    number: int
    kind: str  # heading | list_item | paragraph
    raw: str
    undecided: int  # amendments without an outcome yet that touch it
    groups: tuple[Group, ...] = field(default=())


@dataclass(frozen=True)
class DraftPage:
    rows: tuple[Row, ...]
    others: tuple[Amendment, ...]  # shown amendments not on the current version
    shown_count: int
    undecided_total: int


def _clusters(ids: list[int], competing: dict[int, list[int]]) -> dict[int, int]:
    """Each amendment's cluster (connected components of the competing pairs), by a root id."""
    root = {key: key for key in ids}

    def find(key: int) -> int:
        while root[key] != key:
            root[key] = root[root[key]]
            key = root[key]
        return key

    for key, others in competing.items():
        for other in others:
            root[find(key)] = find(other)
    return {key: find(key) for key in ids}


def draft_page(
    user, declaration_id: int, *, section_id: int | None = None, status: str | None = None
) -> DraftPage:
    """The draft page of a declaration, its amendments filtered by section and status."""
    declaration: Declaration = get_visible_declaration(user, declaration_id)
    if not permissions.can_read_amendments(user, declaration):
        raise NotFound(_("No such declaration."))
    # One load of every amendment (the counts and rivals need them all); the filters pick the
    # shown ones from it, in the same order (by number).
    everyone = amendments.list_amendments(user, declaration.id, without_texts=True)
    shown = [
        amendment
        for amendment in everyone
        if (not section_id or amendment.section_id == section_id)
        and (not status or amendment.status == status)
    ]
    current = declaration.current_version
    # One index of the current text serves every look-up: each edit, each span, each row.
    paragraphs = engine.ParagraphIndex(current.text)
    touched: dict[int, set[int]] = {}
    for amendment in everyone:
        if amendment.base_version_id == current.id:
            numbers: set[int] = set()
            for edit in amendments.edits_of(amendment):
                location = paragraphs.locate(edit.start, edit.end)
                numbers.update(range(location.paragraph_from, location.paragraph_to + 1))
            touched[amendment.id] = numbers or {1}
    undecided = [a for a in everyone if workflow.is_undecided(a.status)]
    counts = Counter(number for a in undecided if a.id in touched for number in touched[a.id])
    competing = amendments.competing_groups(everyone)
    labels = {a.id: a.label for a in everyone}
    cluster_of = _clusters([a.id for a in everyone], competing)

    clusters: dict[int, list[Item]] = {}
    others = []
    for amendment in shown:
        if amendment.id not in touched:
            others.append(amendment)
            continue
        first, last = _span(amendment, paragraphs, touched[amendment.id])
        item = Item(
            amendment,
            first,
            last,
            tuple((key, labels[key]) for key in competing.get(amendment.id, [])),
        )
        clusters.setdefault(cluster_of[amendment.id], []).append(item)
    groups: dict[int, list[Group]] = {}
    for items in clusters.values():
        groups.setdefault(min(item.first for item in items), []).append(Group(tuple(items)))
    rows = tuple(
        Row(
            paragraph.number,
            paragraph.kind,
            current.text[paragraph.start : paragraph.end],
            counts.get(paragraph.number, 0),
            tuple(
                sorted(
                    groups.get(paragraph.number, []),
                    key=lambda group: group.items[0].amendment.number,
                )
            ),
        )
        for paragraph in paragraphs.paragraphs
    )
    return DraftPage(rows, tuple(others), len(shown), len(undecided))


def _span(
    amendment: Amendment, paragraphs: engine.ParagraphIndex, numbers: set[int]
) -> tuple[int, int]:
    if amendment.touched_start is not None:
        location = paragraphs.locate(amendment.touched_start, amendment.touched_end)
        return location.paragraph_from, location.paragraph_to
    return min(numbers), max(numbers)
