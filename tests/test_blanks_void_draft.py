"""A binder code being typed in on a tablet is no lost or spoilt sheet: it is not voided."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft, ReservedCode

from .catchup_support import reserve_blank

KEY = "blankdraft-" + "v" * 16


def _typing_in(app: Flask, client: FlaskClient, auth) -> str:
    """A referral blank whose referral a radiographer has begun typing (an autosaved draft);
    an admin logged in."""
    code = reserve_blank(app, client, auth, "BLR")
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    body = {
        "kind": "blank_referral",
        "seq": 1,
        "label": f"{code} · Blanka Bladh",
        "data": {"blank_code": code, "patient_name": "Blanka Bladh", "form_key": KEY},
    }
    assert client.put(f"/api/drafts/{KEY}", json=body).get_json()["state"] == "created"
    auth.logout()
    auth.login("admin")
    return code


def _voided_at(app: Flask, code: str) -> object:
    with app.app_context():
        return db.session.scalar(select(ReservedCode.voided_at).where(ReservedCode.code == code))


def test_a_code_with_an_unsent_draft_typed_from_its_sheet_is_not_voided(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _typing_in(app, client, auth)
    page = client.post(f"/blanks/{code}/void", data={"reason": "Tappad"}, follow_redirects=True)
    assert _voided_at(app, code) is None
    assert "osänt utkast" in page.get_data(as_text=True)


def test_a_code_is_voided_once_the_draft_typed_from_its_sheet_is_thrown_away(
    app: Flask, client: FlaskClient, auth
) -> None:
    code = _typing_in(app, client, auth)
    auth.logout()
    auth.login("radiographer")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id).where(Draft.form_key == KEY))
    assert client.post(f"/drafts/{draft_id}/discard").status_code == 302
    auth.logout()
    auth.login("admin")
    client.post(f"/blanks/{code}/void", data={"reason": "Tappad"})
    assert _voided_at(app, code) is not None
