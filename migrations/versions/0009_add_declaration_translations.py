"""add translations of declarations, each save kept as a revision attached to a version

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_translation_declaration_id_declaration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation')),
    sa.UniqueConstraint('declaration_id', 'language', name='uq_translation_declaration_language')
    )
    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_declaration_id'), ['declaration_id'], unique=False)

    op.create_table('translation_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('translation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_translation_revision_number_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_translation_revision_author_id_user')),
    sa.ForeignKeyConstraint(['translation_id'], ['translation.id'], name=op.f('fk_translation_revision_translation_id_translation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['version.id'], name=op.f('fk_translation_revision_version_id_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation_revision')),
    sa.UniqueConstraint('translation_id', 'number', name='uq_translation_revision_translation_number')
    )
    with op.batch_alter_table('translation_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_revision_translation_id'), ['translation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('translation_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_revision_translation_id'))
    op.drop_table('translation_revision')
    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_declaration_id'))
    op.drop_table('translation')
