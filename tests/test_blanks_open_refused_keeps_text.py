"""A referral typed from a binder blank whose code was used or voided meanwhile keeps its text."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Case

from .catchup_support import case_begun_on_a_referral_blank, reserve_blank
from .factories import referral_data


def _cases(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Case.id))) or 0)


def test_a_second_sheet_typed_under_a_used_code_is_refused_with_its_text_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = case_begun_on_a_referral_blank(app, client, auth)
    auth.logout()
    auth.login("radiographer")
    # Another tablet, another patient: a reprint put a second sheet with the code about.
    data = referral_data(key_suffix="other", patient_name="Anna Annorlunda", arrived_via="paper")
    response = client.post(f"/blanks/{code}/open", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Blankettens kod är redan använd för ett ärende." in page
    assert 'value="Anna Annorlunda"' in page
    assert _cases(app) == 1


def test_a_sheet_typed_under_a_code_voided_meanwhile_is_refused_with_its_text_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = reserve_blank(app, client, auth, "BLR")
    auth.login("admin")
    client.post(f"/blanks/{code}/void", data={"reason": "Tappad"})
    auth.logout()
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    data = referral_data(key_suffix="late", patient_name="Anna Annorlunda", arrived_via="paper")
    response = client.post(f"/blanks/{code}/open", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Blankettens kod är makulerad." in page
    assert 'value="Anna Annorlunda"' in page
    assert _cases(app) == 0
