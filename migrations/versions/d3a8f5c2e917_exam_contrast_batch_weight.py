"""exam contrast batch and weight: the contrast's batch (lot) number or that it was not known,
and the patient's weight, on the exam documentation

Revision ID: d3a8f5c2e917
Revises: d3a7f1c9e524
Create Date: 2026-12-10 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a8f5c2e917'
down_revision = 'd3a7f1c9e524'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). Exams documented before did not ask: no
# batch, not marked unknown either (nobody said so), and no weight.
def upgrade():
    op.add_column(
        'exam_record',
        sa.Column('contrast_batch', sa.String(length=40), nullable=False, server_default=''),
    )
    op.add_column(
        'exam_record',
        sa.Column(
            'contrast_batch_unknown', sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column('exam_record', sa.Column('patient_weight_kg', sa.Float(), nullable=True))


def downgrade():
    op.execute('ALTER TABLE exam_record DROP COLUMN patient_weight_kg')
    op.execute('ALTER TABLE exam_record DROP COLUMN contrast_batch_unknown')
    op.execute('ALTER TABLE exam_record DROP COLUMN contrast_batch')
