"""Translations of declarations: writing them against a version, keeping every save, telling
current from outdated, and what changed in the source for the translator to redo."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from corep_drafts import permissions, wording
from corep_drafts.domain import translations as aligned
from corep_drafts.domain.errors import DomainError
from corep_drafts.domain.text import heading_text, states_title
from corep_drafts.domain.text_input import is_storable
from corep_drafts.domain.workflow import DeclarationStatus
from corep_drafts.extensions import db
from corep_drafts.i18n import language_name
from corep_drafts.models import Declaration, Translation, TranslationRevision, Version
from corep_drafts.services import audit
from corep_drafts.services.accounts import LANGUAGE_CODE_PATTERN
from corep_drafts.services.declarations import (
    get_visible_declaration,
    lock_declaration,
    validate_text,
)
from corep_drafts.services.errors import InvalidInput, NotAllowed, NotFound, StateConflict

CURRENT, OUTDATED = "current", "outdated"


@dataclass(frozen=True)
class TranslationState:
    """A translation as readers see it: its text, the version it translates, and whether that
    is still the current version."""

    translation: Translation
    revision: TranslationRevision
    status: str  # current | outdated

    @property
    def language(self) -> str:
        return self.translation.language

    @property
    def version(self) -> Version:
        return self.revision.version

    @property
    def text(self) -> str:
        return self.revision.text


def normalise_language(language: str) -> str:
    """``tr``, ``pt-BR``, ``zh-Hant``: the primary subtag in lower case, as BCP 47 writes it."""
    primary, _, rest = (language or "").strip().replace("_", "-").partition("-")
    return primary.lower() + ("-" + rest if rest else "")


def state_of(translation: Translation) -> TranslationState:
    latest = translation.latest
    current = translation.declaration.current_version
    return TranslationState(
        translation, latest, CURRENT if latest.version_id == current.id else OUTDATED
    )


def translations_of(user, declaration_id: int) -> list[TranslationState]:
    """Every translation of a declaration the person may read, by language code."""
    declaration = get_visible_declaration(user, declaration_id)
    found = db.session.scalars(
        select(Translation)
        .where(Translation.declaration_id == declaration.id)
        .order_by(Translation.language)
    )
    return [state_of(t) for t in found if t.revisions]


def find(declaration: Declaration, language: str) -> Translation | None:
    if not is_storable(language or ""):
        return None  # no translation is in it, and PostgreSQL would refuse to look for it
    return db.session.scalar(
        select(Translation).where(
            Translation.declaration_id == declaration.id,
            Translation.language == normalise_language(language),
        )
    )


def get_translation(user, declaration_id: int, language: str) -> TranslationState:
    declaration = get_visible_declaration(user, declaration_id)
    translation = find(declaration, language)
    if translation is None or not translation.revisions:
        raise NotFound(
            _(
                "This declaration has no translation into %(language)s.",
                language=language_name(normalise_language(language), in_sentence=True),
            )
        )
    return state_of(translation)


def source_changes(state: TranslationState) -> tuple[aligned.SourceChange, ...]:
    """What changed in the source since the translated version (nothing while current)."""
    if state.status == CURRENT:
        return ()
    return aligned.source_changes(
        state.version.text, state.translation.declaration.current_version.text
    )


def carried(state: TranslationState) -> aligned.Carried:
    """The translation carried onto the current version, for the translator's page."""
    return aligned.carry(
        state.version.text, state.translation.declaration.current_version.text, state.text
    )


def _version(declaration: Declaration, number) -> Version:
    if isinstance(number, bool) or not isinstance(number, int):
        raise InvalidInput(_("The version must be a whole number."), field="version")
    for version in declaration.versions:
        if version.number == number:
            return version
    raise NotFound(_("No version %(number)d of this declaration.", number=number))


def check_language(declaration: Declaration, language: str) -> str:
    code = normalise_language(language)
    if not LANGUAGE_CODE_PATTERN.match(code) or len(code) > 16:
        raise InvalidInput(
            _("%(code)s is not a language code (use ISO 639, e.g. es, de, tr).", code=language),
            field="language",
        )
    if code == normalise_language(declaration.language):
        raise InvalidInput(
            _(
                "%(code)s is the language this declaration is written in: its text is the "
                "authoritative one, not a translation.",
                code=code,
            ),
            field="language",
        )
    return code


def check_aligned(source: str, text: str) -> None:
    try:
        aligned.check_alignment(source, text)
    except DomainError as error:
        raise InvalidInput(wording.domain_error(error), code=error.code, field="text") from error


def save(
    user, declaration_id: int, language: str, version_number, text
) -> tuple[TranslationState, bool]:
    """Write the translation of a version; returns it and whether the language is new. Every
    save is kept as a revision (who, when, which version)."""
    declaration = get_visible_declaration(user, declaration_id)
    if not permissions.can_translate(user, declaration):
        raise NotAllowed(_("Delegates and the executive write the translations."))
    code = check_language(declaration, language)
    version = _version(declaration, version_number)
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(_("The translation is empty."), field="text")
    text = validate_text(text)
    check_aligned(version.text, text)
    declaration = lock_declaration(declaration.id)
    if declaration.status == DeclarationStatus.WITHDRAWN:
        raise StateConflict(
            _("This declaration was withdrawn; its translations are no longer kept up."),
            code="illegal_transition",
        )
    translation = find(declaration, code)
    created = translation is None
    if created:
        translation = Translation(declaration=declaration, language=code)
        db.session.add(translation)
    revision = TranslationRevision(
        number=len(translation.revisions) + 1, version=version, text=text, author=user
    )
    translation.revisions.append(revision)
    db.session.flush()
    audit.record(
        "translation.saved",
        translation,
        actor=user,
        declaration=declaration,
        language=code,
        version=version.number,
        revision=revision.number,
    )
    db.session.commit()
    return state_of(translation), created


def carried_for_new(version: Version) -> tuple[aligned.CarriedParagraph, ...]:
    """The rows of a translation not yet begun: every paragraph of the version, untranslated."""
    return tuple(
        aligned.CarriedParagraph(number, block, "", None)
        for number, block in enumerate(aligned.blocks(version.text), start=1)
    )


def save_paragraphs(user, declaration_id: int, language: str, version_number, contents: list[str]):
    """Save a translation written paragraph by paragraph (the translator's page): each content
    takes the place of its source paragraph, with the source's headings and list markers."""
    declaration = get_visible_declaration(user, declaration_id)
    version = _version(declaration, version_number)
    source = aligned.blocks(version.text)
    if len(contents) != len(source):
        raise InvalidInput(
            _("This page was made for another version; reload it and translate again."),
            field="text",
        )
    for number, content in enumerate(contents, start=1):
        if not content.strip():
            raise InvalidInput(
                _("Paragraph %(number)d is not translated yet.", number=number), field="text"
            )
    return save(
        user, declaration_id, language, version.number, aligned.assemble(version.text, contents)
    )


# --- reading ----------------------------------------------------------------------------------

AUTHORITATIVE = "authoritative"


@dataclass(frozen=True)
class Cell:
    """One paragraph of a text in some language, as Markdown with its marker. ``state``: ``ok``;
    ``outdated`` (its source paragraph changed since it was translated); ``missing`` (the source
    paragraph was added since)."""

    number: int
    text: str
    state: str = "ok"


@dataclass(frozen=True)
class Reading:
    """A declaration's text in one language, paragraph by paragraph."""

    language: str
    status: str  # authoritative | current | outdated
    version: Version  # the source version these paragraphs translate (or are)
    title: str
    cells: tuple[Cell, ...]


def _title(declaration: Declaration, source: str, text: str) -> str:
    """The title in the text's language: the translation of an opening heading that states it."""
    source_blocks, own = aligned.blocks(source), aligned.blocks(text)
    if (
        source_blocks
        and own
        and states_title(source_blocks[0].text, source_blocks[0].kind, declaration.title)
    ):
        return heading_text(own[0].text) or declaration.title
    return declaration.title


def authoritative(declaration: Declaration, version: Version | None = None) -> Reading:
    version = version or declaration.current_version
    cells = tuple(Cell(n, b.text) for n, b in enumerate(aligned.blocks(version.text), start=1))
    return Reading(declaration.language, AUTHORITATIVE, version, declaration.title, cells)


def as_written(state: TranslationState) -> Reading:
    """A translation as it was written, aligned with the version it translates."""
    declaration = state.translation.declaration
    cells = tuple(Cell(n, b.text) for n, b in enumerate(aligned.blocks(state.text), start=1))
    return Reading(
        state.language,
        state.status,
        state.version,
        _title(declaration, state.version.text, state.text),
        cells,
    )


def aligned_with_current(state: TranslationState) -> Reading:
    """A translation laid against the current version: an outdated one keeps the translation of
    each paragraph that did not change, and marks the others."""
    if state.status == CURRENT:
        return as_written(state)
    declaration = state.translation.declaration
    cells = tuple(
        Cell(
            p.number,
            p.source.marker + p.translation if p.translation else "",
            "ok" if p.change is None else ("missing" if p.change.kind == "added" else "outdated"),
        )
        for p in carried(state).paragraphs
    )
    return Reading(
        state.language,
        state.status,
        state.version,
        _title(declaration, state.version.text, state.text),
        cells,
    )


def reading(
    user, declaration: Declaration, language: str | None, *, against_current: bool = False
) -> Reading:
    """The declaration in ``language`` (its own language when None or authoritative)."""
    if not language or normalise_language(language) == normalise_language(declaration.language):
        return authoritative(declaration)
    state = get_translation(user, declaration.id, language)
    return aligned_with_current(state) if against_current else as_written(state)
