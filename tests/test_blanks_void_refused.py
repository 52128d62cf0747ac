"""Voiding a binder code without a usable reason: the reason is asked for beside that code's
field, what was typed kept, and the code stays unused."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReservedCode


@pytest.fixture
def codes(app: Flask, client: FlaskClient, auth) -> list[str]:
    """Two unused referral blanks, the admin logged in."""
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "2"})
    with app.app_context():
        return list(db.session.scalars(select(ReservedCode.code).order_by(ReservedCode.id)))


def _voided(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(ReservedCode.code).where(ReservedCode.voided_at.is_not(None)))
        )


def _row(page: str, code: str) -> str:
    match = re.search(rf'<td class="mono">{code}</td>.*?</tr>', page, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("   ", "Ange varför koden makuleras."),
        ("Bladet förstört. " * 70, "Fältet får inte vara längre än 1000 tecken."),
    ],
)
def test_a_void_refused_says_why_beside_its_code_and_keeps_the_reason(
    app: Flask, client: FlaskClient, codes: list[str], reason: str, message: str
) -> None:
    response = client.post(f"/blanks/{codes[1]}/void", data={"reason": reason})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    row = _row(page, codes[1])
    assert message in row and "<details open" in row
    assert f'value="{reason.strip()}"' in row
    assert message not in _row(page, codes[0])
    assert _voided(app) == []


def test_a_void_with_a_reason_still_voids(
    app: Flask, client: FlaskClient, codes: list[str]
) -> None:
    response = client.post(f"/blanks/{codes[0]}/void", data={"reason": "Bladet förstört"})
    assert response.status_code == 302
    assert _voided(app) == [codes[0]]
