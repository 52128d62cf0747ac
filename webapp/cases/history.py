"""A case's version history, labelled for the history page."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select

# The module, not its names: the labels read this package's forms, so importing the labels first
# imports this module while they are still loading.
from .. import history_labels
from ..extensions import db
from ..identity import format_patient_id
from ..models import RecordVersion, ReportTemplate, User
from ..web import local_time_marked


def history(case_id: int) -> list[dict[str, Any]]:
    """Every earlier version of the case's records, the last written first, with author names.

    Each version's changed fields come as labelled rows (`rows`) with values as staff read them.
    """
    rows = db.session.execute(
        select(RecordVersion, User.display_name)
        .outerjoin(User, User.id == RecordVersion.changed_by_id)
        .where(RecordVersion.case_id == case_id)
        # Read as what happened: in the order written, as the laptop's clock may have been set
        # back between two changes (each shows the time it was stamped with).
        .order_by(RecordVersion.id.desc())
    ).all()
    config = g.site_config
    context = history_labels.ValueContext(
        priority_label=config.priority_label,
        modality_name=config.modality_name,
        # A changed time's before and after can lie in the two passes of the repeated autumn hour.
        local_time=local_time_marked,
        template_names=_template_names([version for version, _ in rows]),
        user_names={v.changed_by_id: name for v, name in rows if v.changed_by_id and name},
    )
    return [
        {
            "entity": version.entity,
            "version": version.version,
            "changed_at": version.changed_at,
            "changed_by": name or "",
            "changes": version.changes,
            "rows": history_labels.change_rows(version.entity, _as_written(version), context),
            "reason": version.reason,
        }
        for version, name in rows
    ]


def _as_written(version: RecordVersion) -> dict[str, Any]:
    """A version's changes with an identity number as staff write it: YYYYMMDD-NNNN."""
    changes = dict(version.changes or {})
    if version.entity != "case" or "patient_id" not in changes:
        return changes
    # The kind beside the number: the one the correction changed it to, else the one before.
    kind = (version.data or {}).get("patient_id_kind") or ""
    kinds = changes.get("patient_id_kind") or [kind, kind]
    changes["patient_id"] = [
        format_patient_id(str(k or ""), str(v)) if v else v
        for k, v in zip(kinds, changes["patient_id"], strict=False)
    ]
    return changes


def _template_names(versions: list[RecordVersion]) -> dict[int, str]:
    ids = {
        int(value)
        for v in versions
        for value in (v.changes or {}).get("template_id", ())
        if value is not None
    }
    if not ids:
        return {}
    found = db.session.execute(
        select(ReportTemplate.id, ReportTemplate.name).where(ReportTemplate.id.in_(ids))
    )
    return {template_id: name for template_id, name in found}
