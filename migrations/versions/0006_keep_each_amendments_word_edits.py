"""keep each amendment's word edits

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Amendments placed before this revision have none; they are rebased from their texts.
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edits', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_column('edits')
