"""A site with its own reserve-number format ([identity]) has every reserve number typed on a
form checked against it, with the example beside the field; numbers stored before are never
checked again, and a site without one keeps the generic rule."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Site, utcnow

from .factories import referral_data, unidentified_referral_data
from .test_cases_edit_after_modality_change import _form_values
from .test_cases_reserve_looks_like_pnr import FORMS
from .test_siteconfig_reserve_format import with_format

PATTERN = "[0-9]{8}-R[0-9]{3}"
EXAMPLE_NUMBER = "20260115-R001"
NOT_SITE_FORMAT = (
    "Reservnumret följer inte enhetens format (datum, R och löpnummer) – skriv det som t.ex. "
    "20260115-R001."
)


def _configure(app: Flask) -> None:
    """Site 1's format, as an admin's save would set it."""
    with app.app_context():
        site = db.session.get(Site, 1)
        site.config_toml = with_format(PATTERN, EXAMPLE_NUMBER, "datum, R och löpnummer")
        site.updated_at = utcnow()  # the parsed configuration is cached per version
        db.session.commit()


def _identities(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(c.patient_id_kind, c.patient_id) for c in db.session.scalars(select(Case))]


def _reserve_block(page: str) -> str:
    return page.split('data-field="reserve_number"', 1)[1].split('data-field="patient_name"')[0]


@pytest.fixture(params=list(FORMS))
def reserve_form(request, app: Flask, client: FlaskClient, auth) -> tuple[str, dict[str, object]]:
    """The address and valid data of a form with a reserve number, logged in to use it."""
    return FORMS[request.param](app, client, auth)


def test_a_number_not_in_the_sites_format_is_refused_beside_the_field_and_kept(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]]
) -> None:
    url, data = reserve_form
    _configure(app)
    before = _identities(app)
    response = client.post(url, data={**data, "reserve_number": "res 0007", "patient_name": "Kim"})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    block = _reserve_block(page)
    assert NOT_SITE_FORMAT in block
    assert 'value="res 0007"' in block and 'value="Kim"' in page
    assert _identities(app) == before


def test_a_number_in_the_sites_format_is_saved(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]]
) -> None:
    url, data = reserve_form
    _configure(app)
    # Typed as it is read off a wristband: lower case, in groups.
    response = client.post(url, data={**data, "reserve_number": "20260115 - r042"})
    assert response.status_code == 302
    assert ("reserve", "20260115-R042") in _identities(app)


def test_without_a_site_format_the_generic_rule_stands(
    app: Flask, client: FlaskClient, reserve_form: tuple[str, dict[str, object]]
) -> None:
    url, data = reserve_form
    assert client.post(url, data={**data, "reserve_number": "res 0042"}).status_code == 302
    assert ("reserve", "RES0042") in _identities(app)
    refused = client.post(url, data={**data, "reserve_number": "R1"})
    assert refused.status_code == 400
    assert "Reservnumret är för kort" in html.unescape(refused.get_data(as_text=True))


def test_the_field_shows_the_sites_example(app: Flask, client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    before = _reserve_block(client.get("/cases/new").get_data(as_text=True))
    assert EXAMPLE_NUMBER not in before and "placeholder" not in before
    _configure(app)
    block = html.unescape(_reserve_block(client.get("/cases/new").get_data(as_text=True)))
    assert f'placeholder="{EXAMPLE_NUMBER}"' in block
    assert f"t.ex. {EXAMPLE_NUMBER} (datum, R och löpnummer)" in block


@pytest.fixture
def old_case(app: Flask, client: FlaskClient, auth) -> str:
    """A case saved under a reserve number before the site's format was set; its address."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=unidentified_referral_data())
    assert response.status_code == 302
    _configure(app)
    return response.headers["Location"]


def test_a_case_stored_before_the_format_is_edited_in_another_field(
    app: Flask, client: FlaskClient, old_case: str
) -> None:
    assert client.get(old_case).status_code == 200
    page = client.get(old_case + "/referral").get_data(as_text=True)
    edit = _form_values(page) | {"history": "Föll i trappan, nu även yrsel."}
    response = client.post(old_case + "/referral", data=edit)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.patient_id_kind, case.patient_id) == ("reserve", "RES-0007")
        assert case.referral.history == "Föll i trappan, nu även yrsel."


def test_a_case_stored_before_the_format_is_identified_by_personnummer(
    app: Flask, client: FlaskClient, old_case: str
) -> None:
    page = client.get(old_case + "/identity").get_data(as_text=True)
    assert 'value="RES-0007"' in page
    data = referral_data()
    response = client.post(
        old_case + "/identity",
        data={
            "id_mode": "pnr",
            "personal_number": data["personal_number"],
            "patient_name": data["patient_name"],
            "reason": "Identifierad av anhörig",
            "case_version": re.search(r'name="case_version" type="hidden" value="(\d+)"', page)[1],
            "confirm_patient": "y",
            "confirm_patient_for": str(data["personal_number"]).replace("-", ""),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case)).patient_id_kind == "personnummer"


def test_a_case_stored_before_the_format_keeps_its_number_when_its_age_is_corrected(
    app: Flask, client: FlaskClient, old_case: str
) -> None:
    page = client.get(old_case + "/identity").get_data(as_text=True)
    response = client.post(
        old_case + "/identity",
        data={
            **_form_values(page),
            "id_mode": "reserve",
            "reserve_number": "RES-0007",
            "sex": "M",
            "approx_age": "80",
            "reason": "Åldern uppskattad på nytt",
        },
    )
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.patient_id, case.patient_age_approx) == ("RES-0007", 80)


def test_a_case_stored_before_the_format_gets_no_other_number_outside_it(
    app: Flask, client: FlaskClient, old_case: str
) -> None:
    page = client.get(old_case + "/identity").get_data(as_text=True)
    data = {**_form_values(page), "id_mode": "reserve", "sex": "M", "approx_age": "70"}
    response = client.post(old_case + "/identity", data={**data, "reserve_number": "RES-0008"})
    assert response.status_code == 400
    assert NOT_SITE_FORMAT in html.unescape(response.get_data(as_text=True))
