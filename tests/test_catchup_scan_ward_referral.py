"""The scan station reads a ward referral form's QR as the site's form: it says what it is and
offers to register the referral, the scan logged; another site's form is refused."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.ward_codes import make_ward_referral_payload

from .factories import audit_events, second_site


def test_scanned_form_is_named_with_one_tap_to_register_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("secretary")
    payload = make_ward_referral_payload("EXS")
    response = client.get("/scan", query_string={"code": payload})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Röntgenremiss vid driftstopp" in page
    assert "Röntgen Exempelstad" in page
    assert "Registrera remissen" in page
    assert 'href="/cases/new"' in page
    [scan] = audit_events(app, "scan")
    assert scan.detail == payload
    assert scan.case_id is None


def test_another_sites_form_is_refused_and_named(app: Flask, client: FlaskClient, auth) -> None:
    second_site(app)
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": make_ward_referral_payload("LBY")})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "hör till en annan enhet: Röntgen Lillby" in page
    assert "Registrera remissen" not in page
    assert [e.action for e in audit_events(app, "scan_refused")] == ["scan_refused"]


def test_a_form_of_no_site_here_is_refused(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("secretary")
    response = client.get("/scan", query_string={"code": make_ward_referral_payload("NOPE")})
    assert response.status_code == 404
    assert "ingen enhet här" in response.get_data(as_text=True)
