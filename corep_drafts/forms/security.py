"""Forms of the second factor, the invitation link and the admin's security settings."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from corep_drafts.forms import Form


def _code_field(label, description=None) -> StringField:
    return StringField(
        label,
        validators=[DataRequired(), Length(max=40)],
        description=description,
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class SignInCodeForm(Form):
    code = _code_field(
        _l("Code"),
        _l("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
    )


class ConfirmSecondFactorForm(Form):
    code = _code_field(_l("Code"), _l("The 6-digit code your authenticator app shows now."))


class DisableSecondFactorForm(Form):
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    code = _code_field(
        _l("Code"),
        _l("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
    )


class InvitationPasswordForm(Form):
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class SecuritySettingsForm(Form):
    second_factor_required = BooleanField(
        _l("Executives and admins must use a second factor"),
        description=_l(
            "After their password, those without one must set it up before reaching any page."
        ),
    )
