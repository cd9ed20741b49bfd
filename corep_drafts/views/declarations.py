"""Declarations: reading, the draft page with its amendments, and the executive's controls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from corep_drafts import permissions, wording
from corep_drafts.domain import text as engine
from corep_drafts.domain import workflow
from corep_drafts.domain.limits import MAX_ID
from corep_drafts.forms.drafting import (
    CompromiseForm,
    DeclarationForm,
    EditDeclarationForm,
)
from corep_drafts.fragment_cache import fragment_cache
from corep_drafts.i18n import AMENDMENT_STATUS_LABELS, STATUS_LABELS, label
from corep_drafts.services import (
    accounts,
    audit,
    compromises,
    declarations,
    drafts,
    input_checks,
)
from corep_drafts.services.errors import InvalidInput
from corep_drafts.views.forms_support import attempt, me
from corep_drafts.views.query_values import number_arg

bp = Blueprint("declarations", __name__, url_prefix="/declarations")

TRANSITION_LABELS = {
    "amending": _l("Open the amendment period"),
    "voting": _l("Close amendments and open the voting"),
    "published": _l("Publish"),
    "withdrawn": _l("Withdraw the declaration"),
}


@bp.context_processor
def drafting_helpers():
    return {"transition_label": lambda target: TRANSITION_LABELS.get(target, target)}


@dataclass(frozen=True)
class DraftBody:
    """The draft page's paragraphs and amendments as HTML, with the counts its header shows."""

    html: Markup
    shown_count: int
    undecided_total: int


@bp.get("/<int:declaration_id>")
def show(declaration_id: int):
    """The draft page while drafting (numbered paragraphs, amendments by paragraph, controls);
    otherwise the current text, with its versions."""
    # Read before anything the kept part of the page shows, so that part is never older than
    # the key it is kept under (a change committed in between makes it newer, which is harmless).
    stamp = audit.newest_event(declaration_id)
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    if workflow.is_decided(declaration.status):
        return redirect(url_for("record.reading", declaration_id=declaration.id))
    if not workflow.is_drafting(declaration.status) or not permissions.can_read_amendments(
        current_user, declaration
    ):
        return render_template(
            "declarations/show.html", declaration=declaration, version=declaration.current_version
        )
    section_id = number_arg("section")
    status = (
        request.args.get("status")
        if request.args.get("status") in AMENDMENT_STATUS_LABELS
        else None
    )
    may_propose = (
        permissions.can_propose(current_user, declaration)
        and declaration.status == workflow.DeclarationStatus.AMENDING
    )
    sections = accounts.list_sections()
    # Everything the kept part shows that can change: the declaration's audit chain head moves
    # with every recorded change (amendments, cosponsors, votes, versions, status); the title
    # (editable without an event) and the sections' names are read anyway; and how it is shown.
    key = (
        declaration.id,
        stamp,
        declaration.title,
        declaration.language,
        tuple((section.id, section.name) for section in sections),
        str(get_locale()),
        request.script_root,
        section_id,
        status,
        may_propose,
    )
    body = fragment_cache("draft_body").get_or_make(
        key,
        lambda: draft_body(declaration, section_id, status, may_propose),
        lambda made: len(made.html),
    )
    return render_template(
        "declarations/draft.html",
        declaration=declaration,
        version=declaration.current_version,
        body=body,
        filters={"section": section_id, "status": status},
        statuses=AMENDMENT_STATUS_LABELS,
        sections=sections,
        may_propose=may_propose,
        may_manage=permissions.can_manage_declaration(current_user),
        targets=workflow.manual_declaration_targets(declaration.status),
    )


def draft_body(declaration, section_id: int | None, status: str | None, may_propose: bool):
    draft = drafts.draft_page(current_user, declaration.id, section_id=section_id, status=status)
    html = render_template(
        "declarations/_draft_body.html",
        declaration=declaration,
        draft=draft,
        may_propose=may_propose,
        status_labels={key: label(AMENDMENT_STATUS_LABELS, key) for key in AMENDMENT_STATUS_LABELS},
        amendment_url=link_for_each("amendments.show", "amendment_id"),
        propose_url=link_for_each("amendments.new", "paragraph", declaration_id=declaration.id),
    )
    # The template's own output, escaped as it rendered it: kept as it is, not escaped again.
    made = Markup(html)  # nosec B704  # autoescaped template output, no raw user text
    return DraftBody(made, draft.shown_count, draft.undecided_total)


def link_for_each(endpoint: str, name: str, **values) -> Callable[[int], str]:
    """``url_for(endpoint, name=number, **values)`` for many numbers, the route built once."""
    url = url_for(endpoint, **values, **{name: MAX_ID})
    before, _placeholder, after = url.rpartition(str(MAX_ID))
    return lambda number: f"{before}{int(number)}{after}"


@bp.get("/<int:declaration_id>/versions/<int:number>")
def version(declaration_id: int, number: int):
    """One version of a declaration's text, as it was."""
    version = declarations.get_visible_version(current_user, declaration_id, number)
    return render_template(
        "declarations/show.html", declaration=version.declaration, version=version
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    """The executive starts a declaration: title, first text, voting rule, quorum, language."""
    form = DeclarationForm()
    if form.validate_on_submit():
        declaration, refusal = attempt(
            declarations.create_declaration,
            form.title.data,
            form.text.data or "",
            rule=form.rule.data,
            quorum=form.quorum.data,
            language=(form.language.data or "").strip(),
            created_by=me(),
            form=form,
        )
        if refusal is None:
            flash(_("The draft was created as version 1."), "success")
            return redirect(url_for("declarations.show", declaration_id=declaration.id))
    status = 422 if request.method == "POST" else 200
    return render_template("declarations/form.html", form=form, declaration=None), status


@bp.route("/<int:declaration_id>/edit", methods=["GET", "POST"])
def edit(declaration_id: int):
    """The executive edits the title and text directly, while the declaration is a draft."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    if not workflow.can_edit_text(declaration.status):
        flash(
            _(
                "The text can be edited directly only while the declaration is a draft; "
                "after that, changes go through amendments."
            ),
            "error",
        )
        return redirect(url_for("declarations.show", declaration_id=declaration.id))
    form = EditDeclarationForm(
        data=None
        if request.method == "POST"
        else {"title": declaration.title, "text": declaration.current_version.text}
    )
    if form.validate_on_submit():
        _saved, refusal = attempt(
            declarations.edit_draft,
            me(),
            declaration.id,
            form.text.data or "",
            form.title.data,
            form=form,
        )
        if refusal is None:
            flash(_("Saved."), "success")
            return redirect(url_for("declarations.show", declaration_id=declaration.id))
    status = 422 if request.method == "POST" else 200
    return render_template("declarations/form.html", form=form, declaration=declaration), status


@bp.post("/<int:declaration_id>/transition")
def transition(declaration_id: int):
    """Move the declaration along its life cycle (open amendments, open the vote, publish...)."""
    declaration, refusal = attempt(
        declarations.transition, me(), declaration_id, request.form.get("to", "")
    )
    if refusal is None:
        flash(
            _(
                "The declaration is now: %(status)s.",
                status=label(STATUS_LABELS, declaration.status),
            ),
            "success",
        )
    return redirect(url_for("declarations.show", declaration_id=declaration_id))


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
    if iso:
        return input_checks.moment_from_text(iso, "deadline")
    if local:
        return input_checks.moment_from_text(local, "deadline", form.get("tz_offset") or "")
    raise InvalidInput(_("Choose a date and time, or clear the deadline."), field="deadline")


@bp.post("/<int:declaration_id>/deadline")
def deadline(declaration_id: int):
    """Set or clear the moment after which new amendments are refused (stored in UTC)."""
    declaration, refusal = attempt(
        lambda: declarations.set_amendment_deadline(
            me(), declaration_id, parse_deadline(request.form)
        )
    )
    if refusal is None:
        if declaration.amendment_deadline is None:
            flash(_("The amendment period has no deadline now."), "success")
        else:
            flash(
                _("The amendment deadline was saved; the page shows it in your time zone."),
                "success",
            )
    return redirect(url_for("declarations.show", declaration_id=declaration_id))


@bp.route("/<int:declaration_id>/compromise", methods=["GET", "POST"])
def compromise(declaration_id: int):
    """The executive merges two or more pending amendments into one compromise amendment; a
    proposer drafts one that is made when the other proposers agree."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    current = declaration.current_version
    candidates = [
        a
        for a in declaration.amendments
        if workflow.is_ready(a.status, a.base_version_id == current.id)
    ]
    form = CompromiseForm(data=None if request.method == "POST" else {"text": current.text})
    form.amendments.choices = [
        SelectChoice(a.id, f"{a.label} — {a.section.name if a.section else _('the executive')}")
        for a in candidates
    ]
    executive = permissions.can_manage_declaration(current_user)
    if form.validate_on_submit():
        text = form.text.data or ""
        if text.replace("\r\n", "\n") == current.text.replace("\r\n", "\n") or not text.strip():
            text = None  # unchanged: merge the amendments exactly as written
        elif "\r\n" not in current.text:
            text = text.replace("\r\n", "\n")
        make = compromises.compromise if executive else compromises.propose
        made, refusal = attempt(
            make,
            me(),
            declaration.id,
            form.amendments.data or [],
            text,
            form.rationale.data or "",
            form=form,
        )
        if refusal is None:
            result = made if executive else made.result
            if result is not None:
                flash(
                    _(
                        "%(label)s merges the chosen amendments; they are superseded.",
                        label=result.label,
                    ),
                    "success",
                )
                return redirect(url_for("amendments.show", amendment_id=result.id))
            flash(
                _(
                    "Your compromise is drafted; it is made when the other proposers agree on "
                    "their "
                    "amendments' pages."
                ),
                "success",
            )
            return redirect(url_for("amendments.show", amendment_id=made.amendments[0].id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "declarations/compromise.html",
        declaration=declaration,
        form=form,
        candidates=candidates,
        executive=executive,
        diffs={
            a.id: engine.render_inline(current.text, a.text, wording=wording.diff_wording())
            for a in candidates
        },
    ), status
