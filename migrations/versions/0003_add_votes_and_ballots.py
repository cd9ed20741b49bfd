"""add votes and ballots

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('result_json', sa.Text(), nullable=True),
    sa.Column('result_hash', sa.String(length=64), nullable=True),
    sa.CheckConstraint("(kind = 'final') = (amendment_id IS NULL)", name=op.f('ck_vote_amendment_iff_not_final')),
    sa.CheckConstraint("kind IN ('amendment', 'final')", name=op.f('ck_vote_known_kind')),
    sa.CheckConstraint("mode IN ('secret', 'roll_call')", name=op.f('ck_vote_known_mode')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('adopted', 'rejected')", name=op.f('ck_vote_known_outcome')),
    sa.CheckConstraint("state IN ('open', 'closed')", name=op.f('ck_vote_known_state')),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], name=op.f('fk_vote_amendment_id_amendment')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_vote_closed_by_id_user')),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_vote_declaration_id_declaration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_vote_opened_by_id_user')),
    sa.ForeignKeyConstraint(['version_id'], ['version.id'], name=op.f('fk_vote_version_id_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote'))
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_amendment_id'), ['amendment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('changes', sa.Integer(), nullable=False),
    sa.CheckConstraint("choice IN ('yes', 'no', 'abstain')", name=op.f('ck_ballot_known_choice')),
    sa.ForeignKeyConstraint(['delegate_id'], ['user.id'], name=op.f('fk_ballot_delegate_id_user')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_ballot_section_id_section')),
    sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], name=op.f('fk_ballot_vote_id_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot')),
    sa.UniqueConstraint('vote_id', 'delegate_id', name='uq_ballot_vote_delegate')
    )



def downgrade():

    op.drop_table('ballot')
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_declaration_id'))
        batch_op.drop_index(batch_op.f('ix_vote_amendment_id'))

    op.drop_table('vote')

