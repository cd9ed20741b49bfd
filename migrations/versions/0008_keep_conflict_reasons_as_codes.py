"""keep conflict reasons as codes with values, worded in the reader's language when shown

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The English sentences stored before this revision, and their codes.
_ENGLISH = {
    "The adopted text also changed this passage of the amendment.":
        {"code": "changed_by_adoption", "passages": 1},
    "The adopted text also changed these passages of the amendment.":
        {"code": "changed_by_adoption", "passages": 2},
    "The adopted text already contains this change.": {"code": "already_contained"},
}
_LATER_VERSION = "also changed the passage it changes."


def _code_of(reason):
    if reason in _ENGLISH:
        return _ENGLISH[reason]
    if reason.startswith("Version ") and reason.endswith(_LATER_VERSION):
        words = reason.split()
        try:
            return {"code": "changed_by_later_version", "version_step": int(words[1]),
                    "versions_since": int(words[4])}
        except (IndexError, ValueError):
            return None
    return None


def upgrade():
    connection = op.get_bind()
    amendments = sa.table('amendment', sa.column('id', sa.Integer), sa.column('conflict_reason', sa.Text))
    rows = connection.execute(sa.select(amendments.c.id, amendments.c.conflict_reason)
                              .where(amendments.c.conflict_reason.is_not(None))).all()
    for amendment_id, reason in rows:
        code = _code_of(reason)
        if code is not None:  # anything else is shown as it was written
            connection.execute(amendments.update().where(amendments.c.id == amendment_id)
                               .values(conflict_reason=json.dumps(code, sort_keys=True)))


def downgrade():
    connection = op.get_bind()
    amendments = sa.table('amendment', sa.column('id', sa.Integer), sa.column('conflict_reason', sa.Text))
    english = {json.dumps(code, sort_keys=True): text for text, code in _ENGLISH.items()}
    rows = connection.execute(sa.select(amendments.c.id, amendments.c.conflict_reason)
                              .where(amendments.c.conflict_reason.is_not(None))).all()
    for amendment_id, reason in rows:
        if reason in english:
            connection.execute(amendments.update().where(amendments.c.id == amendment_id)
                               .values(conflict_reason=english[reason]))
