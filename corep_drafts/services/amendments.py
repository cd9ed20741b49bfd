"""Proposing, revising, withdrawing, co-sponsoring and discussing amendments; compromises."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import defer, joinedload, selectinload

from corep_drafts import permissions, wording
from corep_drafts.domain import input_values, workflow
from corep_drafts.domain import text as engine
from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.workflow import AmendmentStatus, RevisionKind
from corep_drafts.extensions import db
from corep_drafts.i18n import AMENDMENT_STATUS_LABELS, label
from corep_drafts.models import (
    Amendment,
    AmendmentRange,
    AmendmentRevision,
    Comment,
    Cosponsorship,
    Declaration,
    Version,
)
from corep_drafts.models.base import utcnow
from corep_drafts.services import audit, input_checks
from corep_drafts.services.carrying import carry_all  # noqa: F401 (votes call it from here)
from corep_drafts.services.declarations import (
    MAX_TEXT_BYTES,
    get_visible_declaration,
    lock_declaration,
)
from corep_drafts.services.errors import InvalidInput, NotAllowed, NotFound, StateConflict
from corep_drafts.services.placements import (  # noqa: F401 (stored_edits: for callers)
    cluster_ranges,
    edits_of,
    parse_edits,
    placement_columns,
    range_rows,
    stored_edits,
)

MAX_GROWTH = 10  # an amended text may be at most ten times its base
MAX_RATIONALE = 20_000
MAX_COMMENT = 10_000


def as_service_error(error: DomainError) -> StateConflict:
    return StateConflict(wording.domain_error(error), code=error.code)


# --- reading ----------------------------------------------------------------------------------


def get_visible_amendment(user, amendment_id: int) -> Amendment:
    amendment = db.session.get(Amendment, amendment_id)
    if amendment is None or not permissions.can_read_amendments(user, amendment.declaration):
        raise NotFound(_("No such amendment."))
    return amendment


def list_amendments(
    user, declaration_id: int, *, section_id=None, status=None, without_texts: bool = False
) -> list[Amendment]:
    """The declaration's amendments by number, with their sections and cosponsors.
    ``without_texts`` leaves each one's whole text, patch and rationale unread until asked for
    (tens of KB each; a page or a list that only names them needs none of them)."""
    declaration = get_visible_declaration(user, declaration_id)
    if not permissions.can_read_amendments(user, declaration):
        raise NotFound(_("No such declaration."))
    # Pages name each amendment's cosponsoring sections: one query for all, not one each.
    query = (
        select(Amendment)
        .where(Amendment.declaration_id == declaration.id)
        .options(
            joinedload(Amendment.section),
            # Its number only: the versions' texts are the declaration's, loaded once if at all.
            joinedload(Amendment.base_version).load_only(Version.id, Version.number),
            selectinload(Amendment.cosponsors).joinedload(Cosponsorship.section),
        )
    )
    if without_texts:
        query = query.options(
            defer(Amendment.text), defer(Amendment.patch), defer(Amendment.rationale)
        )
    if section_id:
        query = query.where(Amendment.section_id == section_id)
    if status:
        query = query.where(Amendment.status == status)
    return list(db.session.scalars(query.order_by(Amendment.number)))


def competing_groups(amendments: list[Amendment]) -> dict[int, list[int]]:
    """For each pending amendment on the current version, the ids of those it competes with."""
    current_ids: dict[int, int] = {}  # by declaration: looked up once, not once an amendment
    for amendment in amendments:
        if amendment.declaration_id not in current_ids:
            current_ids[amendment.declaration_id] = amendment.declaration.current_version.id
    pending = {
        a.id: edits_of(a)
        for a in amendments
        if workflow.is_on_the_table(a.status, a.base_version_id == current_ids[a.declaration_id])
    }
    competing: dict[int, list[int]] = {amendment_id: [] for amendment_id in pending}
    for pair in engine.competing_pairs(pending):
        first, second = sorted(pair)
        competing[first].append(second)
        competing[second].append(first)
    return {key: sorted(value) for key, value in competing.items()}


def competing_with(amendment: Amendment) -> list[int]:
    """The pending amendments on the current version this one competes with.

    Each amendment keeps the ranges its clusters of edits touch (``amendment_range``, written
    when it is placed), so only those with a range touching one of this one's can compete: the
    database picks them, and the engine decides each from their stored edits. The same pairs as
    :func:`competing_groups`, at a cost that does not grow with the number pending."""
    current_id = db.session.scalar(
        select(Version.id)
        .where(Version.declaration_id == amendment.declaration_id)
        .order_by(Version.number.desc())
        .limit(1)
    )
    if not workflow.is_on_the_table(amendment.status, amendment.base_version_id == current_id):
        return []
    own = edits_of(amendment)
    ranges = cluster_ranges(own)
    if not ranges:
        return []
    on_the_table = (
        Amendment.declaration_id == amendment.declaration_id,
        Amendment.base_version_id == current_id,
        Amendment.status.in_([str(status) for status in workflow.ON_THE_TABLE]),
        Amendment.id != amendment.id,
    )
    # Ranges are closed: one ending where another starts touches it.
    touching = select(AmendmentRange.amendment_id).where(
        or_(
            *(
                and_(AmendmentRange.range_start <= end, AmendmentRange.range_end >= start)
                for start, end in ranges
            )
        )
    )
    # Amendments placed before their ranges were kept (none since migration 0012) have none.
    without_ranges = (
        ~select(AmendmentRange.id).where(AmendmentRange.amendment_id == Amendment.id).exists()
    )
    query = select(Amendment.id, Amendment.edits).where(
        *on_the_table, or_(Amendment.id.in_(touching), without_ranges)
    )
    rivals = []
    for other_id, stored in db.session.execute(query):
        edits = parse_edits(stored) if stored else edits_of(db.session.get(Amendment, other_id))
        if engine.competing(own, edits):
            rivals.append(other_id)
    return sorted(rivals)


def rivals_of(amendment: Amendment) -> list[Amendment]:
    """The amendments this one competes with, in number order (loaded alone, not with every
    amendment of the declaration)."""
    rival_ids = competing_with(amendment)
    if not rival_ids:
        return []
    return list(
        db.session.scalars(
            select(Amendment).where(Amendment.id.in_(rival_ids)).order_by(Amendment.number)
        )
    )


# --- proposing and revising -------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where an amendment's text ends up: carried onto the current version, or conflicted."""

    base: Version
    text: str
    conflict_reason: str | None = None


def _find_version(declaration: Declaration, number) -> Version:
    try:
        number = input_values.whole_number(number)
    except input_values.InvalidValue:
        raise InvalidInput(
            _("The base version must be a version number."), field="base_version"
        ) from None
    for version in declaration.versions:
        if version.number == number:
            return version
    raise InvalidInput(
        _("This declaration has no version %(number)s.", number=number), field="base_version"
    )


def check_text(base: Version, text: str) -> str:
    if not isinstance(text, str):
        raise InvalidInput(_("The amended text is missing."), field="text")
    input_checks.text(text, "text")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise InvalidInput(_("The amended text is larger than 1 MB."), field="text")
    _check_growth(base, text)
    if text == base.text:
        raise InvalidInput(
            _("The amended text is the same as the text it amends: there is no change."),
            field="text",
        )
    return text


@dataclass(frozen=True)
class Editing:
    """An edit in progress: the version it is written for, the region of that version it
    changes, and the whole text with the edit in place."""

    version: Version
    region: engine.Region
    amended: str

    @property
    def changed(self) -> bool:
        return self.amended != self.version.text


def editing(
    user, declaration_id: int, version_number, place: engine.Place, edited: str | None = None
) -> Editing:
    """Where an edit goes in a version, and the whole text it makes (``edited`` None: the region
    as it stands). Refuses an unknown version or paragraph and a text grown past the limit."""
    declaration = get_visible_declaration(user, declaration_id)
    version = _find_version(declaration, version_number)
    try:
        region = place.region_of(version.text)
    except engine.NoSuchRegion:
        raise InvalidInput(_("This version has no such paragraph."), field="paragraph") from None
    amended = version.text if edited is None else region.rebuild(edited)
    _check_growth(version, amended)
    return Editing(version, region, amended)


def revision_editing(amendment: Amendment, whole: bool = False) -> Editing:
    """What revising an amendment edits: the paragraphs it touches (or the whole text) of the
    current version, in the proposer's own wording."""
    current = amendment.declaration.current_version
    touched = (
        None
        if whole or amendment.touched_start is None
        else (amendment.touched_start, amendment.touched_end)
    )
    region = engine.revision_region(
        amendment.base_version.text, amendment.text, current.text, touched
    )
    return Editing(current, region, region.rebuild(region.initial))


def _check_growth(base: Version, text: str) -> None:
    if len(text) > MAX_GROWTH * max(len(base.text), 1):
        raise InvalidInput(
            _("The amended text is more than ten times as long as the text it amends."),
            field="text",
        )


def check_rationale(rationale) -> str:
    rationale = input_checks.text((rationale or "").strip(), "rationale")
    if len(rationale) > MAX_RATIONALE:
        raise InvalidInput(
            _("The rationale is too long (at most 20,000 characters)."), field="rationale"
        )
    return rationale


def place_on_current(declaration: Declaration, written_base: Version, text: str) -> Placement:
    """Carry a text written against any earlier version onto the current one, or say why not."""
    current = declaration.current_version
    if written_base.id == current.id:
        return Placement(current, text)
    chain = [v.text for v in declaration.versions if v.number >= written_base.number]
    result = engine.rebase_across(chain, text)
    if isinstance(result, engine.Conflict):
        return Placement(written_base, text, wording.conflict_of(result, written_base.number))
    if result.text == current.text:
        raise InvalidInput(_("The current version already contains this change."), field="text")
    return Placement(current, result.text)


def _status_after(placement: Placement) -> AmendmentStatus:
    return AmendmentStatus.CONFLICTED if placement.conflict_reason else AmendmentStatus.SUBMITTED


def store_placement(amendment: Amendment, placement: Placement) -> None:
    edits = engine.edits_between(placement.base.text, placement.text)
    columns = placement_columns(placement.base.text, edits)
    amendment.base_version = placement.base
    amendment.text = placement.text
    amendment.patch = columns["patch"]
    amendment.edits = columns["edits"]
    amendment.touched_start, amendment.touched_end = (
        columns["touched_start"],
        columns["touched_end"],
    )
    amendment.conflict_reason = placement.conflict_reason
    amendment.ranges = range_rows(edits)


def add_revision(amendment: Amendment, kind: str, base: Version, text: str, author) -> None:
    amendment.revisions.append(
        AmendmentRevision(
            number=len(amendment.revisions) + 1,
            kind=kind,
            base_version=base,
            text=text,
            rationale=amendment.rationale,
            author=author,
        )
    )


def propose(
    user,
    declaration_id: int,
    base_version_number,
    text: str,
    rationale: str = "",
    place: engine.Place | None = None,
) -> Amendment:
    """Propose an amendment: ``text`` is the whole amended text, or with ``place`` the new
    wording of that region of the version (the rest of the text stays as it is)."""
    declaration = get_visible_declaration(user, declaration_id)
    if not permissions.can_propose(user, declaration):
        raise NotAllowed(_("Only a delegate of a section may propose amendments."))
    if place is not None and isinstance(text, str):
        text = editing(user, declaration.id, base_version_number, place, text).amended
    declaration = lock_declaration(declaration.id)
    try:
        workflow.require_amendment_period_open(
            declaration.status, declaration.amendment_deadline, utcnow()
        )
    except DomainError as error:
        raise as_service_error(error) from error
    written_base = _find_version(declaration, base_version_number)
    text = check_text(written_base, text)
    rationale = check_rationale(rationale)
    placement = place_on_current(declaration, written_base, text)

    declaration.last_amendment_number += 1
    amendment = Amendment(
        declaration=declaration,
        number=declaration.last_amendment_number,
        proposer=user,
        section_id=user.section_id,
        rationale=rationale,
        status=_status_after(placement),
    )
    db.session.add(amendment)
    store_placement(amendment, placement)
    add_revision(amendment, RevisionKind.PROPOSED, written_base, text, user)
    if placement.base.id != written_base.id:
        add_revision(amendment, RevisionKind.REBASED, placement.base, placement.text, None)
    db.session.add(amendment)
    db.session.flush()
    audit.record(
        "amendment.proposed",
        amendment,
        actor=user,
        declaration=declaration,
        to_state=amendment.status,
        number=amendment.label,
        base_version=written_base.number,
    )
    db.session.commit()
    return amendment


def _own_pending_amendment(user, amendment_id: int) -> Amendment:
    amendment = get_visible_amendment(user, amendment_id)
    if not permissions.is_proposer(user, amendment):
        raise NotAllowed(_("Only the proposer may change this amendment."))
    return amendment


def revise(
    user,
    amendment_id: int,
    base_version_number,
    text: str,
    rationale: str | None = None,
    place: engine.Place | None = None,
) -> Amendment:
    """Revise one's own amendment: the whole amended text, or with ``place`` the new wording of
    that region of the version."""
    amendment = _own_pending_amendment(user, amendment_id)
    if place is not None and isinstance(text, str):
        text = editing(user, amendment.declaration_id, base_version_number, place, text).amended
    declaration = lock_declaration(amendment.declaration_id)
    if not workflow.is_pending(amendment.status):
        raise StateConflict(
            _(
                "An amendment can be revised only while submitted or conflicted; the status of "
                "%(label)s is "
                "“%(status)s”.",
                label=amendment.label,
                status=label(AMENDMENT_STATUS_LABELS, amendment.status),
            ),
            code="illegal_transition",
        )
    written_base = _find_version(declaration, base_version_number)
    text = check_text(written_base, text)
    if rationale is not None:
        amendment.rationale = check_rationale(rationale)
    placement = place_on_current(declaration, written_base, text)
    previous = amendment.status
    amendment.status = _status_after(placement)
    if previous != amendment.status:
        workflow.transition_amendment(previous, amendment.status)
    store_placement(amendment, placement)
    add_revision(amendment, RevisionKind.REVISED, written_base, text, user)
    if placement.base.id != written_base.id:
        add_revision(amendment, RevisionKind.REBASED, placement.base, placement.text, None)
    audit.record(
        "amendment.revised",
        amendment,
        actor=user,
        declaration=declaration,
        from_state=previous,
        to_state=amendment.status,
        revision=len(amendment.revisions),
    )
    db.session.commit()
    return amendment


def withdraw(user, amendment_id: int) -> Amendment:
    amendment = _own_pending_amendment(user, amendment_id)
    lock_declaration(amendment.declaration_id)
    previous = amendment.status
    try:
        amendment.status = workflow.transition_amendment(previous, AmendmentStatus.WITHDRAWN)
    except DomainError as error:
        raise as_service_error(error) from error
    audit.record(
        "amendment.withdrawn",
        amendment,
        actor=user,
        declaration=amendment.declaration,
        from_state=previous,
        to_state=amendment.status,
    )
    db.session.commit()
    return amendment


# --- co-sponsoring and comments ---------------------------------------------------------------


def cosponsor(user, amendment_id: int) -> Amendment:
    amendment = get_visible_amendment(user, amendment_id)
    lock_declaration(amendment.declaration_id)
    if not workflow.is_pending(amendment.status):
        raise StateConflict(
            _("Only a pending amendment can be co-sponsored."), code="illegal_transition"
        )
    if not permissions.can_cosponsor(user, amendment):
        raise NotAllowed(_("Only a delegate of another section can co-sponsor, once per section."))
    amendment.cosponsors.append(Cosponsorship(section_id=user.section_id, user=user))
    audit.record(
        "amendment.cosponsored",
        amendment,
        actor=user,
        declaration=amendment.declaration,
        section=user.section.name,
    )
    db.session.commit()
    return amendment


def withdraw_cosponsorship(user, amendment_id: int) -> Amendment:
    amendment = get_visible_amendment(user, amendment_id)
    lock_declaration(amendment.declaration_id)
    if not permissions.cosponsors_for_section(user, amendment):
        raise NotFound(_("Your section does not co-sponsor this amendment."))
    mine = [c for c in amendment.cosponsors if c.section_id == user.section_id]
    if not workflow.is_pending(amendment.status):
        raise StateConflict(_("The vote on this amendment has begun."), code="illegal_transition")
    amendment.cosponsors.remove(mine[0])
    audit.record(
        "amendment.cosponsorship_withdrawn",
        amendment,
        actor=user,
        declaration=amendment.declaration,
        section=user.section.name,
    )
    db.session.commit()
    return amendment


def add_comment(user, amendment_id: int, body: str) -> Comment:
    amendment = get_visible_amendment(user, amendment_id)
    if not permissions.can_comment(user, amendment):
        raise NotAllowed(_("Only delegates and the executive take part in the discussion."))
    body = input_checks.text((body or "").strip(), "body")
    if not body:
        raise InvalidInput(_("A comment cannot be empty."), field="body")
    if len(body) > MAX_COMMENT:
        raise InvalidInput(_("A comment has at most 10,000 characters."), field="body")
    comment = Comment(amendment=amendment, author=user, body=body)
    db.session.add(comment)
    db.session.commit()
    return comment
