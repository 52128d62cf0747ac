"""forwarded signature: a copy of the reviewer's report forwarded to the referrer names the
report signature it covers, so a report entered after it needs faxing whatever the clock said

Revision ID: b8d3f6a2c419
Revises: a7a000f3aaad
Create Date: 2026-12-05 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d3f6a2c419'
down_revision = 'a7a000f3aaad'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90); the reference is written on the column,
# which SQLite takes in ALTER TABLE ADD COLUMN and can drop again.
def upgrade():
    op.add_column(
        'reviewer_log_entry',
        sa.Column('signature_id', sa.Integer(), sa.ForeignKey('report_signature.id'), nullable=True),
        inline_references=True,
    )
    # Copies logged until now covered what the old rule read from the times: the signatures
    # made before the copy was logged. Only an unbroken run of them from the first, so a
    # signature the old rule showed as still to fax (timed after the copy, the clock set back
    # past it) is never taken off the lists by one with a smaller id timed before it. With a
    # clock that ran forward this is exactly the old rule.
    op.execute(
        """
        UPDATE reviewer_log_entry SET signature_id = (
            SELECT MAX(s.id) FROM report_signature s
            JOIN report ON report.id = s.report_id
            JOIN reviewer_exchange ON reviewer_exchange.case_id = report.case_id
            WHERE reviewer_exchange.id = reviewer_log_entry.exchange_id
            AND NOT EXISTS (
                SELECT 1 FROM report_signature earlier
                WHERE earlier.report_id = s.report_id
                AND earlier.id <= s.id
                AND earlier.signed_at > reviewer_log_entry.logged_at
            )
        )
        WHERE reviewer_log_entry.kind = 'forwarded'
        """
    )


def downgrade():
    op.execute('ALTER TABLE reviewer_log_entry DROP COLUMN signature_id')
