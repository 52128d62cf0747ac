"""Read helpers for reserved binder codes."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import ReservedCode


def reserved_code(site_id: int, code: str) -> ReservedCode | None:
    """A reserved code of the site, by its display form."""
    return db.session.scalar(
        select(ReservedCode).where(ReservedCode.site_id == site_id, ReservedCode.code == code)
    )


def unused_codes(site_id: int) -> list[ReservedCode]:
    """Binder codes not yet used for a case and not voided."""
    return list(
        db.session.scalars(
            select(ReservedCode)
            .where(
                ReservedCode.site_id == site_id,
                ReservedCode.used_case_id.is_(None),
                ReservedCode.voided_at.is_(None),
            )
            .order_by(ReservedCode.reserved_at, ReservedCode.code)
        )
    )


def all_codes(site_id: int, limit: int = 500) -> list[ReservedCode]:
    """Every reserved code of the site, newest first."""
    return list(
        db.session.scalars(
            select(ReservedCode)
            .where(ReservedCode.site_id == site_id)
            .order_by(ReservedCode.reserved_at.desc(), ReservedCode.code)
            .limit(limit)
        )
    )
