"""draft writer: which copy of a form saved the stored text last, so a tablet's save over text
it never saw (another tablet's, typed meanwhile) is kept as a draft of its own instead

Revision ID: c4d2e8a1f637
Revises: b3f1c8e4d927
Create Date: 2026-12-04 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d2e8a1f637'
down_revision = 'b3f1c8e4d927'
branch_labels = None
depends_on = None


# Existing drafts do not know which copy saved them: the column starts empty, and a copy that
# names the count it built on is then checked against the count alone.
def upgrade():
    op.add_column('draft', sa.Column('writer', sa.String(length=32), nullable=True))


def downgrade():
    op.execute('ALTER TABLE draft DROP COLUMN writer')
