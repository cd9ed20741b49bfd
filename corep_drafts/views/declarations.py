"""Declarations: reading, the draft page with its amendments, and the executive's controls."""
from __future__ import annotations

import textwrap
from collections import Counter
from datetime import datetime, timedelta, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from corep_drafts import permissions, wording
from corep_drafts.domain import text as engine
from corep_drafts.domain import workflow
from corep_drafts.i18n import AMENDMENT_STATUS_LABELS, STATUS_LABELS
from corep_drafts.forms.drafting import (
    PENDING_STATUSES,
    CompromiseForm,
    DeclarationForm,
    EditDeclarationForm,
    parse_int,
)
from corep_drafts.rendering import render_declaration
from corep_drafts.services import accounts, amendments, compromises, declarations
from corep_drafts.services.errors import InvalidInput, ServiceError
from corep_drafts.views.forms_support import show_error_on_form

bp = Blueprint("declarations", __name__, url_prefix="/declarations")

DRAFTING_STATES = ("draft", "amending", "voting")
TRANSITION_LABELS = {
    "amending": _l("Open the amendment period"),
    "voting": _l("Close amendments and open the voting"),
    "published": _l("Publish"),
    "withdrawn": _l("Withdraw the declaration"),
}


@bp.context_processor
def drafting_helpers():
    return {"transition_label": lambda target: TRANSITION_LABELS.get(target, target)}


@bp.get("/<int:declaration_id>")
def show(declaration_id: int):
    """The draft page while drafting (numbered paragraphs, amendments by paragraph, controls);
    otherwise the current text, with its versions."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    if declaration.status in ("adopted", "published"):
        return redirect(url_for("record.reading", declaration_id=declaration.id))
    if declaration.status not in DRAFTING_STATES or not permissions.can_read_amendments(current_user, declaration):
        return render_template("declarations/show.html", declaration=declaration,
                               version=declaration.current_version)
    section_id = parse_int(request.args.get("section")) or None
    status = request.args.get("status") if request.args.get("status") in AMENDMENT_STATUS_LABELS else None
    shown = amendments.list_amendments(current_user, declaration.id, section_id=section_id, status=status)
    return render_template(
        "declarations/draft.html", declaration=declaration, version=declaration.current_version,
        draft=_draft_view(declaration, shown), filters={"section": section_id, "status": status},
        sections=accounts.list_sections(),
        may_propose=permissions.can_propose(current_user, declaration) and declaration.status == "amending",
        may_manage=permissions.can_manage_declaration(current_user),
        targets=workflow.manual_declaration_targets(declaration.status),
    )


def _paragraph_html(raw: str, kind: str, title: str) -> Markup | None:
    """One paragraph as the reader sees it (Markdown rendered), or None when it only repeats the
    title, which the page already shows as its heading."""
    source = textwrap.dedent(raw) if kind == "list_item" else raw
    html = render_declaration(source, title)
    return html if str(html).strip() else None


def _draft_view(declaration, shown) -> dict:
    """Paragraphs with their counts of pending amendments, and the shown amendments grouped under
    the first paragraph they touch, competing ones together."""
    text = declaration.current_version.text
    current_id = declaration.current_version.id
    everyone = list(declaration.amendments)
    touched: dict[int, set[int]] = {}
    for amendment in everyone:
        if amendment.base_version_id == current_id:
            numbers = set()
            for edit in amendments.edits_of(amendment):
                location = engine.locate(text, edit.start, edit.end)
                numbers.update(range(location.paragraph_from, location.paragraph_to + 1))
            touched[amendment.id] = numbers or {1}
    counts = Counter(n for a in everyone if a.id in touched and a.status in PENDING_STATUSES
                     for n in touched[a.id])
    competing = amendments.competing_groups(everyone)
    labels = {a.id: a.label for a in everyone}

    # Competing amendments form clusters (connected components); each is shown as one group.
    root = {a.id: a.id for a in everyone}

    def find(key):
        while root[key] != key:
            root[key] = root[root[key]]
            key = root[key]
        return key

    for key, others in competing.items():
        for other in others:
            root[find(key)] = find(other)
    clusters: dict[int, list] = {}
    others_list = []
    for amendment in shown:
        if amendment.id in touched:
            clusters.setdefault(find(amendment.id), []).append(amendment)
        else:
            others_list.append(amendment)
    groups_by_paragraph: dict[int, list] = {}
    for members in clusters.values():
        items = [_item(a, text, touched[a.id], competing.get(a.id, []), labels) for a in members]
        first = min(item["first"] for item in items)
        groups_by_paragraph.setdefault(first, []).append(
            {"items": items, "competing": any(item["competes"] for item in items)})
    rows = []
    for paragraph in engine.split_paragraphs(text):
        raw = text[paragraph.start:paragraph.end]
        rows.append({
            "number": paragraph.number, "kind": paragraph.kind.replace("_", "-"), "raw": raw,
            "html": _paragraph_html(raw, paragraph.kind, declaration.title),
            "pending": counts.get(paragraph.number, 0),
            "groups": sorted(groups_by_paragraph.get(paragraph.number, []),
                             key=lambda group: group["items"][0]["amendment"].number),
        })
    return {"rows": rows, "others": others_list, "shown_count": len(shown),
            "pending_total": sum(1 for a in everyone if a.status in PENDING_STATUSES)}


def _item(amendment, text, numbers, competing_ids, labels) -> dict:
    if amendment.touched_start is not None:
        location = engine.locate(text, amendment.touched_start, amendment.touched_end)
        first, last = location.paragraph_from, location.paragraph_to
    else:
        first, last = min(numbers), max(numbers)
    return {"amendment": amendment, "first": first, "last": last,
            "competes": [(key, labels[key]) for key in competing_ids]}


@bp.get("/<int:declaration_id>/versions/<int:number>")
def version(declaration_id: int, number: int):
    """One version of a declaration's text, as it was."""
    version = declarations.get_visible_version(current_user, declaration_id, number)
    return render_template("declarations/show.html", declaration=version.declaration, version=version)


@bp.route("/new", methods=["GET", "POST"])
def new():
    """The executive starts a declaration: title, first text, voting rule, quorum, language."""
    form = DeclarationForm()
    if form.validate_on_submit():
        try:
            declaration = declarations.create_declaration(
                form.title.data, form.text.data or "", rule=form.rule.data, quorum=form.quorum.data,
                language=(form.language.data or "").strip(), created_by=current_user._get_current_object())
        except ServiceError as error:
            show_error_on_form(form, error)
        else:
            flash(_("The draft was created as version 1."), "success")
            return redirect(url_for("declarations.show", declaration_id=declaration.id))
    status = 422 if request.method == "POST" else 200
    return render_template("declarations/form.html", form=form, declaration=None), status


@bp.route("/<int:declaration_id>/edit", methods=["GET", "POST"])
def edit(declaration_id: int):
    """The executive edits the title and text directly, while the declaration is a draft."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    if declaration.status != "draft":
        flash(_("The text can be edited directly only while the declaration is a draft; "
                "after that, changes go through amendments."), "error")
        return redirect(url_for("declarations.show", declaration_id=declaration.id))
    form = EditDeclarationForm(data=None if request.method == "POST" else {
        "title": declaration.title, "text": declaration.current_version.text})
    if form.validate_on_submit():
        try:
            declarations.edit_draft(current_user._get_current_object(), declaration.id,
                                    form.text.data or "", form.title.data)
        except ServiceError as error:
            if error.status == 404:
                raise
            show_error_on_form(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("declarations.show", declaration_id=declaration.id))
    status = 422 if request.method == "POST" else 200
    return render_template("declarations/form.html", form=form, declaration=declaration), status


@bp.post("/<int:declaration_id>/transition")
def transition(declaration_id: int):
    """Move the declaration along its life cycle (open amendments, open the vote, publish...)."""
    target = request.form.get("to", "")
    try:
        declaration = declarations.transition(current_user._get_current_object(), declaration_id, target)
    except ServiceError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
    else:
        flash(_("The declaration is now: %(status)s.", status=_status_label(declaration.status)), "success")
    return redirect(url_for("declarations.show", declaration_id=declaration_id))


def _status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def parse_deadline(form) -> datetime | None:
    """The deadline as an aware UTC datetime, from what the deadline form sent.

    The page's script sends `deadline_iso` (ISO 8601 with an offset, computed in the browser's
    time zone); without the script, `deadline` (a datetime-local value) is read with
    `tz_offset` (minutes, as JavaScript's getTimezoneOffset) or, failing that, as UTC.
    """
    if form.get("clear"):
        return None
    iso = (form.get("deadline_iso") or "").strip()
    local = (form.get("deadline") or "").strip()
    try:
        if iso:
            moment = datetime.fromisoformat(iso)
            if moment.tzinfo is None:
                raise ValueError(iso)
            return moment.astimezone(timezone.utc)
        if local:
            offset = parse_int(form.get("tz_offset")) or 0
            if abs(offset) > 16 * 60:
                raise ValueError(offset)
            naive = datetime.fromisoformat(local)
            if naive.tzinfo is not None:
                return naive.astimezone(timezone.utc)
            return (naive + timedelta(minutes=offset)).replace(tzinfo=timezone.utc)
    except ValueError:
        raise InvalidInput(_("That is not a date and time."), field="deadline") from None
    raise InvalidInput(_("Choose a date and time, or clear the deadline."), field="deadline")


@bp.post("/<int:declaration_id>/deadline")
def deadline(declaration_id: int):
    """Set or clear the moment after which new amendments are refused (stored in UTC)."""
    try:
        moment = parse_deadline(request.form)
        declaration = declarations.set_amendment_deadline(
            current_user._get_current_object(), declaration_id, moment)
    except ServiceError as error:
        if error.status == 404:
            raise
        flash(error.message, "error")
    else:
        if declaration.amendment_deadline is None:
            flash(_("The amendment period has no deadline now."), "success")
        else:
            flash(_("The amendment deadline was saved; the page shows it in your time zone."), "success")
    return redirect(url_for("declarations.show", declaration_id=declaration_id))


@bp.route("/<int:declaration_id>/compromise", methods=["GET", "POST"])
def compromise(declaration_id: int):
    """The executive merges two or more pending amendments into one compromise amendment; a
    proposer drafts one that is made when the other proposers agree."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    current = declaration.current_version
    candidates = [a for a in declaration.amendments
                  if a.status == "submitted" and a.base_version_id == current.id]
    form = CompromiseForm(data=None if request.method == "POST" else {"text": current.text})
    form.amendments.choices = [
        SelectChoice(a.id, f"{a.label} — {a.section.name if a.section else _('the executive')}")
        for a in candidates]
    executive = permissions.can_manage_declaration(current_user)
    if form.validate_on_submit():
        text = form.text.data or ""
        if text.replace("\r\n", "\n") == current.text.replace("\r\n", "\n") or not text.strip():
            text = None  # unchanged: merge the amendments exactly as written
        elif "\r\n" not in current.text:
            text = text.replace("\r\n", "\n")
        make = compromises.compromise if executive else compromises.propose
        try:
            made = make(current_user._get_current_object(), declaration.id, form.amendments.data or [], text,
                        form.rationale.data or "")
        except ServiceError as error:
            if error.status == 404:
                raise
            show_error_on_form(form, error)
        else:
            result = made if executive else made.result
            if result is not None:
                flash(_("%(label)s merges the chosen amendments; they are superseded.", label=result.label),
                      "success")
                return redirect(url_for("amendments.show", amendment_id=result.id))
            flash(_("Your compromise is drafted; it is made when the other proposers agree on their "
                    "amendments' pages."), "success")
            return redirect(url_for("amendments.show", amendment_id=made.amendments[0].id))
    status = 422 if request.method == "POST" else 200
    return render_template("declarations/compromise.html", declaration=declaration, form=form,
                           candidates=candidates, executive=executive,
                           diffs={a.id: engine.render_inline(current.text, a.text, wording=wording.diff_wording()) for a in candidates}), status
