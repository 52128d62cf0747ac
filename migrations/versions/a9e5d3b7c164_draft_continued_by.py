"""draft continued by: text typed offline under one login and typed on under another keeps
naming the login it was begun under

Revision ID: a9e5d3b7c164
Revises: f2b7c4e9a613
Create Date: 2026-12-03 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9e5d3b7c164'
down_revision = 'f2b7c4e9a613'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, as f2b7c4e9a613. Existing drafts lost who typed on in them when it
# happened (the attribution was cleared), so the column starts empty.
def upgrade():
    op.add_column(
        'draft',
        sa.Column('continued_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        inline_references=True,
    )


def downgrade():
    op.execute('ALTER TABLE draft DROP COLUMN continued_by_id')
