"""Declarations and their versions: creation, reading by visibility."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from corep_drafts import permissions
from corep_drafts.domain.record import GENESIS_HASH, chain_hash
from corep_drafts.extensions import db
from corep_drafts.models import Declaration, User, Version
from corep_drafts.models.declarations import VOTING_RULES
from corep_drafts.services.accounts import LANGUAGE_CODE_PATTERN
from corep_drafts.services.errors import InvalidInput, NotFound

MAX_TEXT_BYTES = 1024 * 1024


def decode_text(raw: bytes) -> str:
    """Strict UTF-8, byte for byte: no newline translation, no normalisation."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            _("The text is not valid UTF-8 (byte %(position)d).", position=error.start), field="text"
        ) from error
    return text


def _validate_text(text: str) -> str:
    if not text.strip():
        raise InvalidInput(_("The text is empty."), field="text")
    if "\x00" in text:
        raise InvalidInput(_("The text contains a NUL character."), field="text")
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
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("A declaration needs a title."), field="title")
    if len(title) > 300:
        raise InvalidInput(_("A title has at most 300 characters."), field="title")
    if rule not in VOTING_RULES:
        raise InvalidInput(
            _("Unknown rule %(rule)s; rules are %(rules)s.", rule=rule, rules=", ".join(VOTING_RULES)),
            field="rule",
        )
    if quorum is not None and quorum < 1:
        raise InvalidInput(_("A quorum is a whole number of at least 1."), field="quorum")
    if not LANGUAGE_CODE_PATTERN.match(language or ""):
        raise InvalidInput(_("%(code)s is not a language code.", code=language), field="language")
    text = _validate_text(text)
    declaration = Declaration(
        title=title, status="draft", rule=rule, quorum=quorum, language=language,
        created_by=created_by,
    )
    declaration.versions.append(
        Version(
            number=1, text=text, prev_hash=GENESIS_HASH, hash=chain_hash(GENESIS_HASH, text),
            cause="initial", created_by=created_by,
        )
    )
    db.session.add(declaration)
    db.session.commit()
    return declaration


def visible_declarations(user) -> list[Declaration]:
    states = permissions.readable_declaration_states(user)
    query = (
        select(Declaration)
        .where(Declaration.status.in_(sorted(states)))
        .order_by(Declaration.created_at.desc(), Declaration.id.desc())
    )
    return list(db.session.scalars(query))


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
