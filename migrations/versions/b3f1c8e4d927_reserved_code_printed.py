"""reserved code printed: when a binder code's blank sheet was first printed, so a later sheet
with the code says KOPIA

Revision ID: b3f1c8e4d927
Revises: a9e4d2c7b815
Create Date: 2026-12-04 12:00:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa

import webapp.models.base


# revision identifiers, used by Alembic.
revision = 'b3f1c8e4d927'
down_revision = 'a9e4d2c7b815'
branch_labels = None
depends_on = None

# The audit detail of a stack of blanks until now: "3 blanketter BLR: ABC-DEF–GHJ-KLM", with
# " (kopia)" after the kind for the binder's reprint of every unused code of that kind.
_BLANK_PRINT = re.compile(r'^\d+ blanketter (BL[RDU])( \(kopia\))?: ([^\s,–]+)–([^\s,–]+)')


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90). A print is logged only once its paper
# exists, so the log says which sheets are in binders already: those codes get the time of
# their first logged print (else their next sheet would be taken for the first). A code with
# no logged print stays empty: its sheet was never printed.
def upgrade():
    op.add_column(
        'reserved_code',
        sa.Column('printed_at', webapp.models.base.UTCDateTime(), nullable=True),
    )
    reserved = sa.table(
        'reserved_code',
        sa.column('id', sa.Integer()),
        sa.column('code', sa.String()),
        sa.column('site_id', sa.Integer()),
        sa.column('doc_kind', sa.String()),
        sa.column('reserved_at', sa.DateTime()),
        sa.column('reserved_by_id', sa.Integer()),
        sa.column('voided_at', sa.DateTime()),
        sa.column('printed_at', sa.DateTime()),
    )
    audit = sa.table(
        'audit_event',
        sa.column('id', sa.Integer()),
        sa.column('at', sa.DateTime()),
        sa.column('action', sa.String()),
        sa.column('detail', sa.Text()),
    )
    bind = op.get_bind()
    prints = bind.execute(
        sa.select(audit.c.at, audit.c.detail)
        .where(audit.c.action == 'print', audit.c.detail.like('% blanketter BL%'))
        .order_by(audit.c.at, audit.c.id)
    ).all()
    for at, detail in prints:
        match = _BLANK_PRINT.match(detail)
        if match is None:
            continue
        kind, copy, first_code, last_code = match.groups()
        ends = {
            row.code: row
            for row in bind.execute(
                sa.select(reserved).where(reserved.c.code.in_([first_code, last_code]))
            )
        }
        first, last = ends.get(first_code), ends.get(last_code)
        if first is None or last is None:
            continue
        if copy:
            # Every code of the kind then unused, ordered by when reserved: each reserved by
            # then and not voided before it.
            which = sa.and_(
                reserved.c.reserved_at <= at,
                sa.or_(reserved.c.voided_at.is_(None), reserved.c.voided_at > at),
            )
        else:
            # One reserve's codes (ids in a row), from the first to the last printed.
            which = sa.and_(
                reserved.c.reserved_by_id == first.reserved_by_id,
                reserved.c.id.between(first.id, last.id),
            )
        bind.execute(
            reserved.update()
            .where(
                which,
                reserved.c.site_id == first.site_id,
                reserved.c.doc_kind == kind,
                reserved.c.printed_at.is_(None),
            )
            .values(printed_at=at)
        )


def downgrade():
    op.execute('ALTER TABLE reserved_code DROP COLUMN printed_at')
