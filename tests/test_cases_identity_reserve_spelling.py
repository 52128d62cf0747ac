"""A reserve number corrected only in its spelling (case, hyphens) names the same wristband: it is
refused as no change, not taken as a correction that asks for a new fax and reopens RIS."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .factories import identity_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture


def _respelled(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "id_mode": "reserve",
        "personal_number": "",
        "patient_name": "",
        "reserve_number": "RES-0007",
        "sex": "M",
        "approx_age": "70",
        "reason": "Stavat som armbandet",
    }
    return identity_data(**(values | overrides))


def _case(client: FlaskClient) -> str:
    data = unidentified_referral_data(reserve_number="res0007")
    return client.post("/cases/new", data=data).headers["Location"]


def test_a_reserve_number_respelled_only_is_refused_as_unchanged(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = _case(client)
    response = client.post(location + "/identity", data=_respelled())
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "samma reservnummer" in html.split('id="reserve_number-error"', 1)[1][:400]
    with app.app_context():
        case = db.session.get(Case, int(location.rsplit("/", 1)[-1]))
        assert case is not None
        assert (case.patient_id, case.identity_revision, case.version) == ("RES0007", 0, 1)
        kinds = db.session.scalars(select(AuditEvent.action)).all()
        assert "identity_correct" not in kinds


def test_a_respelled_number_with_another_age_is_still_a_correction(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = _case(client)
    response = client.post(location + "/identity", data=_respelled(approx_age="75"))
    assert response.status_code == 302
    with app.app_context():
        case = db.session.get(Case, int(location.rsplit("/", 1)[-1]))
        assert case is not None and case.identity_revision == 1


def test_the_corrections_audit_row_names_the_earlier_number(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    # The access log holds the number the patient had (not the name): enough to find the
    # booking and images under it, no more patient data than that.
    location = _case(client)
    assert client.post(location + "/identity", data=identity_data()).status_code == 302
    with app.app_context():
        row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "identity_correct"))
        assert row is not None and row.detail.startswith("reserve:RES0007 → personnummer:")
