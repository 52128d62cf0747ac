"""cancel notice: the referrer told by fax that a cancelled case's exam will not be done (or
why they need not be), and a cancel's optional message to the referrer beside its reason

Revision ID: b5e8c2a7d419
Revises: f6b2d8a4c173
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from webapp.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'b5e8c2a7d419'
down_revision = 'f6b2d8a4c173'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90).
def upgrade():
    op.add_column(
        'case', sa.Column('cancelled_message', sa.Text(), nullable=False, server_default='')
    )
    op.create_table(
        'cancel_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('cancelled_at', UTCDateTime(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('fax_number', sa.String(length=40), nullable=False),
        sa.Column('faxed_at', UTCDateTime(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('logged_at', UTCDateTime(), nullable=False),
        sa.Column('identity_revision', sa.Integer(), nullable=False, server_default='0'),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_cancel_notice_case_id', 'cancel_notice', ['case_id'])


def downgrade():
    op.drop_index('ix_cancel_notice_case_id', table_name='cancel_notice')
    op.drop_table('cancel_notice')
    op.execute('ALTER TABLE "case" DROP COLUMN cancelled_message')
