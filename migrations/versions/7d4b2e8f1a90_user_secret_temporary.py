"""user secret temporary: a PIN set by an admin is changed by its user at the next login

Revision ID: 7d4b2e8f1a90
Revises: 3c1f0a9d5e21
Create Date: 2026-12-02 01:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d4b2e8f1a90'
down_revision = '3c1f0a9d5e21'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: a batch rebuilds the user table on SQLite, which every
# other table references, and the app runs with foreign keys enforced.
def upgrade():
    # Existing users keep their PIN as it is: it was set before this rule existed.
    op.add_column(
        'user',
        sa.Column('secret_temporary', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    op.execute('ALTER TABLE "user" DROP COLUMN secret_temporary')
