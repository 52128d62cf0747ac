"""exam short scan confirmed: a CT's DLP below its CTDIvol (a scan under 1 cm) saved as typed,
confirmed by the radiographer

Revision ID: c8e4a2f6d193
Revises: a2d7e4c9f351
Create Date: 2026-12-07 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8e4a2f6d193'
down_revision = 'a2d7e4c9f351'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Rows from before were never asked: false,
# not a guess that they were confirmed.
def upgrade():
    op.add_column(
        'exam_record',
        sa.Column('short_scan_confirmed', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    op.execute('ALTER TABLE exam_record DROP COLUMN short_scan_confirmed')
