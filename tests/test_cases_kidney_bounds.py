"""Labs give eGFR as ">90" (and at times "<15"), creatinine too at its ends: the referral takes
the value as the lab gave it, keeps it so, shows it so on every page, sheet and export, and the
contrast warning reads it right (">90" is not low, "<15" is)."""

from __future__ import annotations

import csv
import html
import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Referral

from .export_support import export_now
from .factories import referral_data
from .printforms.conftest import pdf_text

# A contrast exam: the kidney value is asked for and read by the warning.
CONTRAST = {
    "exam_text": "DT thorax-buk med kontrast",
    "exam_code": "CT-TAB",
    "contrast_planned": "y",
    "contrast_allergy": "no",
    "metformin": "no",
    "kidney_measured_on": "2026-01-14",
}
LOW = "under 30: kontrastmedel bara efter radiologens"


def _new_case(client: FlaskClient, auth, **referral: str) -> tuple[int, int]:
    """A referral in a new outage; (incident, case)."""
    auth.login("radiographer")
    incident = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    response = client.post("/cases/new", data=referral_data(**CONTRAST, **referral))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(incident.rsplit("/", 1)[-1]), int(response.headers["Location"].rsplit("/", 1)[-1])


def _page(client: FlaskClient, case_id: int) -> str:
    return html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))


@pytest.mark.parametrize(
    ("typed", "value", "bound"),
    [(">90", 90.0, ">"), ("<15", 15.0, "<"), ("> 90", 90.0, ">"), ("<14,5", 14.5, "<")],
)
def test_an_egfr_with_a_bound_is_kept_as_the_lab_gave_it(
    app: Flask, client: FlaskClient, auth, typed: str, value: float, bound: str
) -> None:
    _incident, case_id = _new_case(client, auth, egfr=typed)
    with app.app_context():
        referral = db.session.scalar(select(Referral))
        assert (referral.egfr, referral.egfr_bound) == (value, bound)
    shown = f"eGFR {bound}{str(value).removesuffix('.0').replace('.', ',')}"
    assert shown in _page(client, case_id)


def test_egfr_above_90_is_not_low_and_below_15_is(client: FlaskClient, auth) -> None:
    _incident, high = _new_case(client, auth, egfr=">90")
    assert LOW not in _page(client, high)
    response = client.post("/cases/new", data=referral_data(**CONTRAST, egfr="<15", key_suffix="b"))
    low = int(response.headers["Location"].rsplit("/", 1)[-1])
    assert f"eGFR <15 – {LOW}" in _page(client, low)


def test_egfr_below_60_against_a_limit_of_30_is_not_called_under_30(
    client: FlaskClient, auth
) -> None:
    # Any value under 60: it may be under 30 or not, so the page asks for the exact value.
    _incident, case_id = _new_case(client, auth, egfr="<60")
    page = _page(client, case_id)
    assert "eGFR <60 – kan ligga under 30: ta reda på det exakta värdet" in page
    assert f"eGFR <60 – {LOW}" not in page


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("egfr", "ca 90", "Ange ett tal, t.ex. 72, eller med gräns som labbet anger, t.ex. >90."),
        ("egfr", ">>90", "Ange ett tal, t.ex. 72, eller med gräns som labbet anger, t.ex. >90."),
        ("egfr", ">250", "eGFR ska vara 1–200."),
        ("egfr", "<", "Ange ett tal, t.ex. 72, eller med gräns som labbet anger, t.ex. >90."),
        ("creatinine", "<5", "Kreatinin ska vara 10–2500."),
    ],
)
def test_a_bound_value_that_is_no_plausible_number_is_refused_beside_the_field(
    client: FlaskClient, auth, field: str, typed: str, message: str
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    response = client.post("/cases/new", data=referral_data(**CONTRAST, **{field: typed}))
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert message in page and f'value="{typed}"' in page


def test_a_creatinine_with_a_bound_is_kept(app: Flask, client: FlaskClient, auth) -> None:
    _incident, case_id = _new_case(client, auth, egfr=">90", creatinine="<20")
    with app.app_context():
        referral = db.session.scalar(select(Referral))
        assert (referral.creatinine, referral.creatinine_bound) == (20.0, "<")
    assert "kreatinin <20" in _page(client, case_id)


def test_the_edit_form_shows_the_bound_and_a_save_keeps_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    _incident, case_id = _new_case(client, auth, egfr=">90")
    form = html.unescape(client.get(f"/cases/{case_id}/referral").get_data(as_text=True))
    assert 'value=">90"' in form
    edit = referral_data(**CONTRAST, key_suffix="x", version="1", case_version="1", egfr="58")
    assert client.post(f"/cases/{case_id}/referral", data=edit).status_code == 302
    with app.app_context():
        referral = db.session.scalar(select(Referral))
        assert (referral.egfr, referral.egfr_bound) == (58.0, "")


def test_the_sheet_and_every_export_show_the_value_as_typed(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id = _new_case(client, auth, egfr=">90", creatinine="<20")
    sheet = client.get(f"/print/cases/{case_id}/referral.pdf")
    assert sheet.status_code == 200
    text = " ".join(pdf_text(sheet.get_data()).split())
    assert "eGFR >90" in text and "kreatinin <20" in text
    content = export_now(app, incident_id, "csv").content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    assert row[header.index("eGFR (ml/min/1,73 m²)")] == ">90"
    assert row[header.index("kreatinin (µmol/l)")] == "<20"
    [exported] = json.loads(export_now(app, incident_id, "json").content)["cases"]
    safety = exported["referral"]["safety"]
    assert (safety["egfr"], safety["creatinine"]) == (">90", "<20")
    fhir = export_now(app, incident_id, "fhir").content.decode()
    assert "eGFR >90" in fhir
