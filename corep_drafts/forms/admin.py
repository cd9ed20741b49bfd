"""Forms of the admin area: users and sections."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from corep_drafts.forms import Form
from corep_drafts.i18n import LANGUAGE_NAMES, ROLE_LABELS


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    roles = CheckboxesField(
        _l("Roles"), choices=[SelectChoice(role, name) for role, name in ROLE_LABELS.items()]
    )
    section = SelectField(
        _l("Section"), choices=[], validate_choice=False, description=_l("Required for a delegate.")
    )
    preferred_language = SelectField(
        _l("Interface language"),
        choices=[SelectChoice("", _l("As the browser says"))]
        + [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
    )


class NewUserForm(UserForm):
    """No password: the person sets their own through an invitation link."""


class SectionForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    language = StringField(
        _l("Language code"),
        validators=[DataRequired(), Length(max=16)],
        description=_l("ISO 639, e.g. es, de, fr, tr."),
    )
    weight = IntegerField(
        _l("Weight in votes"), default=1, validators=[Optional(), NumberRange(min=1)]
    )
