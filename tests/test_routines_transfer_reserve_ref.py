"""A transfer's typed ID is compared with its case's patient as the wristband is read: a
reserve number without its hyphen is the same number, not another patient."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, ImageTransfer

from .factories import case_code, identity_data, unidentified_referral_data
from .routines_support import transfer_data


def _reserve_case(app: Flask, client: FlaskClient, auth) -> tuple[int, str]:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    return case_id, case_code(app, case_id)


def test_the_cases_reserve_number_typed_without_its_hyphen_is_its_patient(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = _reserve_case(app, client, auth)
    response = client.post(
        "/routines/transfers/new", data=transfer_data(case_code=code, patient_ref="res 0007")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        transfer = db.session.scalar(select(ImageTransfer))
        assert transfer is not None and transfer.case_id == case_id


def test_another_reserve_number_is_still_refused(app: Flask, client: FlaskClient, auth) -> None:
    _, code = _reserve_case(app, client, auth)
    response = client.post(
        "/routines/transfers/new", data=transfer_data(case_code=code, patient_ref="RES-0008")
    )
    assert response.status_code == 400
    assert 'id="patient_ref-error"' in response.get_data(as_text=True)


def test_the_cases_earlier_reserve_number_is_refused_naming_the_correction(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Typed from the old wristband: the other hospital must get the identity the case has now.
    case_id, code = _reserve_case(app, client, auth)
    assert client.post(f"/cases/{case_id}/identity", data=identity_data()).status_code == 302
    response = client.post(
        "/routines/transfers/new", data=transfer_data(case_code=code, patient_ref="res-0007")
    )
    assert response.status_code == 400
    error = response.get_data(as_text=True).split('id="patient_ref-error"', 1)[1][:600]
    assert "identitet har rättats från RES-0007 till 19121212-****" in error
    with app.app_context():
        assert db.session.scalar(select(ImageTransfer)) is None
        # The message shows the case's identity now, which the radiographer did not type: a read.
        read = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert read is not None
        assert (read.action, read.case_id) == ("transfer_form_view", case_id)
