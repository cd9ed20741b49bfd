"""add notifications, one row per event and recipient, with their mail delivery state

The same row is the site's notification list and the mail outbox: it holds the event's data
(its kind, the ids of its subject and the parameters its words need), rendered in the
recipient's language and time zone when shown or mailed, and the state of its one mail.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=True),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('vote_id', sa.Integer(), nullable=True),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivery_key', sa.String(length=200), nullable=False),
    sa.Column('mail_state', sa.String(length=16), nullable=False),
    sa.Column('mail_attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('vote_opened', 'vote_closed', 'amendment_conflicted', 'amendment_carried', 'amendment_adopted', 'amendment_rejected', 'amendment_superseded')", name=op.f('ck_notification_known_kind')),
    sa.CheckConstraint("mail_state IN ('pending', 'sending', 'sent', 'failed', 'withheld')", name=op.f('ck_notification_known_mail_state')),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendment.id'], name=op.f('fk_notification_amendment_id_amendment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['declaration_id'], ['declaration.id'], name=op.f('fk_notification_declaration_id_declaration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['user.id'], name=op.f('fk_notification_recipient_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], name=op.f('fk_notification_vote_id_vote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('delivery_key', name=op.f('uq_notification_delivery_key'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_outbox', ['mail_state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_notification_recipient_created', ['recipient_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notification_recipient_unread', ['recipient_id', 'read_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_recipient_unread')
        batch_op.drop_index('ix_notification_recipient_created')
        batch_op.drop_index('ix_notification_outbox')

    op.drop_table('notification')
