"""A cancelled case is not keyed into RIS: it takes no RIS numbers (the sheet of a cancelled
duplicate lies in the red tray beside the case that is keyed)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, CatchupRecord

from .factories import referral_data


def test_a_cancelled_case_takes_no_ris_numbers(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/cancel", data={"reason": "Dubblett av annan remiss"})
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("secretary")
    response = client.post(
        f"/catchup/cases/{case_id}/ris",
        data={"ris_accession": "EXS10000001", "ris_exam_number": "U1"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ärendet är makulerat och ska inte läggas in i RIS." in page
    assert 'value="EXS10000001"' in page  # what was typed is kept
    with app.app_context():
        assert db.session.get(Case, case_id).status == "cancelled"
        assert db.session.scalar(select(CatchupRecord.ris_accession)) in (None, "")


def test_the_catchup_page_of_a_cancelled_case_offers_no_ris_numbers(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/cancel", data={"reason": "Dubblett av annan remiss"})
    auth.logout()
    auth.login("secretary")
    case_id = int(location.rsplit("/", 1)[-1])
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    form = page[page.index(f'action="/catchup/cases/{case_id}/ris"') :]
    button = form[form.index("<button") : form.index("</button>")]
    assert "disabled" in button
