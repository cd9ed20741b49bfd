"""Amendments: proposing with a live diff preview, reading, revising, co-sponsoring, discussing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from corep_drafts import permissions, wording
from corep_drafts.domain import text as engine
from corep_drafts.domain import workflow
from corep_drafts.forms.drafting import AmendmentForm, CommentForm, parse_int, place_from
from corep_drafts.services import amendments, compromises, declarations, votes
from corep_drafts.services.errors import InvalidInput, ServiceError
from corep_drafts.views.forms_support import attempt, me
from corep_drafts.views.query_values import number_arg

bp = Blueprint("amendments", __name__)

MAX_PREVIEW_CHARS = 1024 * 1024


def _render_editor(
    amendment, declaration, form, editing: amendments.Editing | None, status=200, preview=None
):
    region = editing.region if editing is not None else None
    version = editing.version if editing is not None else None
    paragraphs = region.paragraphs() if region is not None else None
    if amendment is not None:
        heading = _("Revise %(label)s", label=amendment.label)
    elif paragraphs is None:
        heading = _("Propose an amendment to the whole text")
    else:
        heading = _("Propose an amendment to ¶ %(number)d", number=paragraphs[0])
    if paragraphs is None:
        form.text.label.text = _("Your wording of the whole text")
    elif paragraphs[0] == paragraphs[1]:
        form.text.label.text = _("Your wording of ¶ %(number)d", number=paragraphs[0])
    else:
        form.text.label.text = _(
            "Your wording of ¶ %(first)d–%(last)d", first=paragraphs[0], last=paragraphs[1]
        )
    if preview is None and editing is not None and request.method == "POST":
        preview = _preview_html(editing)
    return render_template(
        "amendments/editor.html",
        amendment=amendment,
        heading=heading,
        declaration=declaration,
        form=form,
        region=region,
        version=version,
        paragraphs=paragraphs,
        preview=preview,
        paragraph_count=len(engine.split_paragraphs(version.text)) if version else 0,
        period_open=declaration.status == workflow.DeclarationStatus.AMENDING,
    ), status


def _preview_html(editing: amendments.Editing) -> Markup:
    if not editing.changed:
        return Markup('<p class="preview-empty">%s</p>') % _(
            "No change yet: edit the text to see the difference."
        )
    return engine.render_inline(
        editing.version.text, editing.amended, wording=wording.diff_wording()
    )


def _posted_editing(declaration, form):
    """What the posted form edits, or None with the reason beside the form (422)."""
    try:
        place = form.place()
    except ValueError:
        form.paragraph.errors = [_("This version has no such paragraph.")]
        return None
    found, _refusal = attempt(
        amendments.editing,
        me(),
        declaration.id,
        form.base_version.data,
        place,
        form.text.data or "",
        form=form,
    )
    return found


@bp.route("/declarations/<int:declaration_id>/amendments/new", methods=["GET", "POST"])
def new(declaration_id: int):
    """Propose an amendment: edit one paragraph (or the whole text) in place, see the diff live."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    form = AmendmentForm()
    if request.method == "GET":
        number = number_arg("paragraph")
        try:
            editing = amendments.editing(
                me(),
                declaration.id,
                declaration.current_version.number,
                engine.Place(paragraph=number),
            )
        except InvalidInput:
            abort(404)
        form.text.data, form.base_version.data = editing.region.initial, editing.version.number
        form.paragraph.data = number or ""
        return _render_editor(None, declaration, form, editing)

    return _post_editor(
        None,
        declaration,
        form,
        amendments.propose,
        declaration.id,
        lambda saved: _("%(label)s was submitted.", label=saved.label),
    )


def _post_editor(amendment, declaration, form, save, subject_id: int, done):
    """The editor's POST, proposing or revising: the preview, or the save (``save(user,
    subject_id, base_version, text, rationale, place=...)``); a refusal goes back to the form."""
    editing = _posted_editing(declaration, form)
    if editing is None or not form.validate_on_submit():
        return _render_editor(amendment, declaration, form, editing, 422)
    if request.form.get("preview"):
        return _render_editor(amendment, declaration, form, editing, 200)
    saved, refusal = attempt(
        save,
        me(),
        subject_id,
        form.base_version.data,
        form.text.data or "",
        form.rationale.data or "",
        place=form.place(),
        form=form,
    )
    if refusal is not None:
        return _render_editor(amendment, declaration, form, editing, refusal.status)
    flash(done(saved), "success")
    return redirect(url_for("amendments.show", amendment_id=saved.id))


def _json_error(status: int, message: str):
    response = jsonify(
        {"error": {"code": "bad_request" if status == 400 else "not_found", "message": message}}
    )
    response.status_code = status
    return response


@bp.post("/declarations/<int:declaration_id>/amendments/preview")
def preview(declaration_id: int):
    """The live preview: JSON {base_version, paragraph | start+end, text} in, {html} out."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return _json_error(400, _("Send a JSON object with the base version and the text."))
    if parse_int(data.get("base_version")) is None or len(data["text"]) > MAX_PREVIEW_CHARS:
        return _json_error(400, _("The base version is missing, or the text is too long."))
    try:
        place = place_from(data.get("paragraph"), data.get("start"), data.get("end"))
        editing = amendments.editing(
            me(), declaration_id, data["base_version"], place, data["text"]
        )
    except ValueError:
        return _json_error(400, _("This version has no such paragraph."))
    except ServiceError as error:
        return _json_error(
            404 if error.status == 404 or error.field == "base_version" else 400, error.message
        )
    return jsonify({"html": str(_preview_html(editing)), "changed": editing.changed})


def _diff(base: str, amended: str, side: bool, old_label: str, new_label: str) -> Markup:
    if side:
        return engine.render_side_by_side(
            base, amended, wording=wording.diff_wording(old_label, new_label)
        )
    return engine.render_inline(base, amended, wording=wording.diff_wording(old_label, new_label))


def _render_show(amendment, comment_form=None, status=200):
    declaration = amendment.declaration
    base, current = amendment.base_version, declaration.current_version
    side = request.args.get("view") == "side"
    on_current = base.id == current.id
    old_label = _("Current text") if on_current else _("Version %(number)d", number=base.number)
    diff = _diff(base.text, amendment.text, side, old_label, _("Amended text"))
    return render_template(
        "amendments/show.html",
        amendment=amendment,
        declaration=declaration,
        diff=diff,
        side=side,
        location=wording.location(base.text, amendment.touched_start, amendment.touched_end),
        competing=amendments.rivals_of(amendment),
        underneath=(
            engine.render_inline(base.text, current.text, wording=wording.diff_wording())
            if amendment.status == workflow.AmendmentStatus.CONFLICTED and not on_current
            else None
        ),
        on_current=on_current,
        comment_form=comment_form or CommentForm(formdata=None),
        actions=permissions.amendment_actions(me(), amendment),
        amendment_votes=votes.votes_on(amendment.id),
        compromise_drafts=[
            (draft, _draft_diff(draft, current.text))
            for draft in compromises.waiting_for(amendment.id)
        ],
    ), status


def _draft_diff(draft, current_text: str):
    text = compromises.text_of(draft)
    return (
        engine.render_inline(current_text, text, wording=wording.diff_wording())
        if text is not None
        else None
    )


@bp.get("/amendments/<int:amendment_id>")
def show(amendment_id: int):
    """One amendment: its diff inline or side by side, where it is, who backs it, its history
    and discussion, and what one may do with it."""
    return _render_show(amendments.get_visible_amendment(current_user, amendment_id))


@bp.get("/amendments/<int:amendment_id>/revisions/<int:number>")
def revision(amendment_id: int, number: int):
    """One revision of an amendment, its text diffed against the version it was written for."""
    amendment = amendments.get_visible_amendment(current_user, amendment_id)
    revision = next((r for r in amendment.revisions if r.number == number), None)
    if revision is None:
        abort(404)
    side = request.args.get("view") == "side"
    base = revision.base_version
    diff = _diff(
        base.text,
        revision.text,
        side,
        _("Version %(number)d", number=base.number),
        _("Amended text"),
    )
    return render_template(
        "amendments/revision.html",
        amendment=amendment,
        revision=revision,
        diff=diff,
        side=side,
        declaration=amendment.declaration,
    )


@bp.route("/amendments/<int:amendment_id>/revise", methods=["GET", "POST"])
def revise(amendment_id: int):
    """The proposer rewrites the amendment (the paragraphs it touches, or the whole text)."""
    amendment = amendments.get_visible_amendment(current_user, amendment_id)
    if not permissions.amendment_actions(me(), amendment).revise:
        flash(
            _("Only its proposer can revise an amendment, while it is submitted or conflicted."),
            "error",
        )
        return redirect(url_for("amendments.show", amendment_id=amendment.id))
    declaration = amendment.declaration
    form = AmendmentForm()
    if request.method == "GET":
        editing = amendments.revision_editing(amendment, whole=bool(request.args.get("whole")))
        form.text.data, form.base_version.data = editing.region.initial, editing.version.number
        form.start.data, form.end.data = editing.region.start, editing.region.end
        form.rationale.data = amendment.rationale
        return _render_editor(amendment, declaration, form, editing)

    return _post_editor(
        amendment,
        declaration,
        form,
        amendments.revise,
        amendment.id,
        lambda saved: _("%(label)s was revised.", label=saved.label),
    )


def _act(amendment_id: int, action, done: str):
    """Run one service action on an amendment; a refusal is flashed, a 404 stays a 404."""
    _done, refusal = attempt(action, me(), amendment_id)
    if refusal is None:
        flash(done, "success")
    return redirect(url_for("amendments.show", amendment_id=amendment_id))


@bp.post("/amendments/<int:amendment_id>/withdraw")
def withdraw(amendment_id: int):
    """The proposer withdraws the amendment (before its vote)."""
    return _act(amendment_id, amendments.withdraw, _("The amendment was withdrawn."))


@bp.post("/amendments/<int:amendment_id>/cosponsor")
def cosponsor(amendment_id: int):
    """A delegate of another section joins the amendment for their section."""
    return _act(amendment_id, amendments.cosponsor, _("Your section co-sponsors this amendment."))


@bp.post("/amendments/<int:amendment_id>/cosponsor/withdraw")
def uncosponsor(amendment_id: int):
    """A delegate withdraws their section's co-sponsorship."""
    return _act(
        amendment_id,
        amendments.withdraw_cosponsorship,
        _("Your section no longer co-sponsors this amendment."),
    )


@bp.post("/compromises/<int:proposal_id>/agree")
def agree_compromise(proposal_id: int):
    """A proposer agrees to a compromise drafted with their amendment; the last one makes it."""
    proposal, refusal = attempt(compromises.agree, me(), proposal_id)
    if refusal is not None:
        return redirect(request.referrer or url_for("main.index"))
    if proposal.status == workflow.CompromiseStatus.MADE:
        flash(_("Everyone agreed: %(label)s is made.", label=proposal.result.label), "success")
        return redirect(url_for("amendments.show", amendment_id=proposal.result_id))
    if proposal.status == workflow.CompromiseStatus.LAPSED:
        flash(_("The compromise lapsed: one of its amendments is no longer pending."), "error")
    else:
        flash(_("You agreed; the compromise waits for the other proposers."), "success")
    return redirect(url_for("amendments.show", amendment_id=proposal.amendments[0].id))


@bp.post("/amendments/<int:amendment_id>/comments")
def comment(amendment_id: int):
    """Add a comment to the amendment's discussion."""
    form = CommentForm()
    if form.validate_on_submit():
        posted, refusal = attempt(
            amendments.add_comment, me(), amendment_id, form.body.data or "", form=form
        )
        if refusal is not None and refusal.field != "body":
            return redirect(url_for("amendments.show", amendment_id=amendment_id))
        if refusal is None:
            flash(_("Your comment was added."), "success")
            return redirect(
                url_for(
                    "amendments.show", amendment_id=amendment_id, _anchor=f"comment-{posted.id}"
                )
            )
    return _render_show(amendments.get_visible_amendment(current_user, amendment_id), form, 422)
