"""The record: the reading view with provenance, history and diffs, exports, the audit log,
public permalinks and the Atom feed."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request
from flask_babel import get_locale, get_timezone, gettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from corep_drafts import exports, permissions, wording
from corep_drafts.domain.text import (
    heading_text,
    render_inline,
    render_side_by_side,
    split_paragraphs,
    states_title,
)
from corep_drafts.domain.translations import blocks as text_blocks
from corep_drafts.fragment_cache import fragment_cache
from corep_drafts.read_replica import reads_from_replica
from corep_drafts.services import accounts, amendments, audit, record, translations
from corep_drafts.services.errors import NotFound
from corep_drafts.views.links import absolute_url
from corep_drafts.views.query_values import number_arg

bp = Blueprint("record", __name__)


@bp.context_processor
def record_helpers():
    return {"record_result": record.result_of}


@dataclass(frozen=True)
class Passage:
    """One numbered paragraph of the text shown, in whichever language."""

    number: int
    kind: str  # heading | list_item | paragraph
    text: str  # Markdown


def _passages(text: str, title: str) -> tuple[list[Passage], list[tuple[int, str]]]:
    """The text's paragraphs with their numbers (an opening heading that only repeats the title is
    left out: the page shows the title), and the headings for the table of contents."""
    passages = [Passage(p.number, p.kind, text[p.start : p.end]) for p in split_paragraphs(text)]
    passages = [p for p in passages if not states_title(p.text, p.kind, title)]
    return passages, [(p.number, heading_text(p.text)) for p in passages if p.kind == "heading"]


@bp.get("/read/<int:declaration_id>")
@reads_from_replica
def reading(declaration_id: int):
    """The adopted declaration as clean text, with how each passage came to be; in any of its
    translations (``?language=eo``), or two languages side by side (``&beside=es``)."""
    stamp = audit.newest_event(declaration_id)  # before anything it may keep is read
    declaration = record.readable(current_user, declaration_id)
    language = request.args.get("language") or None
    beside = request.args.get("beside") or None
    if beside and translations.normalise_language(beside) != translations.normalise_language(
        language or declaration.language
    ):
        return _side_by_side(declaration, language, beside)
    if language and translations.normalise_language(language) != translations.normalise_language(
        declaration.language
    ):
        return _translated(declaration, translations.reading(current_user, declaration, language))
    return _reading(declaration, declaration.current_version, stamp)


@bp.get("/read/<int:declaration_id>/v/<int:number>")
@reads_from_replica
def version_permalink(declaration_id: int, number: int):
    """A permanent address for one version of an adopted declaration."""
    stamp = audit.newest_event(declaration_id)
    declaration = record.readable(current_user, declaration_id)
    version = next((v for v in declaration.versions if v.number == number), None)
    if version is None:
        raise NotFound(_("No version %(number)d of this declaration.", number=number))
    return _reading(declaration, version, stamp)


def _reading_context(declaration) -> dict:
    """What every reading page shows beside the text: the adoption, the record, the languages."""
    final = record.final_vote(declaration)
    return {
        "declaration": declaration,
        "final": final,
        "adopting": record.adopting_sections(final),
        "verification": record.verify_declaration(declaration.id),
        "published_at": record.published_at(declaration),
        "formats": exports.FORMATS,
        "languages": translations.translations_of(current_user, declaration.id),
    }


def _reading(declaration, version, stamp):
    """One version in its own language. Its passages with their provenance are kept between
    requests under `stamp` (the declaration's audit chain head, read before anything shown) and
    the sections' names (renaming one records no event), per language and time zone."""
    passages, headings = _passages(version.text, declaration.title)
    key = (
        declaration.id,
        stamp,
        version.number,
        declaration.title,
        tuple((section.id, section.name) for section in accounts.list_sections()),
        str(get_locale()),
        str(get_timezone()),
        request.script_root,
    )
    passages_html = fragment_cache("reading_passages").get_or_make(
        key,
        lambda: _passages_html(
            passages, record.provenance_by_paragraph(declaration, upto=version.number)
        ),
        len,
    )
    return render_template(
        "record/reading.html",
        version=version,
        passages_html=passages_html,
        headings=headings,
        reading_language=None,
        **_reading_context(declaration),
    )


def _passages_html(passages: list[Passage], shaping: dict) -> Markup:
    html = render_template("record/_passages.html", passages=passages, shaping=shaping)
    return Markup(html)  # nosec B704  # autoescaped template output, no raw user text


def _without_title(declaration, cells, title: str):
    """The cells without an opening heading that only states the title (the page shows it)."""
    source = split_paragraphs(declaration.current_version.text)
    if cells and source and states_title(cells[0].text, source[0].kind, title):
        return cells[1:]
    return cells


def _translated(declaration, text):
    """The declaration in one of its translations; the record stays in the interface language.
    Provenance is shown only where the translation follows the current version, paragraph for
    paragraph; an outdated one is shown as it was written, under a warning."""
    kinds = {
        number: block.kind for number, block in enumerate(text_blocks(text.version.text), start=1)
    }
    passages = [
        Passage(cell.number, kinds.get(cell.number, "paragraph"), cell.text)
        for cell in _without_title(declaration, text.cells, text.title)
    ]
    shaping = (
        record.provenance_by_paragraph(declaration) if text.status == translations.CURRENT else {}
    )
    return render_template(
        "record/reading.html",
        version=text.version,
        reading_language=text,
        passages_html=_passages_html(passages, shaping),
        headings=[(p.number, heading_text(p.text)) for p in passages if p.kind == "heading"],
        **_reading_context(declaration),
    )


def _side_by_side(declaration, language, beside):
    """Two languages of the declaration, paragraph by paragraph, against the current version."""
    left = translations.reading(current_user, declaration, language, against_current=True)
    right = translations.reading(current_user, declaration, beside, against_current=True)
    rows = list(
        zip(
            _without_title(declaration, left.cells, left.title),
            _without_title(declaration, right.cells, right.title),
            strict=False,  # both follow the current version; a title left out of one only
        )
    )
    return render_template(
        "record/side_by_side.html",
        left=left,
        right=right,
        rows=rows,
        **_reading_context(declaration),
    )


@bp.get("/declarations/<int:declaration_id>/history")
@reads_from_replica
def history(declaration_id: int):
    """Every version with its cause and result, the difference between any two, and the index of
    amendments with their outcomes."""
    declaration = record.get_visible_declaration(current_user, declaration_id)
    last = declaration.current_version.number
    older = number_arg("from") or max(last - 1, 1)
    newer = number_arg("to") or last
    view = "side" if request.args.get("view") == "side" else "inline"
    _, old_version, new_version = record.version_diff(current_user, declaration_id, older, newer)
    render = render_side_by_side if view == "side" else render_inline
    diff_words_of = wording.diff_wording(
        gettext("Version %(number)d", number=older), gettext("Version %(number)d", number=newer)
    )
    section = number_arg("section")
    listed = (
        amendments.list_amendments(current_user, declaration_id, section_id=section)
        if permissions.can_read_amendments(current_user, declaration)
        else []
    )
    return render_template(
        "record/history.html",
        declaration=declaration,
        older=old_version,
        newer=new_version,
        view=view,
        diff=render(old_version.text, new_version.text, wording=diff_words_of)
        if older != newer
        else None,
        amendments=listed,
        votes=record.amendment_votes(declaration),
        section=section,
        sections=sorted(
            {a.section for a in declaration.amendments if a.section}, key=lambda s: s.name
        ),
    )


@bp.get("/declarations/<int:declaration_id>/export.<fmt>")
@reads_from_replica
def export(declaration_id: int, fmt: str):
    """The text with its record as an appendix: Markdown, printable HTML, PDF or OpenDocument."""
    if fmt not in exports.FILE_EXTENSIONS:
        raise NotFound(_("No such format."))
    language = request.args.get("language") or None
    data = exports.export(
        record.build_record(current_user, declaration_id, language=language),
        fmt,
        _=gettext,
        ui_language=str(get_locale()),
    )
    suffix = f"-{translations.normalise_language(language)}" if language else ""
    filename = f"declaration-{declaration_id}{suffix}{exports.FILE_EXTENSIONS[fmt]}"
    return Response(
        data,
        mimetype=exports.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/audit")
@reads_from_replica
def audit_log():
    """Who did what, when, to what: every state change, filterable; nothing here can be changed."""
    declaration_id = number_arg("declaration")
    actor_id = number_arg("actor")
    action = request.args.get("action") or None
    events = record.audit_log(
        current_user, declaration_id=declaration_id, actor_id=actor_id, action=action
    )
    declarations, actors, actions = record.audit_filters()
    return render_template(
        "record/audit.html",
        events=events,
        declarations=declarations,
        actors=actors,
        actions=actions,
        chosen={"declaration": declaration_id, "actor": actor_id, "action": action},
        details_of=record.details_of,
    )


@bp.get("/feed.atom")
@reads_from_replica
def feed():
    """Published declarations as an Atom feed, for section websites to subscribe to."""
    items = record.feed_entries()
    body = render_template(
        "record/feed.xml",
        items=items,
        updated=max((at for _, at, _head in items if at), default=None),
        feed_url=absolute_url("record.feed"),
        home=absolute_url("main.index"),
    )
    return Response(body, mimetype="application/atom+xml")
