"""Read helpers for drafts."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Draft


def draft_for_key(form_key: str, site_id: int) -> Draft | None:
    """An unfinished draft of the site by its form key."""
    if not form_key:
        return None
    return db.session.scalar(
        select(Draft).where(
            Draft.form_key == form_key, Draft.site_id == site_id, Draft.is_done.is_(False)
        )
    )


def open_drafts(site_id: int, kind: str | None = None) -> list[Draft]:
    """Unfinished drafts of a site, newest first, so none is forgotten."""
    stmt = select(Draft).where(Draft.site_id == site_id, Draft.is_done.is_(False))
    if kind:
        stmt = stmt.where(Draft.kind == kind)
    return list(db.session.scalars(stmt.order_by(Draft.updated_at.desc())))
