"""report dispatch: a signed report faxed to the referrer

Revision ID: 3c1f0a9d5e21
Revises: 855e2a7b7d9d
Create Date: 2026-12-01 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa
import webapp.models.base


# revision identifiers, used by Alembic.
revision = '3c1f0a9d5e21'
down_revision = '855e2a7b7d9d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_dispatch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('report_state', sa.String(length=20), nullable=False),
    sa.Column('report_version', sa.Integer(), nullable=False),
    sa.Column('addenda_count', sa.Integer(), nullable=False),
    sa.Column('fax_number', sa.String(length=40), nullable=False),
    sa.Column('faxed_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('logged_at', webapp.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.ForeignKeyConstraint(['signature_id'], ['report_signature.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('report_dispatch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_dispatch_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_dispatch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_dispatch_case_id'))

    op.drop_table('report_dispatch')
