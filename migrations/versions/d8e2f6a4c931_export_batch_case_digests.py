"""export batch case digests: 'changed only' compares each case with what the previous export
of its format held, not its times with that export's, which a clock set back made miss changes

Revision ID: d8e2f6a4c931
Revises: b8d3f6a2c419
Create Date: 2026-12-06 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8e2f6a4c931'
down_revision = 'b8d3f6a2c419'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Earlier exports keep NULL: what their
# cases held was not recorded, so the next 'changed only' export after one sends every case.
def upgrade():
    op.add_column('export_batch', sa.Column('case_digests', sa.JSON(), nullable=True))


def downgrade():
    op.execute('ALTER TABLE export_batch DROP COLUMN case_digests')
