"""The record of a declaration: verification, provenance, history, the audit log, the feed,
and the plain data that exports are made from."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload, selectinload

from corep_drafts import permissions, wording
from corep_drafts.domain import provenance, workflow
from corep_drafts.domain import record as chain
from corep_drafts.domain.tally import Outcome
from corep_drafts.domain.text import diff_words
from corep_drafts.domain.text_input import is_storable
from corep_drafts.domain.workflow import DeclarationStatus, VoteKind, VoteState
from corep_drafts.exports import model
from corep_drafts.extensions import db
from corep_drafts.i18n import language_name
from corep_drafts.models import Amendment, AuditEvent, Cosponsorship, Declaration, User, Vote
from corep_drafts.services import audit, translations
from corep_drafts.services.declarations import get_visible_declaration
from corep_drafts.services.errors import NotAllowed, NotFound
from corep_drafts.services.votes import result_of

# --- verification -----------------------------------------------------------------------------


def verify_declaration(
    declaration_id: int, expected_head: chain.ChainHead | None = None
) -> chain.Verification:
    """Recompute the version chain, every stored vote result and the audit chain; with
    ``expected_head`` (kept outside the database), also check the chain still holds it."""
    declaration = db.session.get(Declaration, declaration_id)
    if declaration is None:
        raise NotFound(_("No such declaration."))
    versions = [
        chain.VersionLink(v.number, v.prev_hash, v.text, v.hash) for v in declaration.versions
    ]
    on_file = list(
        db.session.scalars(
            select(Vote)
            .where(Vote.declaration_id == declaration.id)
            .order_by(Vote.id)
            .options(selectinload(Vote.ballots))  # one query for all, not one a vote
        )
    )
    votes = [
        chain.VoteLink(
            v.id,
            v.result_json or "",
            v.result_hash or "",
            tuple((b.delegate_id, b.choice) for b in v.ballots),
        )
        for v in on_file
        if v.state == VoteState.CLOSED
    ]
    return chain.verify(
        versions,
        votes,
        _event_links(declaration.id),
        opened_votes=[v.id for v in on_file],
        expected_head=expected_head,
    )


def chain_head(declaration_id: int) -> chain.ChainHead:
    """The head of the declaration's audit chain as stored now, for exports and the feed."""
    return chain.head_of(_event_links(declaration_id))


def _event_links(declaration_id: int) -> list[chain.EventLink]:
    return [
        chain.EventLink(e.id, e.prev_hash, e.hash, audit.hashed_fields(e))
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.declaration_id == declaration_id)
            .order_by(AuditEvent.id)
        )
    ]


# --- reading and provenance -------------------------------------------------------------------


def readable(user, declaration_id: int) -> Declaration:
    """An adopted or published declaration this person may read, or NotFound."""
    declaration = get_visible_declaration(user, declaration_id)
    if not workflow.is_decided(declaration.status):
        raise NotFound(_("This declaration has not been adopted yet."))
    return declaration


def final_vote(declaration: Declaration) -> Vote | None:
    return db.session.scalar(
        select(Vote).where(
            Vote.declaration_id == declaration.id,
            Vote.kind == VoteKind.FINAL,
            Vote.outcome == Outcome.ADOPTED,
        )
    )


def amendment_votes(declaration: Declaration) -> dict[int, Vote]:
    """The closed vote of each amendment that was voted on."""
    found = db.session.scalars(
        select(Vote).where(
            Vote.declaration_id == declaration.id,
            Vote.kind == VoteKind.AMENDMENT,
            Vote.state == VoteState.CLOSED,
        )
    )
    return {vote.amendment_id: vote for vote in found}


@dataclass(frozen=True)
class Shaping:
    """One version that shaped a paragraph, with the amendment and vote behind it."""

    version: object
    amendment: Amendment | None
    vote: Vote | None


def provenance_by_paragraph(
    declaration: Declaration, upto: int | None = None
) -> dict[int, list[Shaping]]:
    """For each paragraph of version ``upto`` (default: current), the versions that shaped it."""
    versions = [v for v in declaration.versions if upto is None or v.number <= upto]
    votes = amendment_votes(declaration)
    behind = _amendments_behind(versions)
    by_number = {v.number: v for v in versions}
    shaped = _versions_by_paragraph(tuple(v.text for v in versions))
    return {
        paragraph: [
            Shaping(
                by_number[n],
                behind.get(by_number[n].amendment_id),
                votes.get(by_number[n].amendment_id) if by_number[n].amendment_id else None,
            )
            for n in numbers
        ]
        for paragraph, numbers in shaped.items()
    }


@lru_cache(maxsize=32)
def _versions_by_paragraph(texts: tuple[str, ...]) -> dict[int, tuple[int, ...]]:
    """provenance.versions_by_paragraph, kept: versions never change, and the reading view
    asks again for the same ones on every request (a word diff of each version)."""
    return {
        number: tuple(found) for number, found in provenance.versions_by_paragraph(texts).items()
    }


def _amendments_behind(versions) -> dict[int, Amendment]:
    """The amendments these versions adopted, by id, with their sections and cosponsors: one
    query each, not several per amendment."""
    amendment_ids = [v.amendment_id for v in versions if v.amendment_id]
    if not amendment_ids:
        return {}
    found = db.session.scalars(
        select(Amendment)
        .where(Amendment.id.in_(amendment_ids))
        .options(
            defer(Amendment.text),
            defer(Amendment.patch),
            defer(Amendment.edits),
            joinedload(Amendment.section),
            selectinload(Amendment.cosponsors).joinedload(Cosponsorship.section),
        )
    )
    return {amendment.id: amendment for amendment in found}


def adopting_sections(vote: Vote | None) -> list[str]:
    result = result_of(vote) if vote else None
    return [s.name for s in result.sections if str(s.position) == "yes"] if result else []


def version_diff(user, declaration_id: int, older: int, newer: int):
    """Two versions of a declaration, for showing the difference between them."""
    declaration = get_visible_declaration(user, declaration_id)
    numbers = {v.number: v for v in declaration.versions}
    if older not in numbers or newer not in numbers:
        raise NotFound(_("No such version."))
    return declaration, numbers[older], numbers[newer]


# --- the audit log ----------------------------------------------------------------------------


def audit_log(
    user, *, declaration_id=None, actor_id=None, action=None, limit: int = 500
) -> list[AuditEvent]:
    if not permissions.can_manage_declaration(user):
        raise NotAllowed(_("The audit log is for the executive."))
    if action and not is_storable(action):
        return []  # no event has it, and PostgreSQL would refuse to look for it
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if declaration_id:
        query = query.where(AuditEvent.declaration_id == declaration_id)
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def audit_filters() -> tuple[list[Declaration], list[User], list[str]]:
    declarations = list(db.session.scalars(select(Declaration).order_by(Declaration.title)))
    actors = list(
        db.session.scalars(
            select(User).where(User.id.in_(select(AuditEvent.actor_id))).order_by(User.name)
        )
    )
    actions = list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
    return declarations, actors, actions


# --- publication ------------------------------------------------------------------------------


def published() -> list[Declaration]:
    return list(
        db.session.scalars(
            select(Declaration)
            .where(Declaration.status == DeclarationStatus.PUBLISHED)
            .order_by(Declaration.id.desc())
        )
    )


def published_at(declaration: Declaration):
    return db.session.scalar(
        select(AuditEvent.created_at)
        .where(
            AuditEvent.declaration_id == declaration.id,
            AuditEvent.to_state == DeclarationStatus.PUBLISHED,
            AuditEvent.object_type == "declaration",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def feed_entries() -> list[tuple[Declaration, object, chain.ChainHead]]:
    """Each published declaration with when it was published and its audit chain's head now."""
    return [(d, published_at(d), chain_head(d.id)) for d in published()]


# --- the data exports are made from -----------------------------------------------------------


def _vote_summary(vote: Vote | None) -> model.VoteSummary | None:
    result = result_of(vote) if vote else None
    if result is None:
        return None
    return model.VoteSummary(
        outcome=str(result.outcome),
        explanation=wording.vote_explanation(result),
        rule=str(result.rule),
        closed_at=vote.closed_at,
        result_hash=vote.result_hash,
        sections=tuple(
            model.SectionVote(s.name, str(s.position), s.yes, s.no, s.abstain)
            for s in result.sections
        ),
    )


def _round_base(declaration: Declaration):
    """The text as it stood when the last round of amendments began: the latest version that no
    amendment produced."""
    base = declaration.versions[0]
    for version in declaration.versions:
        if version.cause != "amendment":
            base = version
    return base


def tracked_changes(declaration: Declaration) -> tuple[str, tuple[model.TrackedChange, ...]]:
    """The last round's changes as tracked changes, each credited to the amendment that made it."""
    base = _round_base(declaration)
    current = declaration.current_version
    round_versions = [v for v in declaration.versions if v.number >= base.number]
    owner = provenance.owners([v.text for v in round_versions])
    labels = {}
    for offset, version in enumerate(round_versions, start=1):
        if version.amendment is not None:
            section = version.amendment.section.name if version.amendment.section else None
            labels[offset] = (
                f"{version.amendment.label} ({section})" if section else version.amendment.label
            )
    changes: list[model.TrackedChange] = []
    position = 0
    for op, text in diff_words(base.text, current.text):
        author = None
        if op == 1:
            authors = {owner[i] for i in range(position, position + len(text))} - {1}
            author = (
                ", ".join(labels.get(a, f"version {base.number + a - 1}") for a in sorted(authors))
                or None
            )
            position += len(text)
        elif op == 0:
            position += len(text)
        changes.append(model.TrackedChange(op, text, author))
    return base.text, tuple(changes)


def build_record(
    user, declaration_id: int, *, check: bool = True, language: str | None = None
) -> model.DeclarationRecord:
    """The declaration with its record, as exports read it; ``language`` names a translation
    to export instead of the authoritative text (``user`` None: the command line)."""
    declaration = (
        get_visible_declaration(user, declaration_id)
        if user is not None
        else db.session.get(Declaration, declaration_id)
    )
    if declaration is None:
        raise NotFound(_("No such declaration."))
    record = _record_of(declaration, check)
    if not language or translations.normalise_language(language) == translations.normalise_language(
        declaration.language
    ):
        return record
    return _translated_record(record, declaration, language)


def _translated_record(
    record: model.DeclarationRecord, declaration: Declaration, language: str
) -> model.DeclarationRecord:
    """The record with the translation's text: no tracked changes (the last round's changes were
    made to the authoritative text), its title, language and state."""
    translation = translations.find(declaration, language)
    if translation is None or not translation.revisions:
        raise NotFound(
            _(
                "This declaration has no translation into %(language)s.",
                language=language_name(translations.normalise_language(language), in_sentence=True),
            )
        )
    state = translations.state_of(translation)
    return replace(
        record,
        text=state.text,
        title=translations.as_written(state).title,
        language=state.language,
        round_base_text=state.text,
        tracked_changes=(),
        text_status=state.status,
        source_language=declaration.language,
        translated_version=state.version.number,
    )


def _record_of(declaration: Declaration, check: bool) -> model.DeclarationRecord:
    votes = amendment_votes(declaration)
    adopted_versions = {v.amendment_id: v.number for v in declaration.versions if v.amendment_id}
    final = final_vote(declaration)
    version = declaration.current_version
    base_text, changes = tracked_changes(declaration)
    public_url = current_app.config.get("COREP_PUBLIC_URL") or None
    verification = verify_declaration(declaration.id) if check else None
    return model.DeclarationRecord(
        id=declaration.id,
        title=declaration.title,
        language=declaration.language,
        status=declaration.status,
        text=version.text,
        version=_version_record(version),
        adopted_at=final.closed_at if final else None,
        adopting_sections=tuple(adopting_sections(final)),
        final_vote=_vote_summary(final),
        versions=tuple(_version_record(v) for v in declaration.versions),
        amendments=tuple(
            model.AmendmentRecord(
                label=a.label,
                section=a.section.name if a.section else None,
                cosponsors=tuple(c.section.name for c in a.cosponsors),
                status=a.status,
                rationale=a.rationale,
                vote=_vote_summary(votes.get(a.id)),
                adopted_as_version=adopted_versions.get(a.id),
            )
            for a in declaration.amendments
        ),
        round_base_text=base_text,
        tracked_changes=changes,
        public_url=f"{public_url.rstrip('/')}/read/{declaration.id}"
        if public_url and declaration.status == DeclarationStatus.PUBLISHED
        else None,
        verified=verification.ok if verification else None,
        chain_head=str(verification.head if verification else chain_head(declaration.id)),
    )


def _version_record(version) -> model.VersionRecord:
    return model.VersionRecord(
        number=version.number,
        cause=version.cause,
        created_at=version.created_at,
        hash=version.hash,
        prev_hash=version.prev_hash,
        amendment_label=version.amendment.label if version.amendment else None,
    )


def details_of(event: AuditEvent) -> dict:
    return json.loads(event.details) if event.details else {}
