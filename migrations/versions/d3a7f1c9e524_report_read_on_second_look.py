"""report read on and second look: where the images were read (PACS or the modality's own
screen during a PACS outage), and the second look in PACS of a report read on the modality

Revision ID: d3a7f1c9e524
Revises: c2f9a4d7e815
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = 'd3a7f1c9e524'
down_revision = 'c2f9a4d7e815'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90); the reference is written on the column,
# which SQLite takes in ALTER TABLE ADD COLUMN and can drop again. Reports signed before did
# not say where their images were read: all stay unsaid, none awaits a second look.
def upgrade():
    op.add_column(
        'report', sa.Column('read_on', sa.String(length=20), nullable=False, server_default='')
    )
    op.add_column('report', sa.Column('second_look_at', webapp.models.base.UTCDateTime(), nullable=True))
    op.add_column(
        'report',
        sa.Column('second_look_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        inline_references=True,
    )
    op.add_column(
        'report',
        sa.Column(
            'second_look_outcome', sa.String(length=20), nullable=False, server_default=''
        ),
    )


def downgrade():
    op.execute('ALTER TABLE report DROP COLUMN second_look_outcome')
    op.execute('ALTER TABLE report DROP COLUMN second_look_by_id')
    op.execute('ALTER TABLE report DROP COLUMN second_look_at')
    op.execute('ALTER TABLE report DROP COLUMN read_on')
