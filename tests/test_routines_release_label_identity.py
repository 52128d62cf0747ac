"""A disc whose label was printed before the patient's identity was corrected is not handed
over until a new label is printed: the disc at the desk names the earlier patient."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import ImageRelease

from .routines_support import released_to_the_patient

CORRECTION = {
    "id_mode": "pnr",
    "personal_number": "19800101-0027",
    "patient_name": "Åsa Öberg",
    "reason": "Förväxling",
}
STALE = "Patientens identitet har rättats sedan skivetiketten skrevs ut"


def _status(app: Flask, release_id: int) -> str:
    with app.app_context():
        return db.session.get(ImageRelease, release_id).status


def test_a_label_printed_before_an_identity_correction_holds_the_handover(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = released_to_the_patient(client, auth)
    release_id = int(url.rsplit("/", 1)[-1])
    assert client.get(f"{url}/label.pdf").status_code == 200
    with app.app_context():
        case_id = db.session.get(ImageRelease, release_id).case_id
    assert client.post(f"/cases/{case_id}/identity", data=CORRECTION).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert STALE in page
    response = client.post(f"{url}/handover", data={"patient_id_checked": "y"})
    assert response.status_code == 400
    assert STALE in response.get_data(as_text=True)
    assert _status(app, release_id) == "awaiting_pickup"
    # A new label names the patient as corrected: the disc may go.
    assert client.get(f"{url}/label.pdf").status_code == 200
    assert STALE not in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/handover", data={"patient_id_checked": "y"}).status_code == 302
    assert _status(app, release_id) == "handed_over"


def test_a_label_printed_after_the_correction_does_not_hold_the_handover(
    app: Flask, client: FlaskClient, auth
) -> None:
    url = released_to_the_patient(client, auth)
    release_id = int(url.rsplit("/", 1)[-1])
    with app.app_context():
        case_id = db.session.get(ImageRelease, release_id).case_id
    assert client.post(f"/cases/{case_id}/identity", data=CORRECTION).status_code == 302
    assert client.get(f"{url}/label.pdf").status_code == 200
    assert client.post(f"{url}/handover", data={"patient_id_checked": "y"}).status_code == 302
    assert _status(app, release_id) == "handed_over"
