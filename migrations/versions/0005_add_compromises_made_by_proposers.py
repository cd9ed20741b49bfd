"""add compromises the proposers make together

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('compromise_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'made', 'lapsed')", name=op.f('ck_compromise_proposal_known_status')),
    sa.ForeignKeyConstraint(['base_version_id'], ['version.id'], name=op.f('fk_compromise_proposal_base_version_id_version')),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_compromise_proposal_declaration_id_declaration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['user.id'], name=op.f('fk_compromise_proposal_drafted_by_id_user')),
    sa.ForeignKeyConstraint(['result_id'], ['amendment.id'], name=op.f('fk_compromise_proposal_result_id_amendment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compromise_proposal'))
    )
    with op.batch_alter_table('compromise_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compromise_proposal_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('compromise_consent',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['compromise_proposal.id'], name=op.f('fk_compromise_consent_proposal_id_compromise_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_compromise_consent_user_id_user')),
    sa.PrimaryKeyConstraint('proposal_id', 'user_id', name=op.f('pk_compromise_consent'))
    )
    op.create_table('compromise_member',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], name=op.f('fk_compromise_member_amendment_id_amendment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['compromise_proposal.id'], name=op.f('fk_compromise_member_proposal_id_compromise_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'amendment_id', name=op.f('pk_compromise_member'))
    )



def downgrade():

    op.drop_table('compromise_member')
    op.drop_table('compromise_consent')
    with op.batch_alter_table('compromise_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compromise_proposal_declaration_id'))

    op.drop_table('compromise_proposal')

