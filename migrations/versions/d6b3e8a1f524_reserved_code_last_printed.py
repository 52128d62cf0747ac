"""reserved code last printed: when and by whom a binder code's blank sheet was last printed,
so the close of an outage holds every blank printed in it that was neither joined nor voided

Revision ID: d6b3e8a1f524
Revises: c3e8a5f2d716
Create Date: 2026-12-06 06:00:00.000000

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = 'd6b3e8a1f524'
down_revision = 'c3e8a5f2d716'
branch_labels = None
depends_on = None

# A stack's print is logged once its sheets are drawn, a moment after the time the codes keep.
_DRAWN_WITHIN = timedelta(minutes=10)


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90), the reference written on its column as
# SQLite takes it (see f2b7c4e9a613). A sheet printed before is last printed
# when first printed, as far as the codes know (a copy's time was never kept); who printed it
# is the user of the blank print logged at that time, or soon after it, left empty if none.
def upgrade():
    op.add_column(
        'reserved_code',
        sa.Column('last_printed_at', webapp.models.base.UTCDateTime(), nullable=True),
    )
    op.add_column(
        'reserved_code',
        sa.Column('last_printed_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        inline_references=True,
    )
    reserved = sa.table(
        'reserved_code',
        sa.column('printed_at', sa.DateTime()),
        sa.column('last_printed_at', sa.DateTime()),
        sa.column('last_printed_by_id', sa.Integer()),
    )
    audit = sa.table(
        'audit_event',
        sa.column('id', sa.Integer()),
        sa.column('at', sa.DateTime()),
        sa.column('action', sa.String()),
        sa.column('user_id', sa.Integer()),
        sa.column('detail', sa.Text()),
    )
    bind = op.get_bind()
    bind.execute(reserved.update().values(last_printed_at=reserved.c.printed_at))
    times = bind.scalars(
        sa.select(reserved.c.printed_at).where(reserved.c.printed_at.is_not(None)).distinct()
    ).all()
    for at in times:
        row = bind.execute(
            sa.select(audit.c.at, audit.c.user_id)
            .where(
                audit.c.action == 'print',
                audit.c.detail.like('% blanketter BL%'),
                audit.c.at >= at,
                audit.c.at <= at + _DRAWN_WITHIN,
            )
            .order_by(audit.c.at, audit.c.id)
            .limit(1)
        ).first()
        if row is not None and row.user_id is not None:
            bind.execute(
                reserved.update()
                .where(reserved.c.printed_at == at)
                .values(last_printed_by_id=row.user_id)
            )


def downgrade():
    op.execute('ALTER TABLE reserved_code DROP COLUMN last_printed_by_id')
    op.execute('ALTER TABLE reserved_code DROP COLUMN last_printed_at')
