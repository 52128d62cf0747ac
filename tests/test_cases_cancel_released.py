"""A case whose images were released cannot be cancelled: the release must reach RIS.

An urgent-care disc (or a push to the regional archive) leaves before any report is signed,
while the case could still be cancelled. Cancelled, its release's referral note had no order in
RIS to be written in, and the catch-up asked both to write that note and to delete the
images in PACS that the other hospital already holds.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .routines_support import make_case

# Images that travel with the patient to urgent care elsewhere: allowed before the report.
URGENT_DISC = {
    "recipient_kind": "other_region_hospital",
    "recipient_name": "Växjö lasarett",
    "channel": "media",
    "media_kind": "cd",
    "delivery": "with_patient",
    "is_urgent_care": "y",
}


def _released(client: FlaskClient, auth) -> int:
    case_id = make_case(client, auth, scenario="om_ris")
    auth.login("radiographer")
    response = client.post(f"/routines/releases/cases/{case_id}", data=URGENT_DISC)
    assert response.status_code == 302, response.get_data(as_text=True)
    return case_id


def test_a_case_whose_images_were_released_is_not_cancelled(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _released(client, auth)
    response = client.post(
        f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett av faxen"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    # Said beside the reason, which is kept.
    assert 'id="reason-error"' in page and "Bilderna är utlämnade" in page
    assert "Dubblett av faxen" in page
    with app.app_context():
        assert db.session.get(Case, case_id).status != "cancelled"
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert "case_cancel" not in actions


def test_a_released_case_page_offers_no_cancel_and_says_why(client: FlaskClient, auth) -> None:
    case_id = _released(client, auth)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Makulera ärendet" not in page
    assert "Bilderna är utlämnade" in page
