"""user lock columns dropped: failed attempts are counted per username and client address in
failed_login, so the user's own count and lock are no longer written nor read

Revision ID: e8f2b6c4a195
Revises: d6b3e8a1f524
Create Date: 2026-12-06 07:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = 'e8f2b6c4a195'
down_revision = 'd6b3e8a1f524'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 5f3d9b7c2e18): a batch rebuilds the user table, which
# every other table references. A lock in force at the upgrade is let go with its column: the
# per-address counts start empty, as after a lock's quiet window.
def upgrade():
    op.execute('ALTER TABLE "user" DROP COLUMN locked_until')
    op.execute('ALTER TABLE "user" DROP COLUMN last_failed_at')
    op.execute('ALTER TABLE "user" DROP COLUMN failed_attempts')


def downgrade():
    op.add_column(
        'user',
        sa.Column('failed_attempts', sa.Integer(), nullable=False, server_default='0'),
    )
    op.add_column(
        'user', sa.Column('last_failed_at', webapp.models.base.UTCDateTime(), nullable=True)
    )
    op.add_column(
        'user', sa.Column('locked_until', webapp.models.base.UTCDateTime(), nullable=True)
    )
