"""incident deviation number: the number of the deviation report (avvikelse) the department
filed about the outage, recorded on its follow-up

Revision ID: b4e7d1a9c352
Revises: a4e8c1f6d392
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4e7d1a9c352'
down_revision = 'a4e8c1f6d392'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90): a batch rebuilds the incident table on
# SQLite, which cases, exports and logs reference. Incidents declared before have none.
def upgrade():
    op.add_column(
        'incident',
        sa.Column('deviation_number', sa.String(length=40), nullable=False, server_default=''),
    )


def downgrade():
    op.execute('ALTER TABLE incident DROP COLUMN deviation_number')
