"""A report keyed in (from paper or a fax) from a form drawn before the patient's identity was
corrected.

The paper names the patient as they were when it was written; a correction made on another
tablet while the secretary typed must be seen, and the paper checked against it, before the
report lands on the case. Refused with everything typed kept, the form drawn again naming the
patient now; sent again from it, the report is entered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Report

from .factories import faxed_report_data, hidden_value, identity_data, paper_report_data

CORRECTED = "Patientens identitet har rättats sedan du öppnade formuläret"
FINDINGS = "Skrivet av från papperet före rättelsen."
NAMES = ("form_key", "report_version", "identity_revision")


def _opened(client: FlaskClient, url: str) -> dict[str, str]:
    page = client.get(url).get_data(as_text=True)
    return {name: hidden_value(page, name) for name in NAMES}


def _correct(radiographer: FlaskClient, case_id: int) -> None:
    data = identity_data(personal_number="19800101-0019", reason="Felskrivet personnummer")
    response = radiographer.post(f"/cases/{case_id}/identity", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def _reports(app: Flask) -> list[Report]:
    with app.app_context():
        return list(db.session.scalars(select(Report)).all())


def _typed(form: str, radiologist_id: int) -> dict[str, str]:
    if form == "paper":
        return paper_report_data(radiologist_id, findings=FINDINGS)
    return faxed_report_data(findings=FINDINGS)


@pytest.mark.parametrize("form", ["paper", "fax"])
def test_a_report_keyed_from_a_form_drawn_before_an_identity_correction_is_refused_and_kept(
    app: Flask,
    client: FlaskClient,
    auth: Any,
    case_id: int,
    radiologist_id: int,
    tablet_factory: Callable[..., FlaskClient],
    form: str,
) -> None:
    auth.login("secretary")
    url = f"/reporting/{case_id}/{form}"
    shown = _opened(client, url)
    assert shown["identity_revision"] == "0"
    _correct(tablet_factory("rsk"), case_id)
    sent = _typed(form, radiologist_id) | shown
    refused = client.post(url, data=sent)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409, page
    assert CORRECTED in page
    assert FINDINGS in page  # kept to send again
    assert "800101-0019" in page  # the patient now, at the top
    assert _reports(app) == []
    # Sent again from the form as drawn now (it names the patient now), the report is entered.
    again = {name: hidden_value(page, name) for name in NAMES}
    assert again["identity_revision"] == "1"
    entered = client.post(url, data=sent | again)
    assert entered.status_code == 302, entered.get_data(as_text=True)
    reports = _reports(app)
    assert len(reports) == 1 and reports[0].sections[0]["text"] == FINDINGS


def test_a_paper_report_draft_typed_before_an_identity_correction_is_refused_when_continued(
    app: Flask,
    client: FlaskClient,
    auth: Any,
    case_id: int,
    radiologist_id: int,
    tablet_factory: Callable[..., FlaskClient],
) -> None:
    # The autosave keeps the identity the paper was keyed beside; continued on another tablet
    # after the correction, it stands on it until the secretary has seen the patient now.
    auth.login("secretary")
    shown = _opened(client, f"/reporting/{case_id}/paper")
    key = shown["form_key"]
    data = {k: v for k, v in (_typed("paper", radiologist_id) | shown).items() if k != "form_key"}
    saved = client.put(
        f"/api/drafts/{key}",
        json={"kind": "paper_report", "seq": 1, "case_id": str(case_id), "data": data},
    )
    assert saved.status_code in (200, 201), saved.get_data(as_text=True)
    _correct(tablet_factory("rsk"), case_id)
    other = tablet_factory("sekr2", role="secretary")
    page = other.get(f"/reporting/{case_id}/paper?draft={key}").get_data(as_text=True)
    assert FINDINGS in page
    resumed = {name: hidden_value(page, name) for name in NAMES}
    assert resumed["identity_revision"] == "0"
    refused = other.post(
        f"/reporting/{case_id}/paper", data=_typed("paper", radiologist_id) | resumed
    )
    assert refused.status_code == 409
    assert CORRECTED in refused.get_data(as_text=True)
    assert _reports(app) == []
