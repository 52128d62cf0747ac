"""reviewer entry refers to: a reviewer log line names the line it answers (a removal task its
undone answer, a removal from RIS its task), so each answer entered in RIS on the wrong case is
a task of its own

Revision ID: c3e8a5f2d716
Revises: a7d3f1c9e582
Create Date: 2026-12-06 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e8a5f2d716'
down_revision = 'a7d3f1c9e582'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90); the reference is written on the column, as
# b8d3f6a2c419's. Lines logged until now name nothing and keep the rule they were written
# under: a removal without a link clears every due line before it (RemovalTask).
def upgrade():
    op.add_column(
        'reviewer_log_entry',
        sa.Column(
            'refers_to_id', sa.Integer(), sa.ForeignKey('reviewer_log_entry.id'), nullable=True
        ),
        inline_references=True,
    )


def downgrade():
    op.execute('ALTER TABLE reviewer_log_entry DROP COLUMN refers_to_id')
