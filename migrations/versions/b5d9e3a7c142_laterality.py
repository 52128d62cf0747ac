"""laterality: the side of a sided exam on the referral and on the exam documentation, and the
confirmation that the side performed differs from the referral's

Revision ID: b5d9e3a7c142
Revises: b4e7d1a9c352
Create Date: 2026-12-08 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5d9e3a7c142'
down_revision = 'b4e7d1a9c352'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Rows from before had no side: "" is "not
# given", never a guess at one.
def upgrade():
    op.add_column(
        'referral', sa.Column('side', sa.String(length=10), nullable=False, server_default='')
    )
    op.add_column(
        'exam_record', sa.Column('side', sa.String(length=10), nullable=False, server_default='')
    )
    op.add_column(
        'exam_record',
        sa.Column('side_confirmed', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    op.execute('ALTER TABLE exam_record DROP COLUMN side_confirmed')
    op.execute('ALTER TABLE exam_record DROP COLUMN side')
    op.execute('ALTER TABLE referral DROP COLUMN side')
