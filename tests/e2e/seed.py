"""Cases for the browser journeys, made through the same services the forms use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask

from ..factories import referral_data


def seed_case(
    app: Flask,
    *,
    sign: str = "definitive",
    username: str = "seed-rsk",
    arrived_at: datetime | None = None,
    patient_name: str = "Örjan Älvström",
) -> dict[str, Any]:
    """One documented CT head with a report signed as asked; returns ids and code.

    The referral arrives now unless arrived_at (UTC) says otherwise.
    """
    from webapp.cases.creation import create_case
    from webapp.cases.exam_services import document_exam
    from webapp.extensions import db
    from webapp.incidents.services import declare_incident
    from webapp.models import Case, User, utcnow
    from webapp.reporting.services import save_report
    from webapp.sites import site_config

    from ..factories import make_user

    with app.app_context():
        make_user(username=username, display_name="Sara Seed")
        make_user(role="radiologist", username="seed-rad", display_name="Rolf Radiolog")
        staff = db.session.query(User).filter_by(username=username).one()
        radiologist = db.session.query(User).filter_by(username="seed-rad").one()
        incident = declare_incident(
            user=staff, config=site_config(staff.site), scenario="integration", is_drill=False
        )
        ref = referral_data()
        result = create_case(
            user=staff,
            incident=incident,
            identity={
                "patient_id_kind": "personnummer",
                "patient_id": "191212121212",
                "patient_sex": "M",
                "patient_name": patient_name,
            },
            priority="akut",
            modality="CT",
            referral={
                k: ref[k]
                for k in (
                    "referrer_unit",
                    "referrer_clinician",
                    "referrer_phone",
                    "reply_fax",
                    "exam_code",
                    "exam_text",
                    "clinical_question",
                    "history",
                )
            }
            | {"arrived_via": "fax", "arrived_at": arrived_at or utcnow()},
            form_key="seedref" + "x" * 20,
            digest="0",
            url_for_case=lambda c: f"/cases/{c.id}",
        )
        document_exam(
            case_id=result.case_id,
            user=staff,
            values={
                "modality": "CT",
                "room": "DT 1",
                "exam_code": "CT-HJ",
                "exam_text": "DT hjärna utan kontrast",
                "started_at": utcnow(),
                "radiographers": "Sara Seed",
                "modality_temp_id": "TMP-CT1-0042",
                # In PACS: the journeys tick every catch-up step, "images matched" among them.
                "pacs_status": "yes",
                "pacs_sent_at": utcnow(),
            },
            form_key="seedexam" + "x" * 20,
            digest="0",
            url=f"/cases/{result.case_id}",
        )
        if sign:
            save_report(
                case_id=result.case_id,
                user=radiologist,
                sections=[
                    {"heading": "Fynd", "text": "Ingen blödning."},
                    {"heading": "Bedömning", "text": "Normalt."},
                ],
                template_id=None,
                is_urgent=False,
                read_on="pacs",
                sign=sign,
            )
        case = db.session.get(Case, result.case_id)
        return {"case_id": case.id, "code": case.code, "incident_id": incident.id}


def akut_case(
    app: Flask, incident_id: int, *, patient_id: str = "194912319806", key: str = "second"
) -> int:
    """Another akut CT referral in the incident, just arrived: a new row on the board."""
    from webapp.cases.creation import create_case
    from webapp.extensions import db
    from webapp.models import Incident, User, utcnow

    with app.app_context():
        staff = db.session.query(User).filter_by(username="seed-rsk").one()
        ref = referral_data()
        fields = ("referrer_unit", "referrer_clinician", "reply_fax", "exam_code", "exam_text")
        result = create_case(
            user=staff,
            incident=db.session.get(Incident, incident_id),
            identity={
                "patient_id_kind": "personnummer",
                "patient_id": patient_id,
                "patient_sex": "F",
                "patient_name": "Berit Andra",
            },
            priority="akut",
            modality="CT",
            referral={k: ref[k] for k in fields}
            | {"clinical_question": "Stroke?", "arrived_via": "fax", "arrived_at": utcnow()},
            form_key=key + "x" * (26 - len(key)),
            digest="0",
            url_for_case=lambda c: f"/cases/{c.id}",
        )
        return result.case_id


def expire_sessions(app: Flask) -> None:
    """As if the tablet had been left longer than the idle limit (its timer paused asleep)."""
    from datetime import timedelta

    from webapp.models import UserSession, utcnow
    from webapp.storage import write_transaction

    # As the app writes: a read upgraded to a write fails at once in WAL mode when the live
    # server wrote meanwhile (a draft's autosave), so the write lock is taken first.
    with app.app_context(), write_transaction() as session:
        for user_session in session.query(UserSession):
            user_session.last_seen_at = utcnow() - timedelta(hours=1)
