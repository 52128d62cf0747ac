"""The binder page prints the ward referral form for the intranet: for admins only, logged as
a print, with the site's radiology faxes and their hours from the configuration."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config
from webapp.ward_codes import make_ward_referral_payload

from .factories import audit_events
from .printforms.conftest import STANDARD_FAX, decoded_payloads, pdf_text

URL = "/blanks/ward-referral.pdf"


def test_admin_prints_the_form_with_the_configured_faxes_and_hours(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = client.get(URL)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    pdf = response.get_data()
    text = " ".join(pdf_text(pdf).split())
    # The example site's referral_fax: its own fax round the clock, Lillby's by day.
    assert "Röntgen Exempelstad (fax): fax 0999-100 01" in text
    assert "Röntgen Lillby (fax): fax 0999-500 01" in text
    assert "mån–fre 07:30–15:30; därefter Röntgen Exempelstad (fax), fax 0999-100 01" in text
    assert decoded_payloads(pdf, STANDARD_FAX) == [[make_ward_referral_payload("EXS")]]


def test_without_referral_fax_the_form_names_the_sites_reply_fax(
    app: Flask, client: FlaskClient, auth
) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        text = site.config_toml.replace('referral_fax = ["fax_main", "fax_small_site"]', "")
        save_site_config(site.id, text, None)
    auth.login("admin")
    text = " ".join(pdf_text(client.get(URL).get_data()).split())
    assert "Bild- och funktionsmedicin, Exempelstads sjukhus: fax 0999-100 01" in text
    assert "Lillby" not in text


def test_the_print_is_logged_as_a_print(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    client.get(URL)
    [event] = audit_events(app, "print")
    assert event.detail.startswith("Röntgenremiss vid driftstopp (för intranätet)")
    assert event.case_id is None


def test_binder_page_offers_the_form(client: FlaskClient, auth) -> None:
    auth.login("admin")
    page = client.get("/blanks/").get_data(as_text=True)
    assert URL in page
    assert "Skriv ut avdelningsremiss (för intranätet)" in page


def test_only_an_admin_prints_the_form(client: FlaskClient, auth) -> None:
    for role in ("radiographer", "radiologist", "secretary"):
        auth.login(role)
        assert client.get(URL).status_code == 403
        auth.logout()


def test_a_site_with_no_fax_for_wards_is_told_so_and_nothing_is_logged(
    app: Flask, client: FlaskClient, auth
) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        text = site.config_toml.replace('referral_fax = ["fax_main", "fax_small_site"]', "")
        save_site_config(site.id, text.replace('fax = "0999-100 01"\n', "", 1), None)
    auth.login("admin")
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/blanks/#ward-referral")
    page = client.get("/blanks/").get_data(as_text=True)
    assert "konfigurationen anger inget fax som avdelningarna kan faxa remissen till" in page
    assert audit_events(app, "print") == []
