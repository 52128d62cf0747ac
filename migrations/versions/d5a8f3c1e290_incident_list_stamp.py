"""incident list stamp: an incident's list carries a random stamp stored with the incident,
no longer one hashed from the site code, the id and the start, which another laptop may share

Revision ID: d5a8f3c1e290
Revises: c7d94e1a8f26
Create Date: 2026-12-02 21:30:00.000000

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a8f3c1e290'
down_revision = 'c7d94e1a8f26'
branch_labels = None
depends_on = None

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_STAMP_LENGTH = 4


def _hashed_stamp(incident_id, started_at, site_code):
    """The stamp the app printed on an incident's lists until now (kept here as it was)."""
    # The column holds naive UTC on either database.
    start = started_at.strftime("%Y-%m-%dT%H:%M:%S.%f")
    digest = hashlib.sha256(f"{site_code}\x1f{incident_id}\x1f{start}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    stamp = ""
    for _ in range(_STAMP_LENGTH):
        number, value = divmod(number, len(_ALPHABET))
        stamp += _ALPHABET[value]
    return stamp


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90): a batch rebuilds the incident table on
# SQLite, which cases, exports and logs reference. The server default only lets NOT NULL be
# added to existing rows; every row is given its stamp at once, and the app draws one for each
# new incident.
def upgrade():
    op.add_column(
        'incident',
        sa.Column('list_stamp', sa.String(length=_STAMP_LENGTH), nullable=False, server_default=''),
    )
    # Lists already printed keep opening their batch: each incident keeps the stamp they carry.
    incident = sa.table(
        'incident',
        sa.column('id', sa.Integer()),
        sa.column('site_id', sa.Integer()),
        sa.column('started_at', sa.DateTime()),
        sa.column('list_stamp', sa.String()),
    )
    site = sa.table('site', sa.column('id', sa.Integer()), sa.column('code', sa.String()))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(incident.c.id, incident.c.started_at, site.c.code).join(
            site, site.c.id == incident.c.site_id
        )
    ).all()
    for incident_id, started_at, site_code in rows:
        bind.execute(
            incident.update()
            .where(incident.c.id == incident_id)
            .values(list_stamp=_hashed_stamp(incident_id, started_at, site_code))
        )


def downgrade():
    op.execute('ALTER TABLE incident DROP COLUMN list_stamp')
