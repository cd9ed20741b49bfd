"""index amendments by the ranges their edits touch, one row per cluster of edits

Finding the rivals of one amendment compared the edits of every pending amendment; with these
rows a range query picks the few whose clusters touch it. Existing amendments get their rows
from the word edits kept since 0006 (the cluster rule of domain/text/clusters.py, written out
here so this migration never changes with the code); one without kept edits gets none and is
compared by its edits as before.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

GAP_WORDS = 3


def cluster_hulls(edits):
    """[(start, end)] of each cluster: edits fewer than GAP_WORDS unchanged words apart."""
    hulls = []
    previous = None
    for start, end, _replacement, reach, first_word, last_word in edits:
        span_start = start if reach is None else reach
        joined = (
            previous is not None
            and first_word is not None
            and previous[1] is not None
            and first_word - previous[1] < GAP_WORDS
        )
        if joined:
            hulls[-1] = (hulls[-1][0], end)
        else:
            hulls.append((span_start, end))
        previous = (first_word, last_word)
    return hulls


def upgrade():
    op.create_table('amendment_range',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('range_start', sa.Integer(), nullable=False),
    sa.Column('range_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], name=op.f('fk_amendment_range_amendment_id_amendment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment_range'))
    )
    with op.batch_alter_table('amendment_range', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_range_amendment_id'), ['amendment_id'], unique=False)

    bind = op.get_bind()
    ranges = sa.table(
        'amendment_range',
        sa.column('amendment_id', sa.Integer),
        sa.column('range_start', sa.Integer),
        sa.column('range_end', sa.Integer),
    )
    rows = []
    for amendment_id, edits in bind.execute(
        sa.text("SELECT id, edits FROM amendment WHERE edits IS NOT NULL")
    ):
        for start, end in cluster_hulls(json.loads(edits)):
            rows.append({'amendment_id': amendment_id, 'range_start': start, 'range_end': end})
    if rows:
        op.bulk_insert(ranges, rows)


def downgrade():
    with op.batch_alter_table('amendment_range', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_range_amendment_id'))

    op.drop_table('amendment_range')
