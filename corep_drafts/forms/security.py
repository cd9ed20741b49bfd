"""Forms of the second factor, the invitation link and the admin's security settings."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from corep_drafts.forms import Form
from corep_drafts.forms.auth import NewPasswordForm


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


class InvitationPasswordForm(NewPasswordForm):
    """The invited person's own password."""


class SecuritySettingsForm(Form):
    second_factor_required = BooleanField(
        _l("Executives and admins must use a second factor"),
        description=_l(
            "After their password, those without one must set it up before reaching any page."
        ),
    )
