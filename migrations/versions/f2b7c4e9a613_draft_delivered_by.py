"""draft delivered by: a copy typed offline on a shared tablet and sent under another login
records who sent it and the login the tablet says it was typed under

Revision ID: f2b7c4e9a613
Revises: d5a8f3c1e290
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b7c4e9a613'
down_revision = 'd5a8f3c1e290'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90); the references are written on the
# columns, which SQLite takes in ALTER TABLE ADD COLUMN and can drop again. Existing drafts
# were all stored as their sender's own, so both stay empty.
def upgrade():
    op.add_column(
        'draft',
        sa.Column('delivered_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        inline_references=True,
    )
    op.add_column(
        'draft',
        sa.Column('typed_under_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        inline_references=True,
    )


def downgrade():
    op.execute('ALTER TABLE draft DROP COLUMN typed_under_id')
    op.execute('ALTER TABLE draft DROP COLUMN delivered_by_id')
