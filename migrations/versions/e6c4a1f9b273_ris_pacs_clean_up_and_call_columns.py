"""ris pacs clean up and call columns: a cancelled case's order in RIS or images in PACS
recorded as cleaned up there, and the referrer's call after an undone cancellation in columns
of its own rather than in the faxed notice's

Revision ID: e6c4a1f9b273
Revises: b7e2c9f4a031
Create Date: 2026-12-09 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from webapp.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'e6c4a1f9b273'
down_revision = 'b7e2c9f4a031'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). A call was kept in the notice's columns:
# whom the caller spoke to in message, the number phoned in fax_number, when in faxed_at.
def upgrade():
    op.create_table(
        'ris_pacs_clean_up',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('cancelled_at', UTCDateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'cancelled_at'),
    )
    op.create_index('ix_ris_pacs_clean_up_case_id', 'ris_pacs_clean_up', ['case_id'])
    op.add_column(
        'cancel_notice',
        sa.Column('called_person', sa.Text(), nullable=False, server_default=''),
    )
    op.add_column(
        'cancel_notice',
        sa.Column('phone_number', sa.String(length=40), nullable=False, server_default=''),
    )
    op.add_column('cancel_notice', sa.Column('called_at', UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE cancel_notice SET called_person = message, phone_number = fax_number,"
        " called_at = faxed_at, message = '', fax_number = '', faxed_at = NULL"
        " WHERE kind = 'called'"
    )


def downgrade():
    op.execute(
        "UPDATE cancel_notice SET message = called_person, fax_number = phone_number,"
        " faxed_at = called_at WHERE kind = 'called'"
    )
    op.execute('ALTER TABLE cancel_notice DROP COLUMN called_at')
    op.execute('ALTER TABLE cancel_notice DROP COLUMN phone_number')
    op.execute('ALTER TABLE cancel_notice DROP COLUMN called_person')
    op.drop_index('ix_ris_pacs_clean_up_case_id', table_name='ris_pacs_clean_up')
    op.drop_table('ris_pacs_clean_up')
