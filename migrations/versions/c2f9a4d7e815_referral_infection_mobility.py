"""referral infection and mobility: infection/isolation (smitta) as an answer with what it is,
and how the patient moves (förflyttning), as the paper referral carries them

Revision ID: c2f9a4d7e815
Revises: b5d9e3a7c142
Create Date: 2026-12-09 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2f9a4d7e815'
down_revision = 'b5d9e3a7c142'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Referrals taken before did not ask: all
# stay unanswered, as a referral that leaves the questions out.
def upgrade():
    op.add_column(
        'referral', sa.Column('infection', sa.String(length=10), nullable=False, server_default='')
    )
    op.add_column(
        'referral',
        sa.Column('infection_note', sa.String(length=120), nullable=False, server_default=''),
    )
    op.add_column(
        'referral', sa.Column('mobility', sa.String(length=12), nullable=False, server_default='')
    )


def downgrade():
    op.execute('ALTER TABLE referral DROP COLUMN mobility')
    op.execute('ALTER TABLE referral DROP COLUMN infection_note')
    op.execute('ALTER TABLE referral DROP COLUMN infection')
