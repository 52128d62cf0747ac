"""Whether a restored case's referrer still believes its exam will not be done.

A cancelled case's notice faxed to the referrer says the exam will not be done. Once the
cancellation is undone, that referrer must be phoned, and the call logged (a CancelNotice of
kind "called"); a call answers every faxed notice logged before it. One rule, in Python for a
loaded case and in SQL for lists, apart from the cases package so that the board, the worklist
and the closing checks need not pull it in.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import aliased

from .models import CancelNotice, Case


def needs_restore_call(case: Case, notices: Sequence[CancelNotice]) -> bool:
    """Not cancelled, and a faxed notice has no call logged after it (notices oldest first)."""
    if case.status == "cancelled":
        return False
    last_faxed = max((n.id for n in notices if n.kind == "faxed"), default=None)
    return last_faxed is not None and not any(
        n.kind == "called" and n.id > last_faxed for n in notices
    )


def needs_restore_call_clause() -> ColumnElement[bool]:
    """needs_restore_call() in SQL, for lists of cases."""
    return Case.id.in_(_uncalled_cases()) & (Case.status != "cancelled")


def _uncalled_cases() -> Select[int]:
    # Not correlated with Case: run once per statement, not per listed case (the board lists
    # 500 on every refresh), and notices are few.
    faxed = aliased(CancelNotice)
    called = aliased(CancelNotice)
    called_after = (
        select(called.id)
        .where(called.case_id == faxed.case_id, called.kind == "called", called.id > faxed.id)
        .exists()
    )
    return select(faxed.case_id).where(faxed.kind == "faxed", ~called_after)
