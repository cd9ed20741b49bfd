"""add amendments, revisions, cosponsors, comments and audit events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=True),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user')),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_audit_event_declaration_id_declaration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('base_version_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('patch', sa.Text(), nullable=False),
    sa.Column('touched_start', sa.Integer(), nullable=True),
    sa.Column('touched_end', sa.Integer(), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('conflict_reason', sa.Text(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('submitted', 'conflicted', 'withdrawn', 'voting', 'adopted', 'rejected', 'superseded')", name=op.f('ck_amendment_known_status')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_amendment_number_positive')),
    sa.ForeignKeyConstraint(['base_version_id'], ['version.id'], name=op.f('fk_amendment_base_version_id_version')),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_amendment_declaration_id_declaration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposer_id'], ['user.id'], name=op.f('fk_amendment_proposer_id_user')),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_amendment_section_id_section')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['amendment.id'], name=op.f('fk_amendment_superseded_by_id_amendment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment')),
    sa.UniqueConstraint('declaration_id', 'number', name='uq_amendment_declaration_number')
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('amendment_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('proposed', 'revised', 'rebased', 'conflicted', 'compromise')", name=op.f('ck_amendment_revision_known_kind')),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], name=op.f('fk_amendment_revision_amendment_id_amendment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_amendment_revision_author_id_user')),
    sa.ForeignKeyConstraint(['base_version_id'], ['version.id'], name=op.f('fk_amendment_revision_base_version_id_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment_revision')),
    sa.UniqueConstraint('amendment_id', 'number', name='uq_amendment_revision_amendment_number')
    )
    with op.batch_alter_table('amendment_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_revision_amendment_id'), ['amendment_id'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], name=op.f('fk_comment_amendment_id_amendment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_comment_author_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_amendment_id'), ['amendment_id'], unique=False)

    op.create_table('cosponsorship',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], name=op.f('fk_cosponsorship_amendment_id_amendment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], name=op.f('fk_cosponsorship_section_id_section')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_cosponsorship_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cosponsorship')),
    sa.UniqueConstraint('amendment_id', 'section_id', name='uq_cosponsorship_amendment_section')
    )
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amendment_deadline', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_amendment_number', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amendment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_version_amendment_id_amendment', 'amendment', ['amendment_id'], ['id'])



def downgrade():
    with op.batch_alter_table('version', schema=None) as batch_op:
        batch_op.drop_constraint('fk_version_amendment_id_amendment', type_='foreignkey')
        batch_op.drop_column('amendment_id')

    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.drop_column('last_amendment_number')
        batch_op.drop_column('amendment_deadline')

    op.drop_table('cosponsorship')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_amendment_id'))

    op.drop_table('comment')
    with op.batch_alter_table('amendment_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_revision_amendment_id'))

    op.drop_table('amendment_revision')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_declaration_id'))

    op.drop_table('amendment')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_declaration_id'))

    op.drop_table('audit_event')
