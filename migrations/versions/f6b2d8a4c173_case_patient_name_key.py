"""case patient name key: each case stores its name as the namesake check compares it, indexed
with the incident, so the check on each referral asks the database for the few cases with the
same name or number instead of reading every case of the incident

Revision ID: f6b2d8a4c173
Revises: c8f1d4a7e253
Create Date: 2026-12-07 10:00:00.000000

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6b2d8a4c173'
down_revision = 'c8f1d4a7e253'
branch_labels = None
depends_on = None

_BATCH = 500


def _key(name):
    # As webapp.models.case.patient_name_key at this revision; copied, so a later change there
    # does not change what this upgrade stored. Unicode-aware: no database does it alike.
    text = unicodedata.normalize("NFC", name).replace(",", " ").casefold()
    return " ".join(sorted(text.split()))


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90): a batch rebuilds the case table on SQLite,
# which most other tables reference.
def upgrade():
    op.add_column(
        'case', sa.Column('patient_name_key', sa.Text(), nullable=False, server_default='')
    )
    bind = op.get_bind()
    update = sa.text('UPDATE "case" SET patient_name_key = :k WHERE id = :i')
    rows = bind.execute(
        sa.text('SELECT id, patient_name FROM "case" WHERE patient_name <> \'\' ORDER BY id')
    ).all()
    for start in range(0, len(rows), _BATCH):
        chunk = rows[start : start + _BATCH]
        bind.execute(update, [{"k": _key(name or ""), "i": id_} for id_, name in chunk])
    op.create_index(
        'ix_case_incident_id_patient_name_key', 'case', ['incident_id', 'patient_name_key']
    )
    op.create_index('ix_case_incident_id_patient_id', 'case', ['incident_id', 'patient_id'])


def downgrade():
    op.drop_index('ix_case_incident_id_patient_id', table_name='case')
    op.drop_index('ix_case_incident_id_patient_name_key', table_name='case')
    op.execute('ALTER TABLE "case" DROP COLUMN patient_name_key')
