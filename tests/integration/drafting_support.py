"""What the drafting page tests share: a short declaration and small helpers."""

from sqlalchemy import func, select

from corep_drafts.extensions import db
from corep_drafts.models import Amendment

TEXT = (
    "# Heat at work\n\nEvery summer breaks the records of the one before.\n\n"
    "Workers go on working through the heat,\nbecause deadlines leave no room to stop.\n\n"
    "- A binding maximum temperature for work.\n- Paid breaks in shade.\n\n"
    "We call on all organizations to join.   \n"
)
PARAGRAPH_3 = "Workers go on working through the heat,\nbecause deadlines leave no room to stop."


def replace(old: str, new: str, text: str = TEXT) -> str:
    assert old in text
    return text.replace(old, new, 1)


def amendment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Amendment))
