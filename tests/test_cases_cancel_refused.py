"""A cancel the rules refuse keeps the reason typed, and is not offered where it cannot be."""

from __future__ import annotations

from flask.testing import FlaskClient

from .catchup_support import book
from .factories import referral_data
from .routines_support import report_form


def _new_case(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def test_a_cancel_refused_for_a_booking_in_ris_keeps_the_reason_by_the_field(
    client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    case_id = url.rsplit("/", 1)[-1]
    auth.login("secretary")
    book(client, int(case_id))
    auth.login("radiographer")
    response = client.post(url + "/cancel", data={"reason": "Fel patient – dubblett av fax"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'id="reason-error"' in page and "redan bokat i RIS" in page
    assert "Fel patient – dubblett av fax" in page


def test_a_case_with_a_signed_report_offers_no_cancel(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    assert "Makulera ärendet" in client.get(url).get_data(as_text=True)
    case_id = url.rsplit("/", 1)[-1]
    auth.login("radiologist")
    signed = client.post(f"/reporting/{case_id}", data=report_form("definitive", "s" * 20))
    assert signed.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Makulera ärendet" not in page
