"""export batch case ids: an export lost on the way can be downloaded again for its cases

Revision ID: b6e31f2c9a47
Revises: 7d4b2e8f1a90
Create Date: 2026-12-02 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6e31f2c9a47'
down_revision = '7d4b2e8f1a90'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Earlier exports keep NULL: which cases
# they held was not recorded, so they cannot be made again.
def upgrade():
    op.add_column('export_batch', sa.Column('case_ids', sa.JSON(), nullable=True))


def downgrade():
    op.execute('ALTER TABLE export_batch DROP COLUMN case_ids')
