"""A site whose [site] fax is left empty (it is optional) prints no bare "fax" to answer it at."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .printforms.conftest import pdf_text

DEPARTMENT = "Bild- och funktionsmedicin, Exempelstads sjukhus"


def _without_site_fax(app: Flask) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None
        text = site.config_toml.replace('fax = "0999-100 01"', 'fax = ""', 1)
        save_site_config(site.id, text, None)


def test_the_anonymised_referral_of_a_site_without_a_fax_gives_its_phone_to_answer(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # "…, fax" and nothing after it sent the night reviewer looking for a number not there.
    _without_site_fax(app)
    auth.login("radiographer")
    pdf = client.get(f"/print/cases/{case_id}/referral-anon.pdf").get_data()
    text = " ".join(pdf_text(pdf).split())
    assert f"Svar till {DEPARTMENT}, telefon 0999-100 00" in text
    assert f"{DEPARTMENT}, fax " not in text
