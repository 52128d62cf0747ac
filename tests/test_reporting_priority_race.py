"""Two radiologists re-prioritising one referral at the same moment (real concurrent requests)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, RecordVersion

from .row_held import sent_while_row_held


def test_the_same_priority_change_from_two_radiologists_at_once_is_made_once(
    app: Flask, case_id: int, tablet_factory
) -> None:
    first = tablet_factory("rad-asa", role="radiologist")
    second = tablet_factory("rad-bo", role="radiologist")
    url = f"/reporting/{case_id}/priority"
    sent_while_row_held(
        app,
        "case",
        case_id,
        [
            lambda: first.post(url, data={"priority": "rutin", "reason": "Stabil"}),
            lambda: second.post(url, data={"priority": "rutin", "reason": "Stabil enligt avd"}),
        ],
    )
    with app.app_context():
        changes = select(func.count(AuditEvent.id)).where(AuditEvent.action == "priority_change")
        assert db.session.scalar(changes) == 1
        versions = db.session.scalars(
            select(RecordVersion.version).where(
                RecordVersion.entity == "case", RecordVersion.entity_id == case_id
            )
        ).all()
        assert len(versions) == len(set(versions)), f"one version number twice: {versions}"
        assert db.session.scalar(select(Case.priority).where(Case.id == case_id)) == "rutin"
