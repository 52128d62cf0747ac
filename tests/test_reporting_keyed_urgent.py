"""A report keyed in after an urgent preliminary one (faxed in, or from paper) starts with its
urgent finding ticked: sent as drawn, the finding and its call to the referrer are kept."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.call_rule import needs_call
from webapp.extensions import db
from webapp.models import Case

from .factories import faxed_report_data


def _box_ticked(page: str, name: str) -> bool:
    box = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert box is not None, f"no box {name!r}"
    return re.search(r"\bchecked\b", box.group(0)) is not None


@pytest.mark.parametrize("source", ["fax", "paper"])
def test_the_definitive_keyed_after_an_urgent_preliminary_starts_urgent(
    app: Flask, client: FlaskClient, auth, case_id: int, source: str
) -> None:
    # The secretary keys what the paper says; a box that starts unticked took the urgent finding
    # off the report, and the uncalled referrer off the board, the worklist and the close.
    auth.login("secretary")
    urgent = faxed_report_data(is_urgent="y", form_key="u" * 20)
    assert client.post(f"/reporting/{case_id}/fax", data=urgent).status_code == 302
    page = client.get(f"/reporting/{case_id}/{source}").get_data(as_text=True)
    assert _box_ticked(page, "is_urgent")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.id == case_id))
        assert case is not None and needs_call(case.report, [])


def test_a_keyed_report_cannot_untick_an_urgent_finding_nobody_was_called_about(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # As in the app (test_reporting_urgency): a definitive keyed in with the box unticked
    # dropped the reminder of the call still owed for the urgent preliminary.
    auth.login("secretary")
    urgent = faxed_report_data(is_urgent="y", form_key="u" * 20)
    assert client.post(f"/reporting/{case_id}/fax", data=urgent).status_code == 302
    definitive = faxed_report_data(
        state="definitive", form_key="d" * 20, conclusion="Ingen lungembolism.", report_version="1"
    )
    response = client.post(f"/reporting/{case_id}/fax", data=definitive)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    beside = page.split('name="is_urgent"', 1)[1].split("</div>", 2)
    assert "inget samtal till remittenten är loggat" in "".join(beside[:2])
    assert "Ingen lungembolism." in page  # what was typed stays
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.id == case_id))
        assert case is not None and case.report.state == "preliminary"
        assert needs_call(case.report, [])
    client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"},
    )
    assert client.post(f"/reporting/{case_id}/fax", data=definitive).status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.id == case_id))
        assert case is not None and case.report.state == "definitive"
        assert not case.report.is_urgent
