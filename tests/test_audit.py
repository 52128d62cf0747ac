"""The audit trail is append-only and versions keep what changed."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from webapp.audit import log_event, record_version, snapshot
from webapp.extensions import db
from webapp.models import AuditEvent, Case, Incident, RecordVersion
from webapp.storage import write_transaction

from .factories import make_user


def test_audit_rows_cannot_be_changed_or_deleted(app: Flask) -> None:
    with app.app_context():
        with write_transaction():
            log_event("test_event", detail="original")
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "test_event"))
        event.detail = "forged"
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "test_event"))
        db.session.delete(event)
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()


def test_audit_row_is_rolled_back_with_its_transaction(app: Flask) -> None:
    with app.app_context():
        with pytest.raises(ValueError), write_transaction():
            log_event("test_rolled_back")
            raise ValueError("the action failed")
        found = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "test_rolled_back"))
        assert found is None


def test_record_version_keeps_earlier_values_and_changes(app: Flask) -> None:
    with app.app_context():
        user = make_user()
        with write_transaction() as session:
            incident = Incident(
                site_id=user.site_id, scenario="pacs", title="PACS", declared_by_id=user.id
            )
            session.add(incident)
            session.flush()
            case = Case(
                code="K7M-2QX",
                site_id=user.site_id,
                incident_id=incident.id,
                created_by_id=user.id,
                patient_name="Åsa Öberg",
            )
            session.add(case)
        with write_transaction() as session:
            case = session.scalar(select(Case))
            before = snapshot(case)
            case.patient_name = "Åsa Öberg-Lind"
            changes = record_version(
                case, before, entity="case", case_id=case.id, user=None, reason="namnbyte"
            )
        assert changes == {"patient_name": ["Åsa Öberg", "Åsa Öberg-Lind"]}
        version = db.session.scalar(select(RecordVersion))
        assert version.data["patient_name"] == "Åsa Öberg"
        assert version.version == 1
        assert db.session.scalar(select(Case)).version == 2
