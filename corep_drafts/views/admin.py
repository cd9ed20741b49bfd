"""The admin area: users and sections."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from corep_drafts.forms.admin import NewUserForm, SectionForm, UserForm
from corep_drafts.forms.security import SecuritySettingsForm
from corep_drafts.services import accounts, invitations, outbox, second_factor, site_settings
from corep_drafts.services.errors import ServiceError
from corep_drafts.views.forms_support import attempt, me, show_error_on_form
from corep_drafts.views.links import absolute_url

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _with_section_choices(form: UserForm) -> UserForm:
    form.section.choices = [SelectChoice("", _("No section"))] + [
        SelectChoice(section.name) for section in accounts.list_sections()
    ]
    return form


@bp.get("/users")
def users():
    """Every account, with its roles and section; ``?q=`` finds by name or e-mail."""
    search = request.args.get("q", "")
    return render_template(
        "admin/users.html",
        users=accounts.list_users(search),
        search=search,
        pending_invitations=invitations.pending_by_user(),
        invitation_expired=invitations.has_expired,
    )


def _invitation_url(token: str) -> str:
    """Built like every absolute link (views/links.py), never from a request's forged Host."""
    return absolute_url("invitations.accept", token=token)


def _show_invitation(user, token: str):
    return render_template(
        "admin/invitation_issued.html",
        user=user,
        link=_invitation_url(token),
        hours=int(invitations.LIFETIME.total_seconds() // 3600),
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Add an account without a password, and show its invitation link once."""
    form = _with_section_choices(NewUserForm())
    if form.validate_on_submit():
        try:
            user, token = invitations.invite_user(
                form.email.data,
                form.name.data,
                form.roles.data,
                section_name=form.section.data or None,
                preferred_language=form.preferred_language.data or None,
                invited_by=me(),
            )
        except ServiceError as error:
            show_error_on_form(form, error)
        else:
            flash(_("Added the account %(email)s.", email=user.email), "success")
            return _show_invitation(user, token)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.post("/users/<int:user_id>/invitation")
def reissue_invitation(user_id: int):
    """A new invitation link for an account whose person has not set a password; the old one
    stops working."""
    result, refusal = attempt(invitations.reissue, user_id, invited_by=me())
    if refusal is not None:
        return redirect(url_for("admin.users"))
    user, token = result
    return _show_invitation(user, token)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    """Change an account's e-mail, name, roles, section or language."""
    user = accounts.get_user(user_id)
    form = _with_section_choices(UserForm(obj=None if request.method == "POST" else user))
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.section.data = user.section.name if user.section else ""
        form.preferred_language.data = user.preferred_language or ""
    if form.validate_on_submit():
        try:
            accounts.update_user(
                user.id,
                form.email.data,
                form.name.data,
                form.roles.data,
                section_name=form.section.data or None,
                preferred_language=form.preferred_language.data or None,
            )
        except ServiceError as error:
            show_error_on_form(form, error)
        else:
            flash(_("Saved the account %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.post("/users/<int:user_id>/active")
def set_user_active(user_id: int):
    """Deactivate (ending every session and token) or reactivate an account."""
    active = request.form.get("active") == "1"
    user, refusal = attempt(
        accounts.set_user_active, user_id, active, acting_user_id=current_user.id
    )
    if refusal is None:
        message = _("%(email)s can sign in again.") if active else _("%(email)s was deactivated.")
        flash(message % {"email": user.email}, "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/second-factor/reset")
def reset_second_factor(user_id: int):
    """Turn off the second factor of a person who lost it (and their recovery codes)."""
    user, refusal = attempt(second_factor.reset_by_admin, me(), user_id)
    if refusal is None:
        flash(_("The second factor of %(email)s was turned off.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.get("/sections")
def sections():
    """Every section with its language and weight."""
    return render_template("admin/sections.html", sections=accounts.list_sections())


@bp.route("/sections/new", methods=["GET", "POST"])
def new_section():
    """Add a section."""
    form = SectionForm()
    if form.validate_on_submit():
        try:
            section = accounts.add_section(
                form.name.data, form.language.data, form.weight.data or 1
            )
        except ServiceError as error:
            show_error_on_form(form, error)
        else:
            flash(_("Added the section %(name)s.", name=section.name), "success")
            return redirect(url_for("admin.sections"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/section_form.html", form=form, section=None), status


@bp.route("/sections/<int:section_id>", methods=["GET", "POST"])
def edit_section(section_id: int):
    """Rename a section or change its language or weight."""
    section = accounts.get_section(section_id)
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        try:
            accounts.update_section(
                section.id, form.name.data, form.language.data, form.weight.data or 1
            )
        except ServiceError as error:
            show_error_on_form(form, error)
        else:
            flash(_("Saved the section %(name)s.", name=section.name), "success")
            return redirect(url_for("admin.sections"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/section_form.html", form=form, section=section), status


@bp.route("/security", methods=["GET", "POST"])
def security():
    """Sign-in security: whether executives and admins must use a second factor."""
    form = SecuritySettingsForm(second_factor_required=site_settings.second_factor_required())
    if form.validate_on_submit():
        site_settings.require_second_factor(me(), form.second_factor_required.data)
        flash(_("Saved."), "success")
        return redirect(url_for("admin.security"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/security.html", form=form), status


@bp.get("/outbox")
def outbox_state():
    """The mail outbox: whether mail is configured, what waits, and what failed for good."""
    state = outbox.outbox_state()
    hours, minutes = outbox.waiting_for(state.oldest_pending_at)
    return render_template(
        "admin/outbox.html",
        state=state,
        waited_hours=hours,
        waited_minutes=minutes,
        max_attempts=outbox.MAX_ATTEMPTS,
    )
