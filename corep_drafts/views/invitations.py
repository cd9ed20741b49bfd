"""The invitation link: the invited person sets their own password and is signed in."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from corep_drafts import session_policy
from corep_drafts.forms.security import InvitationPasswordForm
from corep_drafts.services import invitations
from corep_drafts.services.errors import ServiceError
from corep_drafts.views.forms_support import show_error_on_form

bp = Blueprint("invitations", __name__)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token: str):
    """Set one's password through an invitation link; an unknown link answers 404, a used,
    replaced or expired one 410, and neither changes anything."""
    invitation = invitations.open_invitation(token)
    form = InvitationPasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(token, form.new_password.data)
        except ServiceError as error:
            if error.status != 422:
                raise
            show_error_on_form(form, error)
        else:
            session_policy.start_signed_in_session(user)
            flash(_("Your password is set. Welcome, %(name)s.", name=user.name), "success")
            return redirect(url_for("main.index"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "auth/invitation.html", form=form, invited=invitation.user, expires_at=invitation.expires_at
    ), status
