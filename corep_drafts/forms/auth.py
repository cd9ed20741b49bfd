"""Sign-in, password and API token forms."""
from flask_babel import lazy_gettext as _l
from corep_drafts.forms import Form
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired()], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=12)],
                                 render_kw={"autocomplete": "new-password", "minlength": 12})
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class TokenForm(Form):
    name = StringField(_l("Label"), validators=[Length(max=100)],
                       description=_l("What the token is for, e.g. “section website”."))
