"""Declarations and their versions: creation, reading by visibility."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from corep_drafts import permissions, wording
from corep_drafts.domain import workflow
from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.folding import contains
from corep_drafts.domain.record import GENESIS_HASH, chain_hash
from corep_drafts.domain.workflow import DeclarationStatus, VersionCause
from corep_drafts.extensions import db
from corep_drafts.models import Declaration, User, Version
from corep_drafts.models.declarations import DECLARATION_STATUSES, VOTING_RULES
from corep_drafts.services import audit, input_checks
from corep_drafts.services.accounts import LANGUAGE_CODE_PATTERN
from corep_drafts.services.errors import InvalidInput, NotAllowed, NotFound, StateConflict
from corep_drafts.services.rows import lock_row

MAX_TEXT_BYTES = 1024 * 1024


def decode_text(raw: bytes) -> str:
    """Strict UTF-8, byte for byte: no newline translation, no normalisation."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            _("The text is not valid UTF-8 (byte %(position)d).", position=error.start),
            field="text",
        ) from error
    return text


def validate_text(text: str) -> str:
    if not text.strip():
        raise InvalidInput(_("The text is empty."), field="text")
    input_checks.text(text, "text")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise InvalidInput(_("The text is larger than 1 MB."), field="text")
    return text


def create_declaration(
    title: str,
    text: str,
    *,
    rule: str = "majority",
    quorum: int | None = None,
    language: str = "en",
    created_by: User | None = None,
) -> Declaration:
    title = input_checks.text((title or "").strip(), "title")
    if not title:
        raise InvalidInput(_("A declaration needs a title."), field="title")
    if len(title) > 300:
        raise InvalidInput(_("A title has at most 300 characters."), field="title")
    if rule not in VOTING_RULES:
        raise InvalidInput(
            _(
                "Unknown rule %(rule)s; rules are %(rules)s.",
                rule=rule,
                rules=", ".join(VOTING_RULES),
            ),
            field="rule",
        )
    if quorum is not None and quorum < 1:
        raise InvalidInput(_("A quorum is a whole number of at least 1."), field="quorum")
    if quorum is not None:
        input_checks.number(quorum, "quorum")
    if not LANGUAGE_CODE_PATTERN.match(language or ""):
        raise InvalidInput(_("%(code)s is not a language code.", code=language), field="language")
    text = validate_text(text)
    declaration = Declaration(
        title=title,
        status=DeclarationStatus.DRAFT,
        rule=rule,
        quorum=quorum,
        language=language,
        created_by=created_by,
    )
    declaration.versions.append(
        Version(
            number=1,
            text=text,
            prev_hash=GENESIS_HASH,
            hash=chain_hash(GENESIS_HASH, text),
            cause=VersionCause.INITIAL,
            created_by=created_by,
        )
    )
    db.session.add(declaration)
    db.session.flush()
    audit.record(
        "declaration.created",
        declaration,
        actor=created_by,
        declaration=declaration,
        to_state=DeclarationStatus.DRAFT,
        title=title,
    )
    announce_version(declaration.versions[0], created_by)
    db.session.commit()
    return declaration


def announce_version(version: Version, author) -> None:
    """Every version enters the audit trail with its hash, so a deleted one is missed."""
    audit.record(
        "version.created",
        version,
        actor=author,
        declaration=version.declaration,
        number=version.number,
        hash=version.hash,
        cause=version.cause,
    )


def visible_declarations(user, search: str | None = None) -> list[Declaration]:
    """The declarations this person may read, newest first; with ``search``, those whose title or
    current text contains it, ignoring case the way every language here does (Turkish İ/ı too)."""
    states = permissions.readable_declaration_states(user)
    query = (
        select(Declaration)
        .where(Declaration.status.in_(sorted(states)))
        .order_by(Declaration.created_at.desc(), Declaration.id.desc())
    )
    found = list(db.session.scalars(query))
    if search and search.strip():
        found = [
            d
            for d in found
            if contains(d.title, search.strip()) or contains(d.current_version.text, search.strip())
        ]
    return found


def get_visible_declaration(user, declaration_id: int) -> Declaration:
    """The declaration, or NotFound if it does not exist or this user may not know it exists."""
    declaration = db.session.get(Declaration, declaration_id)
    if declaration is None or not permissions.can_read_declaration(user, declaration):
        raise NotFound(_("No such declaration."))
    return declaration


def get_visible_version(user, declaration_id: int, number: int) -> Version:
    declaration = get_visible_declaration(user, declaration_id)
    version = db.session.scalar(
        select(Version).where(Version.declaration_id == declaration.id, Version.number == number)
    )
    if version is None:
        raise NotFound(_("No version %(number)d of this declaration.", number=number))
    return version


def lock_declaration(declaration_id: int) -> Declaration:
    """Serialise writers on one declaration until the caller commits (see :func:`lock_row`)."""
    declaration = lock_row(Declaration, declaration_id)
    if declaration is None:
        raise NotFound(_("No such declaration."))
    return declaration


def require_executive(user, refusal: str | None = None) -> None:
    """Refuse anyone but the executive, saying why in ``refusal`` (or in general words)."""
    if not permissions.can_manage_declaration(user):
        raise NotAllowed(refusal or _("Only the executive may do this."))


def transition(user, declaration_id: int, target: str) -> Declaration:
    """The executive moves a declaration along its life cycle (never to adopted: a vote does)."""
    get_visible_declaration(user, declaration_id)
    require_executive(user)
    if target not in DECLARATION_STATUSES:
        raise InvalidInput(_("Unknown state %(state)s.", state=target), field="to")
    declaration = lock_declaration(declaration_id)
    previous = declaration.status
    try:
        declaration.status = str(workflow.transition_declaration_manually(previous, target))
    except DomainError as error:
        raise StateConflict(wording.domain_error(error), code=error.code) from error
    audit.record(
        "declaration.transition",
        declaration,
        actor=user,
        declaration=declaration,
        from_state=previous,
        to_state=declaration.status,
    )
    db.session.commit()
    return declaration


def add_version(
    declaration: Declaration, text: str, cause: str, *, author=None, amendment=None
) -> Version:
    """Append the next hash-chained version; the caller commits."""
    previous = declaration.current_version
    version = Version(
        number=previous.number + 1,
        text=text,
        prev_hash=previous.hash,
        hash=chain_hash(previous.hash, text),
        cause=cause,
        created_by=author,
        amendment=amendment,
    )
    declaration.versions.append(version)
    db.session.flush()
    announce_version(version, author)
    return version


def edit_draft(user, declaration_id: int, text: str, title: str | None = None) -> Declaration:
    """While in draft, the executive edits the text directly: each save is a new version."""
    get_visible_declaration(user, declaration_id)
    require_executive(user)
    declaration = lock_declaration(declaration_id)
    if not workflow.can_edit_text(declaration.status):
        raise StateConflict(
            _(
                "The text can be edited directly only while the declaration is a draft; "
                "after that, changes go through amendments."
            ),
            code="illegal_transition",
        )
    text = validate_text(text)
    if title is not None:
        title = input_checks.text(title.strip(), "title")
        if not title or len(title) > 300:
            raise InvalidInput(_("A title has 1 to 300 characters."), field="title")
        declaration.title = title
    if text != declaration.current_version.text:
        add_version(declaration, text, VersionCause.EDITORIAL, author=user)
    db.session.commit()
    return declaration


def set_amendment_deadline(user, declaration_id: int, deadline) -> Declaration:
    """Set (or clear, with None) the moment after which new amendments are refused; aware UTC."""
    get_visible_declaration(user, declaration_id)
    require_executive(user)
    declaration = lock_declaration(declaration_id)
    if deadline is not None and deadline.tzinfo is None:
        raise InvalidInput(_("The deadline needs a time zone."), field="deadline")
    deadline = input_checks.moment(deadline, "deadline")
    if declaration.status not in workflow.BEFORE_THE_VOTE:
        raise StateConflict(
            _("The deadline can be set only before the vote."), code="illegal_transition"
        )
    declaration.amendment_deadline = deadline
    audit.record(
        "declaration.deadline",
        declaration,
        actor=user,
        declaration=declaration,
        deadline=deadline.isoformat() if deadline else None,
    )
    db.session.commit()
    return declaration
