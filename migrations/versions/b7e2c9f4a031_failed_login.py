"""failed login: attempts at a username no account has are counted and locked like a real
user's, so the login page does not tell which usernames exist

Revision ID: b7e2c9f4a031
Revises: f4c9a2d6b713
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = 'b7e2c9f4a031'
down_revision = 'f4c9a2d6b713'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'failed_login',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('failed_attempts', sa.Integer(), nullable=False),
        sa.Column('last_failed_at', webapp.models.base.UTCDateTime(), nullable=True),
        sa.Column('locked_until', webapp.models.base.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index('ix_failed_login_last_failed_at', 'failed_login', ['last_failed_at'])


def downgrade():
    op.drop_index('ix_failed_login_last_failed_at', table_name='failed_login')
    op.drop_table('failed_login')
