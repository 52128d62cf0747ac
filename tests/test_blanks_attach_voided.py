"""A voided documentation or report blank's join page says at once that it is voided."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReservedCode
from webapp.web import local_time

from .factories import referral_data


@pytest.fixture
def voided(app: Flask, client: FlaskClient, auth) -> dict[str, str]:
    """A live case, and a documentation blank voided by the admin as lost; nobody logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    client.post("/cases/new", data=referral_data())
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    with app.app_context():
        code = str(db.session.scalar(select(ReservedCode.code)))
    voided = client.post(f"/blanks/{code}/void", data={"reason": "Tappad i hissen"})
    assert voided.status_code == 302
    auth.logout()
    with app.app_context():
        reserved = db.session.scalar(select(ReservedCode).where(ReservedCode.code == code))
        with app.test_request_context():
            at = local_time(reserved.voided_at)
    return {"code": code, "at": at}


def test_a_voided_blanks_join_page_says_when_by_whom_and_why_it_was_voided(
    client: FlaskClient, auth, voided
) -> None:
    auth.login("radiographer")
    response = client.get(f"/blanks/{voided['code']}/attach")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Koden {voided['code']} är makulerad" in page
    assert voided["at"] in page
    assert "Testa Admin Åström" in page
    assert "Tappad i hissen" in page


def test_a_voided_blanks_join_page_offers_no_search_nor_join(
    client: FlaskClient, auth, voided
) -> None:
    auth.login("radiographer")
    page = client.get(f"/blanks/{voided['code']}/attach").get_data(as_text=True)
    assert 'name="typed"' not in page
    assert "Sök ärendet" not in page
    assert "Registrera remissen från den här blanketten" not in page


def test_a_search_sent_from_a_voided_blanks_page_finds_no_case_to_join(
    client: FlaskClient, auth, voided
) -> None:
    auth.login("radiographer")
    response = client.post(f"/blanks/{voided['code']}/attach", data={"typed": "19121212-1212"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f"Koden {voided['code']} är makulerad" in page
    assert 'name="case_id"' not in page and "Örjan Älvström" not in page
