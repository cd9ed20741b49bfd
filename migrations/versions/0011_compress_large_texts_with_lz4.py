"""compress the large texts with lz4 on PostgreSQL

Closing a vote writes every carried amendment's whole text twice (the amendment and its new
revision). PostgreSQL compresses such values with pglz by default, which made compression most
of a close's cost (1,000 amendments of 20 KB: 0.33 s with pglz, 0.06 s with lz4, measured with
bench/close_cost.py's data). lz4 applies to values written from now on; PostgreSQL before 14,
or built without lz4, keeps pglz. SQLite has nothing to change.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

LARGE_TEXTS = (
    ('amendment', 'text'),
    ('amendment', 'patch'),
    ('amendment', 'edits'),
    ('amendment_revision', 'text'),
    ('version', 'text'),
)


def _lz4_available(bind) -> bool:
    if bind.dialect.name != 'postgresql':
        return False
    return bool(
        bind.execute(
            sa.text(
                "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
                "AND 'lz4' = ANY(enumvals)"
            )
        ).scalar()
    )


def _compress_with(method: str) -> None:
    bind = op.get_bind()
    if not _lz4_available(bind):
        return
    for table, column in LARGE_TEXTS:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET COMPRESSION {method}')


def upgrade():
    _compress_with('lz4')


def downgrade():
    _compress_with('pglz')
