"""The catch-up tests' world, an incident with a definitive and a preliminary case, and helpers
on its cases that several catch-up test modules share."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case

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
