"""kidney value bounds: an eGFR or creatinine given by the lab beyond its range (">90", "<15")
keeps its bound beside the number

Revision ID: c3e9a5f7b281
Revises: e8f2b6c4a195
Create Date: 2026-12-06 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e9a5f7b281'
down_revision = 'e8f2b6c4a195'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Every value stored so far was exact.
def upgrade():
    op.add_column(
        'referral', sa.Column('egfr_bound', sa.String(length=1), nullable=False, server_default='')
    )
    op.add_column(
        'referral',
        sa.Column('creatinine_bound', sa.String(length=1), nullable=False, server_default=''),
    )


def downgrade():
    op.execute('ALTER TABLE referral DROP COLUMN creatinine_bound')
    op.execute('ALTER TABLE referral DROP COLUMN egfr_bound')
