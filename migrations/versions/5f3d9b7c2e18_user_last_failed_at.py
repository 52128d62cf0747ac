"""user last failed at: failed login attempts count only within a time window

Revision ID: 5f3d9b7c2e18
Revises: e4a7c2d91b35
Create Date: 2026-12-02 07:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = '5f3d9b7c2e18'
down_revision = 'e4a7c2d91b35'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: a batch rebuilds the user table on SQLite, which every
# other table references, and the app runs with foreign keys enforced.
def upgrade():
    # Existing counts have no time, so they are forgotten at the next attempt.
    op.add_column('user', sa.Column('last_failed_at', webapp.models.base.UTCDateTime(), nullable=True))


def downgrade():
    op.execute('ALTER TABLE "user" DROP COLUMN last_failed_at')
