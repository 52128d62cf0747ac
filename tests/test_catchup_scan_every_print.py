"""Scan station: every sheet that carries the case's code is judged by its own prints, however
the print log names it (a release's report, a release's or a transfer's disc label)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ImageRelease

from .factories import declare_incident, exam_data, referral_data
from .printforms.conftest import STANDARD_FAX, decoded_payloads
from .routines_support import case_code
from .test_cases_move import drill_case_beside_outage
from .test_catchup_scan_moved import MOVED_OUT, _move, _scanned
from .test_printing_versions import EARLIER, _correct_identity, _payload, _print, _scan
from .test_printing_versions import signed_case as signed_case  # the fixture
from .test_routines_release_report import ADDRESS, BY_POST, WITH_PATIENT, _release
from .test_routines_transfer_disc_label import _dvd, _transfer


def _release_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalars(select(ImageRelease.id)).one()


def _case_of(app: Flask, release_id: int) -> int:
    with app.app_context():
        return db.session.get(ImageRelease, release_id).case_id


@pytest.mark.parametrize("kind", ["referral-anon", "report-anon"])
def test_an_anonymised_sheet_printed_before_the_correction_says_earlier_identity(
    client: FlaskClient, auth: Any, signed_case: int, kind: str
) -> None:
    old = _payload(_print(client, signed_case, kind))
    _correct_identity(client, signed_case)
    assert f"{EARLIER}: patientens identitet har rättats sedan det skrevs ut" in _scan(
        client, auth, old
    )


def test_a_release_report_printed_before_the_correction_says_earlier_identity(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # Logged as the release's own document, not as the report sheet: the same paper otherwise.
    release_id = _release(app, client, auth, "definitive", BY_POST)
    pdf = client.post(f"/routines/releases/{release_id}/report.pdf", data=ADDRESS).get_data()
    old = decoded_payloads(pdf, STANDARD_FAX)[0][0]
    auth.logout()
    auth.login("radiographer")
    _correct_identity(client, _case_of(app, release_id))
    page = _scan(client, auth, old)
    assert f"{EARLIER}: patientens identitet har rättats sedan det skrevs ut" in page
    assert "Papperet är inaktuellt" not in page


def test_a_disc_label_printed_in_the_drill_says_the_case_moved_to_a_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    assert client.post(f"/cases/{case_id}/exam", data=exam_data()).status_code == 302
    auth.logout()
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=WITH_PATIENT)
    assert response.status_code == 302, response.get_data(as_text=True)
    pdf = client.get(f"/routines/releases/{_release_id(app)}/label.pdf").get_data()
    label = decoded_payloads(pdf, STANDARD_FAX)[0][0]
    assert ":ETK" in label
    auth.logout()
    auth.login("radiographer")
    _move(client, case_id, real)
    page = _scanned(client, auth, label)
    assert MOVED_OUT in page and f"flyttades till driftstopp {real}" in page


def test_a_transfer_disc_label_printed_in_the_drill_says_the_case_moved_to_a_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    declare_incident(client, "image_transfer", drill=True)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    case_id = int(location.rsplit("/", 1)[-1])
    real = declare_incident(client, "image_transfer")
    url = _transfer(client, case_code(app, case_id))
    _dvd(client, url)
    label = decoded_payloads(client.get(url + "/label.pdf").get_data(), STANDARD_FAX)[0][0]
    assert ":ETK" in label
    _move(client, case_id, real)
    page = _scanned(client, auth, label)
    assert MOVED_OUT in page and f"flyttades till driftstopp {real}" in page
