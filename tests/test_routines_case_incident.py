"""A transfer or release opened for a case of an earlier outage still open is filed under the
case's outage, not the newer one the tablet now works in."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, ImageRelease, ImageTransfer

from .factories import declare_incident
from .routines_support import make_case, release_data, transfer_case, transfer_data


def _incident_of_case(app: Flask, case_id: int) -> int:
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        return case.incident_id


def test_a_transfer_for_a_case_of_an_earlier_open_outage_is_filed_under_the_cases_outage(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    newer = declare_incident(client, "om_ris")
    assert newer != _incident_of_case(app, case_id)
    response = client.post(
        "/routines/transfers/new", data=transfer_data(exam_text="", patient_ref="", case_code=code)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        transfer = db.session.scalar(select(ImageTransfer))
        assert transfer is not None and transfer.case_id == case_id
        assert transfer.incident_id == _incident_of_case(app, case_id)


def test_a_transfer_with_no_case_is_filed_under_the_tablets_outage(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_case(app, client, auth)
    newer = declare_incident(client, "om_ris")
    assert client.post("/routines/transfers/new", data=transfer_data()).status_code == 302
    with app.app_context():
        transfer = db.session.scalar(select(ImageTransfer))
        assert transfer is not None and transfer.incident_id == newer


def test_a_release_for_a_case_of_an_earlier_open_outage_is_filed_under_the_cases_outage(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiographer", username="second-outage")
    newer = declare_incident(client, "om_ris")
    assert newer != _incident_of_case(app, case_id)
    auth.logout()
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        release = db.session.scalar(select(ImageRelease))
        assert release is not None
        assert release.incident_id == _incident_of_case(app, case_id)
