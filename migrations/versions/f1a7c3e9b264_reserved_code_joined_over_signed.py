"""reserved code joined over signed: a report blank joined to a case whose report was already
signed says so on the code, for the case page's note to read it as an addendum

Revision ID: f1a7c3e9b264
Revises: c3e9a5f7b281
Create Date: 2026-12-06 07:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a7c3e9b264'
down_revision = 'c3e9a5f7b281'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). The join over a signed report was asked
# for from d6b3e8a1f524 on, in the same release: no join before this column needs it set.
def upgrade():
    op.add_column(
        'reserved_code',
        sa.Column('joined_over_signed', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    op.execute('ALTER TABLE reserved_code DROP COLUMN joined_over_signed')
