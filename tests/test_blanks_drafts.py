"""A binder blank typed in autosaves as a draft that stays with the sheet's own code."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Draft, ReservedCode

from .factories import referral_data

KEY = "blankdraft-" + "x" * 16


@pytest.fixture
def blanks(app: Flask, client: FlaskClient, auth) -> list[str]:
    """Two unused referral blanks, and a radiographer logged in during an incident."""
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "2"})
    auth.logout()
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    with app.app_context():
        return list(db.session.scalars(select(ReservedCode.code).order_by(ReservedCode.id)))


def _put(client: FlaskClient, code: str, name: str) -> None:
    body = {
        "kind": "blank_referral",
        "seq": 1,
        "label": f"{code} · {name}",
        "data": {"blank_code": code, "patient_name": name, "form_key": KEY},
    }
    assert client.put(f"/api/drafts/{KEY}", json=body).get_json()["state"] == "created"


def test_draft_of_a_blank_is_continued_from_the_list_under_the_sheets_code(
    client: FlaskClient, blanks: list[str]
) -> None:
    _put(client, blanks[0], "Blanka Bladh")
    page = client.get("/drafts").get_data(as_text=True)
    assert f"/blanks/{blanks[0]}/open?draft={KEY}" in page

    form = client.get(f"/blanks/{blanks[0]}/open?draft={KEY}").get_data(as_text=True)
    assert 'value="Blanka Bladh"' in form
    assert f'value="{KEY}"' in form


def test_draft_of_one_blank_does_not_fill_another_sheet(
    client: FlaskClient, blanks: list[str]
) -> None:
    _put(client, blanks[0], "Blanka Bladh")
    form = client.get(f"/blanks/{blanks[1]}/open?draft={KEY}").get_data(as_text=True)
    assert "Blanka Bladh" not in form
    assert f'value="{KEY}"' not in form


def test_typing_in_a_blank_finishes_its_draft(
    app: Flask, client: FlaskClient, blanks: list[str]
) -> None:
    _put(client, blanks[0], "Blanka Bladh")
    data = referral_data(form_key=KEY, blank_code=blanks[0], arrived_via="paper")
    response = client.post(f"/blanks/{blanks[0]}/open", data=data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Case.code)) == blanks[0]
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert draft is not None and draft.is_done
    assert "Blanka Bladh" not in client.get("/drafts").get_data(as_text=True)


def test_opening_a_blank_again_offers_its_draft_and_no_other_sheets(
    app: Flask, client: FlaskClient, blanks: list[str]
) -> None:
    _put(client, blanks[0], "Blanka Bladh")
    again = client.get(f"/blanks/{blanks[0]}/open").get_data(as_text=True)
    assert f"/blanks/{blanks[0]}/open?draft={KEY}" in again
    assert "Osparad ändring" in again
    other = client.get(f"/blanks/{blanks[1]}/open").get_data(as_text=True)
    assert "Osparad ändring" not in other
