"""release ris note: a release made in an outage waits for its referral note to be written in
RIS, and the note is recorded as written there (an append-only log, the latest counts)

Revision ID: a7d3f1c9e582
Revises: e6c4a1f9b273
Create Date: 2026-12-06 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from webapp.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'a7d3f1c9e582'
down_revision = 'e6c4a1f9b273'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90).
def upgrade():
    op.add_column(
        'image_release',
        sa.Column('ris_note_due', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # A release of an outage still open waits for RIS like one made from now on; one of an
    # ended outage was left to the routine as it stood then (its outage ended without it).
    release = sa.table(
        'image_release', sa.column('incident_id', sa.Integer), sa.column('ris_note_due', sa.Boolean)
    )
    incident = sa.table('incident', sa.column('id', sa.Integer), sa.column('ended_at'))
    open_ones = sa.select(incident.c.id).where(incident.c.ended_at.is_(None))
    op.execute(
        release.update().where(release.c.incident_id.in_(open_ones)).values(ris_note_due=True)
    )
    op.create_table(
        'release_ris_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('release_id', sa.Integer(), nullable=False),
        sa.Column('is_done', sa.Boolean(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['release_id'], ['image_release.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_release_ris_note_release_id', 'release_ris_note', ['release_id'])


def downgrade():
    op.drop_index('ix_release_ris_note_release_id', table_name='release_ris_note')
    op.drop_table('release_ris_note')
    op.execute('ALTER TABLE image_release DROP COLUMN ris_note_due')
