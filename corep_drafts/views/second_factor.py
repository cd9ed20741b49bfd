"""The second factor's pages: the code asked after the password, setting it up and switching it
off on the profile, and the gate that sends whoever must set it up to do so first."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from corep_drafts import session_policy, throttling
from corep_drafts.forms.security import (
    ConfirmSecondFactorForm,
    DisableSecondFactorForm,
    SignInCodeForm,
)
from corep_drafts.services import second_factor
from corep_drafts.services.errors import ServiceError
from corep_drafts.views.forms_support import me, show_error_on_form
from corep_drafts.views.main import safe_next

bp = Blueprint("second_factor", __name__)

CHALLENGE_KEY = "sign_in_challenge"
NEXT_KEY = "sign_in_next"

# What a person who must set up a second factor may still reach before doing so.
OPEN_WHILE_ENROLLING = frozenset(
    {
        "second_factor.enrol",
        "auth.logout",
        "static",
        "main.set_language",
        "invitations.accept",
    }
)


def ask_for_code(user, next_url: str | None):
    """The password was right and the account has a second factor: the code page goes on."""
    session[CHALLENGE_KEY] = second_factor.start_challenge(user)
    session[NEXT_KEY] = safe_next(next_url, url_for("main.index"))
    return redirect(url_for("second_factor.code"))


def pending_account() -> str | None:
    """The e-mail of the sign-in awaiting its code in this session (the throttle's account)."""
    return second_factor.challenge_email(session.get(CHALLENGE_KEY))


def _start_over(message: str):
    session.pop(CHALLENGE_KEY, None)
    session.pop(NEXT_KEY, None)
    flash(message, "error")
    return redirect(url_for("auth.login"))


@bp.route("/login/code", methods=["GET", "POST"])
def code():
    """The second step of signing in: a current code, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    token = session.get(CHALLENGE_KEY)
    if not second_factor.challenge_is_live(token):
        return _start_over(_("That sign-in took too long or was ended; sign in again."))
    form = SignInCodeForm()
    if form.validate_on_submit():
        try:
            user = second_factor.answer_challenge(token, form.code.data)
        except second_factor.SignInAgain as error:
            throttling.count_failed_sign_in()
            return _start_over(error.message)
        except ServiceError as error:
            throttling.count_failed_sign_in()
            show_error_on_form(form, error)
        else:
            next_url = session.get(NEXT_KEY) or url_for("main.index")
            session_policy.start_signed_in_session(user)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            if not second_factor.is_time_code(form.code.data):
                left = second_factor.recovery_codes_left(user)
                flash(
                    ngettext(
                        "You used a recovery code; %(num)d is left.",
                        "You used a recovery code; %(num)d are left.",
                        left,
                    ),
                    "info",
                )
            return redirect(safe_next(next_url, url_for("main.index")))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/second_factor_code.html", form=form), status


@bp.route("/profile/second-factor", methods=["GET", "POST"])
def enrol():
    """Set up the second factor (QR code and secret, confirmed by a code), or, once it is on,
    switch it off."""
    user = me()
    if user.has_second_factor:
        return _render_manage(DisableSecondFactorForm(formdata=None))
    form = ConfirmSecondFactorForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(user, form.code.data)
        except ServiceError as error:
            show_error_on_form(form, error)
        else:
            flash(_("Your second factor is on."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
    secret = second_factor.enrolment_secret(user)
    uri = second_factor.provisioning_uri(user, secret)
    return render_template(
        "auth/second_factor_enrol.html",
        form=form,
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_code=second_factor.qr_code_svg(uri),
        required=second_factor.is_required_for(user),
    ), 422 if form.errors else 200


def _render_manage(form, status=200):
    user = me()
    return render_template(
        "auth/second_factor_manage.html",
        form=form,
        codes_left=second_factor.recovery_codes_left(user),
        required=second_factor.is_required_for(user),
    ), status


@bp.post("/profile/second-factor/disable")
def disable():
    """Switch the second factor off: the password and a current (or recovery) code."""
    if not me().has_second_factor:
        return redirect(url_for("second_factor.enrol"))
    form = DisableSecondFactorForm()
    if form.validate_on_submit():
        try:
            second_factor.disable(me(), form.password.data, form.code.data)
        except ServiceError as error:
            if error.status != 422:
                raise
            show_error_on_form(form, error)
        else:
            flash(_("Your second factor is off."), "success")
            return redirect(url_for("auth.profile"))
    return _render_manage(form, status=422)


@bp.before_app_request
def send_to_enrolment_when_required():
    """Whom the admin requires to have a second factor sets it up before any other page."""
    if (
        request.blueprint == "api"  # the API answers to tokens, not to this session
        or request.endpoint is None
        or request.endpoint in OPEN_WHILE_ENROLLING
        or not current_user.is_authenticated
    ):
        return None
    if second_factor.must_enrol(current_user):
        return redirect(url_for("second_factor.enrol"))
    return None
