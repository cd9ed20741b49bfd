"""The record: the reading view with provenance, history and diffs, exports, the audit log,
public permalinks and the Atom feed."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import gettext as _
from flask_login import current_user

from corep_drafts import exports, permissions, wording
from corep_drafts.domain.text import render_inline, render_side_by_side, split_paragraphs
from corep_drafts.services import amendments, record
from corep_drafts.services.errors import NotFound

bp = Blueprint("record", __name__)


@bp.context_processor
def record_helpers():
    return {"record_result": record.result_of}


def _paragraphs(text: str, title: str):
    """The text's blocks with their numbers (an opening heading that only repeats the title is
    left out: the page shows the title), and the headings for the table of contents."""
    blocks = [(p, text[p.start:p.end]) for p in split_paragraphs(text)]
    blocks = [(p, block) for p, block in blocks
              if not (p.kind == "heading" and block.lstrip("#").strip() == title.strip())]
    headings = [(p.number, block.lstrip("#").strip()) for p, block in blocks if p.kind == "heading"]
    return blocks, headings


@bp.get("/read/<int:declaration_id>")
def reading(declaration_id: int):
    """The adopted declaration as clean text, with how each passage came to be."""
    declaration = record.readable(current_user, declaration_id)
    return _reading(declaration, declaration.current_version)


@bp.get("/read/<int:declaration_id>/v/<int:number>")
def version_permalink(declaration_id: int, number: int):
    """A permanent address for one version of an adopted declaration."""
    declaration = record.readable(current_user, declaration_id)
    version = next((v for v in declaration.versions if v.number == number), None)
    if version is None:
        raise NotFound(_("No version %(number)d of this declaration.", number=number))
    return _reading(declaration, version)


def _reading(declaration, version):
    blocks, headings = _paragraphs(version.text, declaration.title)
    final = record.final_vote(declaration)
    return render_template(
        "record/reading.html", declaration=declaration, version=version, blocks=blocks, headings=headings,
        shaping=record.provenance_by_paragraph(declaration, upto=version.number),
        final=final, final_result=record.result_of(final) if final else None,
        adopting=record.adopting_sections(final), verification=record.verify_declaration(declaration.id),
        published_at=record.published_at(declaration), formats=exports.FORMATS,
    )


@bp.get("/declarations/<int:declaration_id>/history")
def history(declaration_id: int):
    """Every version with its cause and result, the difference between any two, and the index of
    amendments with their outcomes."""
    declaration = record.get_visible_declaration(current_user, declaration_id)
    last = declaration.current_version.number
    older = request.args.get("from", type=int) or max(last - 1, 1)
    newer = request.args.get("to", type=int) or last
    view = "side" if request.args.get("view") == "side" else "inline"
    _, old_version, new_version = record.version_diff(current_user, declaration_id, older, newer)
    render = render_side_by_side if view == "side" else render_inline
    diff_words_of = wording.diff_wording(gettext("Version %(number)d", number=older),
                                         gettext("Version %(number)d", number=newer))
    section = request.args.get("section", type=int)
    listed = (amendments.list_amendments(current_user, declaration_id, section_id=section)
              if permissions.can_read_amendments(current_user, declaration) else [])
    return render_template(
        "record/history.html", declaration=declaration, older=old_version, newer=new_version, view=view,
        diff=render(old_version.text, new_version.text, wording=diff_words_of) if older != newer else None,
        amendments=listed, votes=record.amendment_votes(declaration), section=section,
        sections=sorted({a.section for a in declaration.amendments if a.section}, key=lambda s: s.name),
    )


@bp.get("/declarations/<int:declaration_id>/export.<fmt>")
def export(declaration_id: int, fmt: str):
    """The text with its record as an appendix: Markdown, printable HTML, PDF or OpenDocument."""
    if fmt not in exports.FILE_EXTENSIONS:
        raise NotFound(_("No such format."))
    data = exports.export(record.build_record(current_user, declaration_id), fmt, _=gettext,
                          ui_language=str(get_locale()))
    filename = f"declaration-{declaration_id}{exports.FILE_EXTENSIONS[fmt]}"
    return Response(data, mimetype=exports.MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/audit")
def audit_log():
    """Who did what, when, to what: every state change, filterable; nothing here can be changed."""
    declaration_id = request.args.get("declaration", type=int)
    actor_id = request.args.get("actor", type=int)
    action = request.args.get("action") or None
    events = record.audit_log(current_user, declaration_id=declaration_id, actor_id=actor_id, action=action)
    declarations, actors, actions = record.audit_filters()
    return render_template("record/audit.html", events=events, declarations=declarations, actors=actors,
                           actions=actions, chosen={"declaration": declaration_id, "actor": actor_id,
                                                    "action": action}, details_of=record.details_of)


@bp.get("/feed.atom")
def feed():
    """Published declarations as an Atom feed, for section websites to subscribe to."""
    items = [(d, record.published_at(d)) for d in record.published()]
    body = render_template("record/feed.xml", items=items, updated=max((at for _, at in items if at), default=None),
                           feed_url=url_for("record.feed", _external=True), home=url_for("main.index", _external=True))
    return Response(body, mimetype="application/atom+xml")
