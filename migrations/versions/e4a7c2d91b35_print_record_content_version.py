"""print record content version: a red-tray cover printed again after a document was added
says ÄNDRAD, though its QR keeps the case's version

Revision ID: e4a7c2d91b35
Revises: b6e31f2c9a47
Create Date: 2026-12-02 07:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a7c2d91b35'
down_revision = 'b6e31f2c9a47'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Earlier prints keep NULL: what they showed
# was not recorded, so they are compared by the version they carried, as before.
def upgrade():
    op.add_column('print_record', sa.Column('content_version', sa.Integer(), nullable=True))


def downgrade():
    op.execute('ALTER TABLE print_record DROP COLUMN content_version')
