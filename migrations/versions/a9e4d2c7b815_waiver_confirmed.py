"""waiver confirmed: with four eyes, a waiver stands once a second user confirms it

Revision ID: a9e4d2c7b815
Revises: a9e5d3b7c164
Create Date: 2026-12-04 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = 'a9e4d2c7b815'
down_revision = 'a9e5d3b7c164'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Every waiver made before this revision
# stood at once (reconciled when given), so both stay empty: nobody confirmed it.
def upgrade():
    op.add_column(
        'catchup_record',
        sa.Column('waiver_confirmed_at', webapp.models.base.UTCDateTime(), nullable=True),
    )
    op.add_column(
        'catchup_record',
        sa.Column(
            'waiver_confirmed_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True
        ),
        inline_references=True,
    )


def downgrade():
    op.execute('ALTER TABLE catchup_record DROP COLUMN waiver_confirmed_by_id')
    op.execute('ALTER TABLE catchup_record DROP COLUMN waiver_confirmed_at')
