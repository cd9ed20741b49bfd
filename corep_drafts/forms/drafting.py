"""Forms of the drafting pages, and the part of a text such a form edits (its *region*).

A delegate edits one paragraph (or a few, or the whole text) in place; the page posts only what
was in the textarea, and :meth:`Region.rebuild` puts it back into the base text, leaving every
other character of the base exactly as it was.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from corep_drafts.forms import Form
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from corep_drafts.domain import text as engine
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
    text = TextAreaField(_l("Text"), render_kw={"rows": 18},
                         description=_l("Markdown: # for headings, - for list items, a blank line "
                                        "between paragraphs."))
    rule = SelectField(_l("Voting rule"), choices=RULE_CHOICES, default="majority")
    quorum = IntegerField(_l("Quorum (sections)"), validators=[Optional(), NumberRange(min=1)],
                          description=_l("Leave empty for no quorum."))
    language = StringField(_l("Language code"), default="en", validators=[DataRequired(), Length(max=16)],
                           description=_l("The language the text is written in, e.g. es, de, fr, tr, en."))


class EditDeclarationForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    text = TextAreaField(_l("Text"), render_kw={"rows": 24},
                         description=_l("Each save makes a new version; nothing is lost."))


class AmendmentForm(Form):
    """Propose (with `paragraph`) or revise (with `start`/`end`) an amendment."""

    text = TextAreaField(_l("Your wording"), render_kw={"rows": 10, "spellcheck": "true"})
    rationale = TextAreaField(_l("Rationale"), render_kw={"rows": 5},
                              description=_l("Why this change? Markdown is allowed."))
    base_version = HiddenField()
    paragraph = HiddenField()
    start = HiddenField()
    end = HiddenField()


class CommentForm(Form):
    body = TextAreaField(_l("Your comment"), render_kw={"rows": 4},
                         description=_l("Markdown is allowed."))


class CompromiseForm(Form):
    amendments = CheckboxesField(_l("Amendments to merge"), coerce=int, choices=[])
    text = TextAreaField(_l("Compromise text"), render_kw={"rows": 18},
                         description=_l("Amendments that do not compete can be merged exactly as "
                                        "their proposers wrote them: then leave the text as it is. "
                                        "Where they compete, write the compromise wording here."))
    rationale = TextAreaField(_l("Rationale"), render_kw={"rows": 4})


# --- regions ----------------------------------------------------------------------------------

def fit_newlines(edited: str, base: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; give the edit the base's own line breaks."""
    edited = edited.replace("\r\n", "\n")
    return edited.replace("\n", "\r\n") if "\r\n" in base else edited


@dataclass(frozen=True)
class Region:
    """``base[start:end]`` is what the textarea replaces; ``initial`` is what it starts with."""

    base: str
    start: int
    end: int
    initial: str

    @property
    def baseline(self) -> str:
        return self.base[self.start:self.end]

    @property
    def is_whole(self) -> bool:
        return self.start == 0 and self.end == len(self.base)

    def rebuild(self, edited: str) -> str:
        return self.base[:self.start] + fit_newlines(edited, self.base) + self.base[self.end:]

    def paragraphs(self) -> tuple[int, int] | None:
        """First and last paragraph numbers of the region in its base, or None for the whole."""
        if self.is_whole or not self.base:
            return None
        location = engine.locate(self.base, self.start, self.end)
        return location.paragraph_from, location.paragraph_to


def paragraph_region(base: str, number: int | None) -> Region:
    """Paragraph `number` (from 1) of `base`, or the whole text for None; ValueError if unknown."""
    if number is None:
        return Region(base, 0, len(base), base)
    paragraphs = engine.split_paragraphs(base)
    if not 1 <= number <= len(paragraphs):
        raise ValueError(number)
    paragraph = paragraphs[number - 1]
    return Region(base, paragraph.start, paragraph.end, base[paragraph.start:paragraph.end])


def offsets_region(base: str, start: int, end: int) -> Region:
    if not 0 <= start <= end <= len(base):
        raise ValueError((start, end))
    return Region(base, start, end, base[start:end])


def _paragraph_hull(base: str, start: int, end: int) -> tuple[int, int]:
    """The smallest run of whole paragraphs of `base` holding [start, end)."""
    paragraphs = engine.split_paragraphs(base)
    if not paragraphs:
        return 0, len(base)
    location = engine.locate(base, start, end)
    first, last = paragraphs[location.paragraph_from - 1], paragraphs[location.paragraph_to - 1]
    return min(first.start, start), max(last.end, end)


def revision_region(base: str, amended: str, current: str, touched: tuple[int, int] | None) -> Region:
    """What a revision form edits: the paragraphs an amendment touches, in its own wording.

    When the amendment is on the current version (`base == current`), the region is those
    paragraphs of the current text. When it was written for an earlier version (a conflicted
    amendment), the proposer's wording of those paragraphs is put in place of the matching
    paragraphs of the current text, widened to whatever the adopted changes altered there, so
    that the preview shows honestly what the revision would change in the current text.
    """
    if touched is None:
        return Region(current, 0, len(current), amended)
    start, end = _paragraph_hull(base, *touched)
    adopted = engine.edits_between(base, current) if base != current else ()
    while True:  # widen to every adopted change that touches the region, then to whole paragraphs
        low = min([start] + [e.start for e in adopted if e.start <= end and e.end >= start])
        high = max([end] + [e.end for e in adopted if e.start <= end and e.end >= start])
        low, high = _paragraph_hull(base, low, high)
        if (low, high) == (start, end):
            break
        start, end = low, high
    if amended[:start] != base[:start] or not amended.endswith(base[end:]):
        return Region(current, 0, len(current), amended)  # not where we thought: edit it all
    # The amendment leaves base[:start] and base[end:] alone, so its wording of the region is:
    wording = amended[start:len(amended) - (len(base) - end)]
    new_start = start + sum(e.delta for e in adopted if e.end < start)
    new_end = end + sum(e.delta for e in adopted if e.end <= end)
    return Region(current, new_start, new_end, wording)


def parse_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
