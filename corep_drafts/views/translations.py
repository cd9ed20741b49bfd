"""Translations of a declaration: the list with each one's state, and the translator's page that
brings a translation up to date from the word diff of its source."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from corep_drafts import permissions
from corep_drafts.i18n import LANGUAGE_NAMES
from corep_drafts.services import accounts, translations
from corep_drafts.services.declarations import get_visible_declaration
from corep_drafts.services.errors import InvalidInput, NotFound, ServiceError
from corep_drafts.views.query_values import number_arg

bp = Blueprint(
    "translations", __name__, url_prefix="/declarations/<int:declaration_id>/translations"
)


def _suggested_languages(declaration, existing: set[str]) -> list[str]:
    """The languages a new translation is likely in: the interface's and the sections'."""
    wanted = set(LANGUAGE_NAMES) | {s.language for s in accounts.list_sections()}
    wanted -= existing | {translations.normalise_language(declaration.language)}
    return sorted(wanted)


@bp.get("")
def index(declaration_id: int):
    """Every translation of the declaration, the version it follows and whether it is current."""
    declaration = get_visible_declaration(current_user, declaration_id)
    found = translations.translations_of(current_user, declaration.id)
    return render_template(
        "translations/index.html",
        declaration=declaration,
        translations=found,
        may_translate=permissions.can_translate(current_user, declaration),
        suggested=_suggested_languages(declaration, {t.language for t in found}),
    )


@bp.get("/new")
def start(declaration_id: int):
    """Go to the page of a language chosen from the list (or typed as an ISO 639 code)."""
    declaration = get_visible_declaration(current_user, declaration_id)
    language = request.args.get("other") or request.args.get("language") or ""
    try:
        code = translations.check_language(declaration, language)
    except InvalidInput as error:
        flash(error.message, "error")
        return redirect(url_for("translations.index", declaration_id=declaration.id))
    return redirect(url_for("translations.edit", declaration_id=declaration.id, language=code))


def _render_editor(
    declaration, language: str, contents: list[str] | None = None, status: int = 200
):
    current = declaration.current_version
    state = translations.find(declaration, language)
    state = translations.state_of(state) if state is not None and state.revisions else None
    if state is not None:
        carried = translations.carried(state)
        rows, removed = carried.paragraphs, carried.removed
    else:
        rows = translations.carried_for_new(current)
        removed = ()
    if contents is not None:  # what the translator just sent, refused: give it back as it was
        rows = [
            row.__class__(row.number, row.source, content, row.change)
            for row, content in zip(rows, contents, strict=False)
        ]
    return render_template(
        "translations/edit.html",
        declaration=declaration,
        language=language,
        state=state,
        version=current,
        rows=rows,
        removed=removed,
        revisions=list(reversed(state.translation.revisions)) if state else [],
    ), status


@bp.get("/<language>")
def edit(declaration_id: int, language: str):
    """The translator's page: the current source paragraph by paragraph beside its translation;
    where the source changed since the translated version, its word diff, the old translation kept
    to start from."""
    declaration = get_visible_declaration(current_user, declaration_id)
    code = translations.check_language(declaration, language)
    if code != language:
        return redirect(url_for("translations.edit", declaration_id=declaration.id, language=code))
    return _render_editor(declaration, code)


@bp.post("/<language>")
def save(declaration_id: int, language: str):
    """Save the translation of the version the page was made for; every save is kept."""
    declaration = get_visible_declaration(current_user, declaration_id)
    version = number_arg("version", source=request.form)
    # Each paragraph is a field of its own: a count above the fields sent is no translation.
    count = number_arg("paragraphs", minimum=0, maximum=len(request.form), source=request.form) or 0
    contents = [request.form.get(f"paragraph-{number}", "") for number in range(1, count + 1)]
    try:
        state, _new = translations.save_paragraphs(
            current_user, declaration.id, language, version, contents
        )
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise
        flash(error.message, "error")
        return _render_editor(
            declaration, translations.normalise_language(language), contents, status=422
        )
    flash(
        _(
            "The translation of version %(number)d was saved; it is current.",
            number=state.version.number,
        )
        if state.status == translations.CURRENT
        else _("The translation of version %(number)d was saved.", number=state.version.number),
        "success",
    )
    return redirect(
        url_for("translations.edit", declaration_id=declaration.id, language=state.language)
    )
