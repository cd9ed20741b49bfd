"""WTForms forms (Flask-WTF, so every form carries a CSRF token). Buttons that only change
something carry the token by hand (`csrf_token()`); CSRFProtect checks every POST.

Every form derives from :class:`Form`, whose fields ask their built-in messages ("This field is
required.") of this project's catalogues, so that they exist in all six interface languages
(WTForms ships no Esperanto).
"""

from flask_babel import get_translations
from flask_wtf import FlaskForm


def N_(message: str) -> str:
    """Marks a message for extraction without translating it here."""
    return message


def ngettext(singular: str, plural: str, _count: int = 2) -> tuple[str, str]:
    """Marks a plural message for extraction without translating it here."""
    return singular, plural


# The messages of the WTForms fields and validators these forms use.
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid integer value."),
    N_("Not a valid choice."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Field must be equal to %(other_name)s."),
    N_("Invalid input."),
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
    ),
)


class CatalogueTranslations:
    """What WTForms calls to translate: our catalogues, in the request's language. The message
    comes back unformatted; the validator fills in its own values."""

    def gettext(self, message: str) -> str:
        return get_translations().ugettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return get_translations().ungettext(singular, plural, count)


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return CatalogueTranslations()
