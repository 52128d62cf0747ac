"""Throwing a draft away returns to a page of the laptop, whatever address the link carried."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

KEY = "backtokey-" + "b" * 16
# A browser drops tabs and line breaks from an address: "/\t/evil.example" is "//evil.example".
ELSEWHERE = ["/\t/evil.example/x", "/\n/evil.example/x", "/\r\n/evil.example/x"]


@pytest.fixture
def draft_id(app: Flask, client: FlaskClient, auth) -> int:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "referral", "seq": 1, "label": "Åsa", "data": {"patient_name": "Åsa"}},
    )
    with app.app_context():
        return int(db.session.scalar(select(Draft.id)) or 0)


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_discard_never_redirects_off_the_laptop_by_a_control_character(
    client: FlaskClient, draft_id: int, elsewhere: str
) -> None:
    response = client.post(f"/drafts/{draft_id}/discard", data={"next": elsewhere})
    assert response.status_code == 302
    assert response.headers["Location"] == "/drafts"


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_the_draft_page_never_offers_a_return_off_the_laptop(
    client: FlaskClient, draft_id: int, elsewhere: str
) -> None:
    page = client.get(f"/drafts/{draft_id}", query_string={"next": elsewhere})
    assert page.status_code == 200
    assert '<input type="hidden" name="next" value="/drafts">' in page.get_data(as_text=True)


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_switching_language_never_leads_off_the_laptop_by_a_control_character(
    client: FlaskClient, elsewhere: str
) -> None:
    response = client.post("/language", data={"lang": "en", "next": elsewhere})
    assert response.headers["Location"] == "/"
