"""addendum is urgent: an addendum may carry a new urgent finding, phoned to the referrer

Revision ID: a3c8e5f1d7b4
Revises: 5f3d9b7c2e18
Create Date: 2026-12-02 08:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c8e5f1d7b4'
down_revision = '5f3d9b7c2e18'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: a batch rebuilds the table on SQLite, and the app runs with
# foreign keys enforced.
def upgrade():
    # Addenda signed before this had no way to be urgent: they ask for no call.
    op.add_column(
        'addendum',
        sa.Column('is_urgent', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    op.execute('ALTER TABLE addendum DROP COLUMN is_urgent')
