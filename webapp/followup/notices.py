"""What the referrers of the outage's cancelled cases were told (cancellation notices).

Counted by the kind of answer only: the why typed into a "no notice needed" is free text, and
stays in the case as the cancellation's reason does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import CancelNotice, Case


@dataclass(frozen=True)
class Told:
    """The last notice answering a case's cancellation as it stands: its kind and time."""

    kind: str
    at: datetime | None


@dataclass(frozen=True)
class CancelNotices:
    cancelled: int
    faxed: int
    not_needed: int
    # The cancelled cases whose referrer was neither told nor needs telling, by code.
    untold: tuple[str, ...]
    # Restored after their referrer was faxed the notice, and of those the ones whose referrer
    # was not phoned after it (restore_call_rule), by code.
    restored_told: int = 0
    uncalled: tuple[str, ...] = ()


def notices_told(case_ids: list[int]) -> dict[int, Told]:
    """Per cancelled case, its notice for the cancellation that stands (an undone one's is not).

    A notice not needed is timed by when it was logged; a faxed one by its fax.
    """
    rows = db.session.execute(
        select(
            CancelNotice.case_id, CancelNotice.kind, CancelNotice.faxed_at, CancelNotice.logged_at
        )
        .join(Case, Case.id == CancelNotice.case_id)
        .where(
            CancelNotice.case_id.in_(case_ids),
            Case.status == "cancelled",
            CancelNotice.cancelled_at == Case.cancelled_at,
        )
        .order_by(CancelNotice.id)
    )
    # The last one recorded answers, as on the case page (cancel_notice.current_notice).
    return {r.case_id: Told(r.kind, r.faxed_at or r.logged_at) for r in rows}


def restored_calls(live: Sequence[Any]) -> dict[int, bool]:
    """Per case not cancelled (rows with id) whose referrer was faxed a notice: whether the
    call that the exam will be done after all is logged after the last such fax."""
    rows = db.session.execute(
        select(CancelNotice.case_id, CancelNotice.kind)
        .where(
            CancelNotice.case_id.in_([c.id for c in live]),
            CancelNotice.kind.in_(("faxed", "called")),
        )
        .order_by(CancelNotice.id)
    )
    # The last of the two kinds logged tells: a fax after the last call is a new one to answer.
    last = {r.case_id: r.kind for r in rows}
    return {case_id: kind == "called" for case_id, kind in last.items()}


def cancel_notices(
    cancelled: Sequence[Any],
    told: dict[int, Told],
    live: Sequence[Any] = (),
    called: dict[int, bool] | None = None,
) -> CancelNotices:
    """The counts of the cancelled cases (rows with id and code) by what was told, and of the
    live ones restored after a notice (`called`, from restored_calls) by whether phoned."""
    kinds = [told[c.id].kind if c.id in told else "" for c in cancelled]
    called = called or {}
    return CancelNotices(
        cancelled=len(cancelled),
        faxed=kinds.count("faxed"),
        not_needed=kinds.count("not_needed"),
        untold=tuple(c.code for c, kind in zip(cancelled, kinds, strict=True) if not kind),
        restored_told=sum(1 for c in live if c.id in called),
        uncalled=tuple(c.code for c in live if c.id in called and not called[c.id]),
    )
