"""The catch-up tests' world, an incident with a definitive and a preliminary case, and helpers
on its cases that several catch-up test modules share."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, CatchupRecord

from .catchup_support import tick_all
from .factories import exam_data, referral_data, report_data

STEPS = ("booked", "exam_completed", "images_matched", "report_keyed", "correction_list")


@pytest.fixture
def world(app: Flask, client: FlaskClient, auth) -> dict[str, object]:
    """One incident with a definitive case and a preliminary case; logged in as secretary."""
    auth.login("radiographer")
    incident_url = client.post("/incidents/new", data={"scenario": "integration"}).headers[
        "Location"
    ]
    first = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(first + "/exam", data=exam_data())
    second = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="b",
            patient_name="Åsa Öberg",
            personal_number="19800101-0027",
            pregnancy="no",
        ),
    ).headers["Location"]
    client.post(second + "/exam", data=exam_data(key_suffix="b"))
    auth.logout()
    auth.login("radiologist")
    client.post(first.replace("/cases/", "/reporting/"), data=report_data("definitive", "d" * 20))
    client.post(second.replace("/cases/", "/reporting/"), data=report_data("preliminary", "p" * 20))
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        return {
            "incident_id": int(incident_url.rsplit("/", 1)[-1]),
            "ids": [c.id for c in cases],
            "codes": [c.code for c in cases],
        }


def _status(app: Flask, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).status


NEW_PATIENT = {
    "id_mode": "pnr",
    "personal_number": "19800101-0027",
    "patient_name": "Åsa Öberg",
    "reason": "Förväxling vid inskrivningen",
}


def _close_case(client: FlaskClient, auth, app: Flask, case_id: int, **extra: str) -> None:
    """Every step keyed by one secretary and checked by another: the case is closed."""
    tick_all(client, case_id, **extra)
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{case_id}/verify")
    assert _status(app, case_id) == "closed"


def _done_steps(client: FlaskClient, case_id: int) -> set[str]:
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    return {s for s in STEPS if f'data-step="{s}" aria-pressed="true"' in page}


def _record(app: Flask, case_id: int) -> CatchupRecord:
    with app.app_context():
        record = db.session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case_id))
        db.session.expunge(record)
        return record


def _shown(app: Flask, case_id: int, record: str) -> dict[str, str]:
    """The version fields an edit form of the record shows now (the tablet is up to date)."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        if record == "referral":
            return {"version": str(case.referral.version), "case_version": str(case.version)}
        return {"version": str(getattr(case, record).version)}


def _reopens(app: Flask) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "catchup_reopen")
        )
        return list(rows)
