"""case protocol: the radiologist's instruction to the radiographer, written when prioritising
the referral (which exam, contrast phase, "ring mig"), with who wrote it last and when

Revision ID: a4e8c1f6d392
Revises: b5e8c2a7d419
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = 'a4e8c1f6d392'
down_revision = 'b5e8c2a7d419'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90): a batch rebuilds the case table on SQLite,
# which most other tables reference. Existing cases have no instruction: all stay empty.
def upgrade():
    op.add_column('case', sa.Column('protocol', sa.Text(), nullable=False, server_default=''))
    op.add_column(
        'case',
        sa.Column('protocol_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        inline_references=True,
    )
    op.add_column('case', sa.Column('protocol_at', webapp.models.base.UTCDateTime(), nullable=True))


def downgrade():
    op.execute('ALTER TABLE "case" DROP COLUMN protocol_at')
    op.execute('ALTER TABLE "case" DROP COLUMN protocol_by_id')
    op.execute('ALTER TABLE "case" DROP COLUMN protocol')
