"""signature read on: where the images were read, kept on each signature as signed, so what
leaves as the report says what was signed, not a save since without a signature

Revision ID: f4c9a2d6b713
Revises: d3a8f5c2e917
Create Date: 2026-12-05 09:40:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4c9a2d6b713'
down_revision = 'd3a8f5c2e917'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Each signature of the report's text gets
# the answer the report had at the version it signed: the report's own while it is still at
# that version, else the one kept in the version history when a save since changed it (kept
# versions from before read_on was asked say nothing of it: ""). With no kept version found,
# the report's own. An addendum signs only itself and says nothing of it.
def upgrade():
    op.add_column(
        'report_signature',
        sa.Column('read_on', sa.String(length=20), nullable=False, server_default=''),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            """
            SELECT s.id, r.read_on, v.data
            FROM report_signature s
            JOIN report r ON r.id = s.report_id
            LEFT JOIN record_version v
                ON v.entity = 'report' AND v.entity_id = s.report_id
                AND v.version = s.report_version AND s.report_version <> r.version
            WHERE s.kind IN ('preliminary', 'definitive')
            """
        )
    ).all()
    values = []
    for signature_id, current, data in rows:
        if data is not None:
            # SQLite hands the JSON column back as text, PostgreSQL as a dict.
            kept = json.loads(data) if isinstance(data, str) else data
            current = kept.get('read_on') or ''
        if current:
            values.append({'id': signature_id, 'read_on': current})
    if values:
        bind.execute(
            sa.text('UPDATE report_signature SET read_on = :read_on WHERE id = :id'), values
        )


def downgrade():
    op.execute('ALTER TABLE report_signature DROP COLUMN read_on')
