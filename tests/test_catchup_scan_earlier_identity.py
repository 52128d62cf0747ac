"""A sheet printed before the patient's identity was corrected, scanned after: the scan station
says the paper shows an earlier identity, so it is not keyed into RIS under the name it shows."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ImageRelease

from .printforms.conftest import STANDARD_FAX, decoded_payloads
from .test_printing_versions import (
    EARLIER,
    OUTDATED,
    _correct_identity,
    _payload,
    _print,
    _scan,
)
from .test_printing_versions import signed_case as signed_case  # the fixture
from .test_routines_release_disc_label import BY_POST, _release


@pytest.mark.parametrize("kind", ["referral", "exam", "report", "cover"])
def test_a_sheet_printed_before_the_identity_correction_says_it_shows_an_earlier_identity(
    client: FlaskClient, auth, signed_case: int, kind: str
) -> None:
    old = _payload(_print(client, signed_case, kind))
    _correct_identity(client, signed_case)
    page = _scan(client, auth, old)
    assert f"{EARLIER}: patientens identitet har rättats sedan det skrevs ut" in page
    assert "Åsa Öberg" in page  # the case still opens, under its corrected patient


def test_a_sheet_outdated_by_another_change_names_no_earlier_identity(
    client: FlaskClient, signed_case: int, auth
) -> None:
    # Corrected before the print: the paper shows the patient the case has.
    _correct_identity(client, signed_case)
    old = _payload(_print(client, signed_case, "referral"))
    change = {"priority": "rutin", "reason": "Stabil patient"}
    assert client.post(f"/reporting/{signed_case}/priority", data=change).status_code == 302
    page = _scan(client, auth, old)
    assert "Papperet är inaktuellt" in page and EARLIER not in page


def _release_label(app: Flask, client: FlaskClient, auth) -> tuple[int, str]:
    """A released disc's label printed; the case's id and the label's QR payload."""
    release_id = _release(app, client, auth, BY_POST)
    pdf = client.get(f"/routines/releases/{release_id}/label.pdf").get_data()
    with app.app_context():
        case_id = db.session.get(ImageRelease, release_id).case_id
    return case_id, decoded_payloads(pdf, STANDARD_FAX)[0][0]


def test_a_disc_label_printed_before_the_identity_correction_says_it_shows_an_earlier_identity(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The label names the patient twice; its QR carries the case's version for this check.
    case_id, old = _release_label(app, client, auth)
    auth.logout()
    auth.login("radiographer")
    _correct_identity(client, case_id)
    page = _scan(client, auth, old)
    assert (
        f"{EARLIER}: patientens identitet har rättats sedan det skrevs ut (version 1, nu 2)" in page
    )


def test_a_disc_label_printed_after_the_identity_correction_does_not_warn(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, _ = _release_label(app, client, auth)
    auth.logout()
    auth.login("radiographer")
    _correct_identity(client, case_id)
    auth.logout()
    auth.login("secretary")
    release_id = _release_id(app)
    pdf = client.get(f"/routines/releases/{release_id}/label.pdf").get_data()
    page = _scan(client, auth, decoded_payloads(pdf, STANDARD_FAX)[0][0])
    assert OUTDATED not in page and EARLIER not in page and "Åsa Öberg" in page


def _release_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalars(select(ImageRelease.id)).one()


def test_a_disc_label_is_not_outdated_by_a_change_it_does_not_print(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The case's version grows with its priority too, which the label does not show.
    case_id, old = _release_label(app, client, auth)
    auth.logout()
    auth.login("radiologist")
    change = {"priority": "rutin", "reason": "Stabil patient"}
    assert client.post(f"/reporting/{case_id}/priority", data=change).status_code == 302
    page = _scan(client, auth, old)
    assert OUTDATED not in page and EARLIER not in page


def test_a_disc_label_of_a_corrected_patient_says_where_a_new_one_is_printed(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The case's page the scan opens prints no disc label: the release's (or transfer's) does.
    case_id, old = _release_label(app, client, auth)
    auth.logout()
    auth.login("radiographer")
    _correct_identity(client, case_id)
    page = _scan(client, auth, old)
    assert "Skriv ut en ny skivetikett från utlämnandet eller överföringen." in page
    assert "Skriv ut på nytt" not in page
