"""fold e-mail addresses for matching (Turkish i included) and keep each account's time zone

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Frozen copy of corep_drafts.domain.folding.fold as of this revision.
_TURKISH_I = str.maketrans({"İ": "i", "ı": "i", "I": "i"})


def _fold(text):
    composed = unicodedata.normalize("NFC", text)
    folded = composed.translate(_TURKISH_I).casefold()
    return unicodedata.normalize("NFC", folded.replace("i\u0307", "i"))


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_key', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    users = sa.table('user', sa.column('id', sa.Integer), sa.column('email', sa.String),
                     sa.column('email_key', sa.String))
    for user_id, email in connection.execute(sa.select(users.c.id, users.c.email)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(email_key=_fold(email)))
    op.drop_index('uq_user_email_lower', table_name='user')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('email_key', existing_type=sa.String(length=254), nullable=False)
        batch_op.create_index('uq_user_email_key', ['email_key'], unique=True)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index('uq_user_email_key')
        batch_op.drop_column('time_zone')
        batch_op.drop_column('email_key')
    op.create_index('uq_user_email_lower', 'user', [sa.text('lower(email)')], unique=True)
