"""A voided binder code opened by someone without the scan station is told so where they are."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReservedCode


def _voided_referral_blank(app: Flask, client: FlaskClient, auth) -> str:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1", "batch_label": "Pärm 1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    assert client.post(f"/blanks/{code}/void", data={"reason": "Förstörd"}).status_code == 302
    auth.logout()
    return str(code)


@pytest.mark.parametrize("role", ["radiographer", "radiologist"])
def test_a_voided_blank_opened_without_the_scan_station_says_it_is_voided(
    app: Flask, client: FlaskClient, auth, role: str
) -> None:
    code = _voided_referral_blank(app, client, auth)
    auth.login(role)
    client.post("/incidents/new", data={"scenario": "total"})
    response = client.get(f"/blanks/{code}/open", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Koden {code} är makulerad (Förstörd) och kan inte användas." in page


def test_a_voided_blank_opened_by_a_secretary_leads_back_to_the_scan_station(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _voided_referral_blank(app, client, auth)
    auth.login("secretary")
    response = client.get(f"/blanks/{code}/open")
    assert response.headers["Location"].endswith("/scan")
