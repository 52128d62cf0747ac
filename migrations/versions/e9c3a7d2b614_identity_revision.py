"""identity revision: a case counts its identity corrections, and each report dispatch and copy
forwarded to the referrer records the count it went out under, so a report faxed before the
patient's identity was corrected needs faxing again whatever the clock said

Revision ID: e9c3a7d2b614
Revises: d8e2f6a4c931
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e9c3a7d2b614'
down_revision = 'd8e2f6a4c931'
branch_labels = None
depends_on = None

_TABLES = ('case', 'report_dispatch', 'reviewer_log_entry')

# The audit events that logged each kind of fax in the same transaction as its row: a dispatch
# (the app's own or with a report keyed from paper), a copy forwarded by the reviewer routine
# (on its own, or with the report it logged as received).
_DISPATCHED = "action = 'report_dispatch'"
_FORWARDED = (
    "(action = 'reviewer_report_forwarded' OR (action = 'reviewer_report_received'"
    " AND detail LIKE '%vidarebefordrat till remittenten%'))"
)


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90).
def upgrade():
    for table in _TABLES:
        op.add_column(
            table,
            sa.Column('identity_revision', sa.Integer(), nullable=False, server_default='0'),
        )
    bind = op.get_bind()
    corrected = bind.execute(
        sa.text(
            "SELECT case_id, id FROM audit_event WHERE action = 'identity_correct'"
            " AND case_id IS NOT NULL ORDER BY id"
        )
    ).all()
    corrections: dict[int, list[int]] = {}
    for case_id, event_id in corrected:
        corrections.setdefault(case_id, []).append(event_id)
    # Only cases whose identity was corrected have anything to fill in: the rest keep 0.
    for case_id, fixes in corrections.items():
        bind.execute(
            sa.text('UPDATE "case" SET identity_revision = :n WHERE id = :c'),
            {"n": len(fixes), "c": case_id},
        )
        _fill(
            bind,
            fixes,
            rows=sa.text("SELECT id FROM report_dispatch WHERE case_id = :c ORDER BY id"),
            events=_events(_DISPATCHED),
            update=sa.text("UPDATE report_dispatch SET identity_revision = :n WHERE id = :r"),
            case_id=case_id,
        )
        _fill(
            bind,
            fixes,
            rows=sa.text(
                "SELECT e.id FROM reviewer_log_entry e"
                " JOIN reviewer_exchange x ON x.id = e.exchange_id"
                " WHERE x.case_id = :c AND e.kind = 'forwarded' ORDER BY e.id"
            ),
            events=_events(_FORWARDED),
            update=sa.text("UPDATE reviewer_log_entry SET identity_revision = :n WHERE id = :r"),
            case_id=case_id,
        )


def _events(where):
    return sa.text(f"SELECT id FROM audit_event WHERE case_id = :c AND {where} ORDER BY id")


def _fill(bind, fixes, *, rows, events, update, case_id):
    """Each fax row's count: the corrections before it, by the audit log's order.

    The audit log's ids order a fax and a correction however the clock was set (each written
    under the case's lock); its rows' times do not. The n-th fax row of a case was logged by its
    n-th event. Without one event per row (a log cut short) nothing orders them: the row is
    taken as faxed under the identity as now, as the app showed it before.
    """
    ids = bind.execute(rows, {"c": case_id}).scalars().all()
    logged = bind.execute(events, {"c": case_id}).scalars().all()
    for n, row_id in enumerate(ids):
        before = (
            sum(1 for fix in fixes if fix < logged[n]) if len(logged) == len(ids) else len(fixes)
        )
        bind.execute(update, {"n": before, "r": row_id})


def downgrade():
    for table in reversed(_TABLES):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN identity_revision')
