"""transfer patient name: a transfer with no case names its patient by name as well as by
number, the two identifiers on its list row and its page

Revision ID: a7a000f3aaad
Revises: c4d2e8a1f637
Create Date: 2026-12-05 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7a000f3aaad'
down_revision = 'c4d2e8a1f637'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Transfers opened before this were never
# asked for a name: theirs stays empty and shows as unknown; the server default only lets NOT
# NULL be added to those rows.
def upgrade():
    op.add_column(
        'image_transfer',
        sa.Column('patient_name', sa.String(length=200), nullable=False, server_default=''),
    )


def downgrade():
    op.execute('ALTER TABLE image_transfer DROP COLUMN patient_name')
