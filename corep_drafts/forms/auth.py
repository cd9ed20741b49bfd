"""Sign-in, password and API token forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from corep_drafts.forms import Form


class LoginForm(Form):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired()], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )


class NewPasswordForm(Form):
    """A password chosen by its owner, typed twice; the policy itself is the service's."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "new-password", "minlength": 12},
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class PreferencesForm(Form):
    preferred_language = SelectField(_l("Interface language"), validate_choice=False)
    time_zone = SelectField(
        _l("Time zone"),
        validate_choice=False,
        description=_l("Dates and times are shown in this zone, with its name."),
    )

    def set_choices(self, languages: dict[str, str], zones: list[str]) -> None:
        self.preferred_language.choices = [SelectChoice("", _l("As the browser says"))] + [
            SelectChoice(code, name) for code, name in languages.items()
        ]
        self.time_zone.choices = [SelectChoice("", _l("As the browser says"))] + [
            SelectChoice(zone, zone.replace("_", " ")) for zone in zones
        ]


class TokenForm(Form):
    name = StringField(
        _l("Label"),
        validators=[Length(max=100)],
        description=_l("What the token is for, e.g. “section website”."),
    )
