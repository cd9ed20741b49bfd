"""WTForms forms (Flask-WTF, so every form carries a CSRF token)."""
from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A form with no fields: the CSRF token behind a button that changes something."""
