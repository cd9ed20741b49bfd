"""Forms of the drafting pages. The amendment form says where its text goes (a paragraph, or
offsets for a revision) as a :class:`~corep_drafts.domain.text.Place`; the services put it back
into the version's text (:mod:`corep_drafts.domain.text.regions`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from corep_drafts.domain import input_values
from corep_drafts.domain import text as engine
from corep_drafts.domain.limits import MAX_ID
from corep_drafts.forms import Form
from corep_drafts.forms.admin import CheckboxesField

PENDING_STATUSES = ("submitted", "conflicted", "voting")
RULE_CHOICES = [
    SelectChoice("majority", _l("Simple majority of the sections voting")),
    SelectChoice("two-thirds", _l("Two thirds of the sections voting")),
    SelectChoice("unanimity", _l("Unanimity of the sections present")),
]


# --- forms ------------------------------------------------------------------------------------


class DeclarationForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    text = TextAreaField(
        _l("Text"),
        render_kw={"rows": 18},
        description=_l(
            "Markdown: # for headings, - for list items, a blank line between paragraphs."
        ),
    )
    rule = SelectField(_l("Voting rule"), choices=RULE_CHOICES, default="majority")
    quorum = IntegerField(
        _l("Quorum (sections)"),
        validators=[Optional(), NumberRange(min=1)],
        description=_l("Leave empty for no quorum."),
    )
    language = StringField(
        _l("Language code"),
        default="en",
        validators=[DataRequired(), Length(max=16)],
        description=_l("The language the text is written in, e.g. es, de, fr, tr, en."),
    )


class EditDeclarationForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    text = TextAreaField(
        _l("Text"),
        render_kw={"rows": 24},
        description=_l("Each save makes a new version; nothing is lost."),
    )


class AmendmentForm(Form):
    """Propose (with `paragraph`) or revise (with `start`/`end`) an amendment."""

    text = TextAreaField(_l("Your wording"), render_kw={"rows": 10, "spellcheck": "true"})
    rationale = TextAreaField(
        _l("Rationale"),
        render_kw={"rows": 5},
        description=_l("Why this change? Markdown is allowed."),
    )
    base_version = HiddenField()
    paragraph = HiddenField()
    start = HiddenField()
    end = HiddenField()

    def place(self) -> engine.Place:
        """Where the text goes; ValueError for a paragraph or offsets that are not numbers."""
        return place_from(self.paragraph.data, self.start.data, self.end.data)


def place_from(paragraph, start, end) -> engine.Place:
    """A place from what a form or a request sends: empty means none (the whole text)."""

    def number(value):
        if value in (None, ""):
            return None
        parsed = parse_int(value)
        if parsed is None:
            raise ValueError(value)
        return parsed

    return engine.Place(paragraph=number(paragraph), start=number(start), end=number(end))


class CommentForm(Form):
    body = TextAreaField(
        _l("Your comment"), render_kw={"rows": 4}, description=_l("Markdown is allowed.")
    )


class CompromiseForm(Form):
    amendments = CheckboxesField(_l("Amendments to merge"), coerce=int, choices=[])
    text = TextAreaField(
        _l("Compromise text"),
        render_kw={"rows": 18},
        description=_l(
            "Amendments that do not compete can be merged exactly as "
            "their proposers wrote them: then leave the text as it is. "
            "Where they compete, write the compromise wording here."
        ),
    )
    rationale = TextAreaField(_l("Rationale"), render_kw={"rows": 4})


def parse_int(value) -> int | None:
    """A whole number within what the database holds, from a form or JSON value; None for
    anything else (``Infinity``, ``1e400``, 30 digits, a boolean)."""
    try:
        return input_values.whole_number(value, minimum=-MAX_ID, maximum=MAX_ID)
    except input_values.InvalidValue:
        return None
