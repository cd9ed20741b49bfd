"""Signing in and out, the profile page: password and API tokens."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from corep_drafts import session_policy, throttling
from corep_drafts.forms.auth import ChangePasswordForm, LoginForm, PreferencesForm, TokenForm
from corep_drafts.i18n import LANGUAGE_NAMES, known_time_zones
from corep_drafts.services import accounts
from corep_drafts.services.errors import ServiceError
from corep_drafts.views import second_factor
from corep_drafts.views.forms_support import me, show_error_on_form
from corep_drafts.views.main import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            throttling.count_failed_sign_in()
            flash(_("Wrong e-mail or password, or the account is deactivated."), "error")
        elif user.has_second_factor:  # the code page finishes this sign-in
            return second_factor.ask_for_code(user, request.args.get("next"))
        else:
            session_policy.start_signed_in_session(user)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def logout():
    """Sign out everywhere: the account's session token is rotated, so old cookies stop working."""
    accounts.end_sessions(me())
    logout_user()
    session.clear()
    flash(_("Signed out."), "success")
    return redirect(url_for("main.index"))


def _preferences_form(formdata=None) -> PreferencesForm:
    user = me()
    form = PreferencesForm(
        formdata=formdata,
        preferred_language=user.preferred_language or "",
        time_zone=user.time_zone or "",
    )
    form.set_choices(LANGUAGE_NAMES, sorted(known_time_zones()))
    return form


def _render_profile(
    password_form=None, token_form=None, new_token=None, preferences_form=None, status=200
):
    return render_template(
        "auth/profile.html",
        password_form=password_form or ChangePasswordForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None),
        preferences_form=preferences_form or _preferences_form(),
        new_token=new_token,
    ), status


@bp.get("/profile")
def profile():
    """The signed-in person's account: password and API tokens."""
    return _render_profile()


@bp.post("/profile/password")
def change_password():
    """Change one's own password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = me()
        try:
            accounts.change_password(user, form.current_password.data, form.new_password.data)
        except ServiceError as error:
            show_error_on_form(form, error)
        else:
            login_user(user)  # this browser goes on under the new session token
            flash(_("Your password was changed; other sessions were signed out."), "success")
            return redirect(url_for("auth.profile"))
    return _render_profile(password_form=form, status=422)


@bp.post("/profile/preferences")
def update_preferences():
    """The interface language and time zone of one's own account."""
    form = _preferences_form(formdata=request.form)
    if form.validate_on_submit():
        try:
            accounts.update_preferences(me(), form.preferred_language.data, form.time_zone.data)
        except ServiceError as error:
            show_error_on_form(form, error)
        else:
            session.pop("language", None)  # the account's choice now speaks for this browser too
            flash(_("Your language and time zone were saved."), "success")
            return redirect(url_for("auth.profile"))
    return _render_profile(preferences_form=form, status=422)


@bp.post("/profile/tokens")
def create_token():
    """Create an API token; it is shown this once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_profile(token_form=form, status=422)
    token = accounts.create_token(me(), form.name.data)
    return _render_profile(new_token=token)


@bp.post("/profile/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke one of one's own API tokens."""
    accounts.revoke_token(me(), token_id)
    flash(_("The token was revoked."), "success")
    return redirect(url_for("auth.profile"))
