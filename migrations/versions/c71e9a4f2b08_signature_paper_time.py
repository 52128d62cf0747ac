"""signature paper time: a signature keyed in from a fax or paper keeps the time on its paper
and who keyed it, which a later signature or a radiologist's takeover no longer replaces

Revision ID: c71e9a4f2b08
Revises: a3c8e5f1d7b4
Create Date: 2026-12-02 11:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = 'c71e9a4f2b08'
down_revision = 'a3c8e5f1d7b4'
branch_labels = None
depends_on = None

_KEYED = "report_signature.user_id IS NULL AND report_signature.kind IN ('preliminary', 'definitive')"


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90); the reference is written on the column,
# which SQLite takes in ALTER TABLE ADD COLUMN and can drop again.
def upgrade():
    op.add_column(
        'report_signature',
        sa.Column('paper_signed_at', webapp.models.base.UTCDateTime(), nullable=True),
    )
    op.add_column(
        'report_signature',
        sa.Column('entered_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        inline_references=True,
    )
    # The time on the paper as the app showed it until now: the latest signature of each kind,
    # keyed in, has the report's preliminary_at or definitive_at. An earlier one's time was
    # replaced with the report's and stays unknown (shown as when it was keyed, as before).
    op.execute(
        f"""
        UPDATE report_signature SET paper_signed_at = (
            SELECT CASE WHEN report_signature.kind = 'preliminary'
                        THEN report.preliminary_at ELSE report.definitive_at END
            FROM report WHERE report.id = report_signature.report_id
        )
        WHERE {_KEYED}
        AND NOT EXISTS (
            SELECT 1 FROM report_signature later
            WHERE later.report_id = report_signature.report_id
            AND later.kind = report_signature.kind
            AND (later.signed_at > report_signature.signed_at
                 OR (later.signed_at = report_signature.signed_at
                     AND later.id > report_signature.id))
        )
        """
    )
    # Who keyed each one: the user of its keying's audit event (written in the same
    # transaction, just after the signature and before the report's next one), which a
    # radiologist's takeover left in place.
    op.execute(
        f"""
        UPDATE report_signature SET entered_by_id = (
            SELECT audit_event.user_id FROM audit_event
            JOIN report ON report.case_id = audit_event.case_id
            WHERE report.id = report_signature.report_id
            AND audit_event.action IN ('report_fax_entered', 'report_paper_entered')
            AND audit_event.at >= report_signature.signed_at
            AND NOT EXISTS (
                SELECT 1 FROM report_signature next_one
                WHERE next_one.report_id = report_signature.report_id
                AND next_one.id > report_signature.id
                AND next_one.signed_at <= audit_event.at
            )
            ORDER BY audit_event.at, audit_event.id
            LIMIT 1
        )
        WHERE {_KEYED}
        """
    )
    # Without such an event: the report's keyer, as the exports named it until now.
    op.execute(
        f"""
        UPDATE report_signature SET entered_by_id = (
            SELECT report.entered_by_id FROM report WHERE report.id = report_signature.report_id
        )
        WHERE {_KEYED} AND report_signature.entered_by_id IS NULL
        """
    )


def downgrade():
    op.execute('ALTER TABLE report_signature DROP COLUMN entered_by_id')
    op.execute('ALTER TABLE report_signature DROP COLUMN paper_signed_at')
