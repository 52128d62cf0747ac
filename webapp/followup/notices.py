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


def cancel_notices(cancelled: Sequence[Any], told: dict[int, Told]) -> CancelNotices:
    """The counts of the cancelled cases (rows with id and code) by what was told."""
    kinds = [told[c.id].kind if c.id in told else "" for c in cancelled]
    return CancelNotices(
        cancelled=len(cancelled),
        faxed=kinds.count("faxed"),
        not_needed=kinds.count("not_needed"),
        untold=tuple(c.code for c, kind in zip(cancelled, kinds, strict=True) if not kind),
    )
