"""Read helpers for cases."""

from __future__ import annotations

from typing import Any

from flask import abort, g
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Case, RecordVersion, User

# A case page shows the case with its referral, exam, report and catch-up record; one joined
# query instead of five lazy loads. Built once, since building it costs more than running it.
_CASE_WITH_RECORDS = (
    select(Case)
    .where(Case.id == bindparam("case_id"))
    .options(
        joinedload(Case.incident),
        joinedload(Case.referral),  # type: ignore[attr-defined]
        joinedload(Case.exam),  # type: ignore[attr-defined]
        joinedload(Case.report),  # type: ignore[attr-defined]
        joinedload(Case.catchup),  # type: ignore[attr-defined]
    )
)


def get_case_or_404(case_id: int) -> Case:
    """A case of the user's own site, with its records loaded, else 404."""
    case = db.session.scalar(_CASE_WITH_RECORDS, {"case_id": case_id})
    if case is None or case.site_id != g.user.site_id:
        abort(404)
    return case


def case_by_code(site_id: int, code: str) -> Case | None:
    """A case by its display code within a site."""
    return db.session.scalar(select(Case).where(Case.site_id == site_id, Case.code == code))


def history(case_id: int) -> list[dict[str, Any]]:
    """Every earlier version of the case's records, newest first, with author names."""
    rows = db.session.execute(
        select(RecordVersion, User.display_name)
        .outerjoin(User, User.id == RecordVersion.changed_by_id)
        .where(RecordVersion.case_id == case_id)
        .order_by(RecordVersion.changed_at.desc(), RecordVersion.id.desc())
    ).all()
    return [
        {
            "entity": version.entity,
            "version": version.version,
            "changed_at": version.changed_at,
            "changed_by": name or "",
            "changes": version.changes,
            "reason": version.reason,
        }
        for version, name in rows
    ]
