"""scan event payload index: the scan station's check whether a sheet was scanned before finds
its earlier scans by the index instead of reading the whole scan log

Revision ID: a2d7e4c9f351
Revises: f1a7c3e9b264
Create Date: 2026-12-07 02:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a2d7e4c9f351'
down_revision = 'f1a7c3e9b264'
branch_labels = None
depends_on = None


# No batch: an index rebuilds nothing of the table, and SQLite and PostgreSQL take it alike.
def upgrade():
    op.create_index('ix_scan_event_payload', 'scan_event', ['payload'], unique=False)


def downgrade():
    op.drop_index('ix_scan_event_payload', table_name='scan_event')
