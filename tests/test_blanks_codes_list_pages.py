"""The binder's list of reserved codes never ends silently: past a page it says how many there
are in all and links to the rest; a void refused or done on a later page comes back to it."""

from __future__ import annotations

import re
from datetime import timedelta
from random import Random

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.blanks.queries import CODES_PAGE
from webapp.codes import generate_case_code
from webapp.extensions import db
from webapp.models import ReservedCode, utcnow


def _many_codes(app: Flask, client: FlaskClient, auth, extra: int) -> list[str]:
    """A page of unused referral blanks and `extra` more, newest first as listed."""
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    with app.app_context():
        first = db.session.scalar(select(ReservedCode))
        assert first is not None
        made = {first.code}
        rng = Random(58)
        start = utcnow() - timedelta(days=1)
        for n in range(CODES_PAGE + extra - 1):
            code = generate_case_code(rng)
            while code in made:
                code = generate_case_code(rng)
            made.add(code)
            db.session.add(
                ReservedCode(
                    code=code,
                    site_id=first.site_id,
                    doc_kind="BLR",
                    reserved_by_id=first.reserved_by_id,
                    # One reserved a second apart, so "newest first" is each code's own place.
                    reserved_at=start + timedelta(seconds=n),
                )
            )
        db.session.commit()
        return list(
            db.session.scalars(
                select(ReservedCode.code).order_by(
                    ReservedCode.reserved_at.desc(), ReservedCode.code
                )
            )
        )


def _listed(page: str) -> list[str]:
    return re.findall(r'<tr id="code-([^"]+)">', page)


def test_a_list_longer_than_a_page_says_so_and_links_to_the_rest(
    app: Flask, client: FlaskClient, auth
) -> None:
    codes = _many_codes(app, client, auth, 3)
    total = len(codes)
    first = client.get("/blanks/").get_data(as_text=True)
    assert f"Visar 1–{CODES_PAGE} av {total} reserverade koder" in first
    assert _listed(first) == codes[:CODES_PAGE]
    assert 'href="/blanks/?page=2"' in first
    second = client.get("/blanks/?page=2").get_data(as_text=True)
    assert f"Visar {CODES_PAGE + 1}–{total} av {total} reserverade koder" in second
    # The oldest code, the first reserved, is there too.
    assert _listed(second) == codes[CODES_PAGE:]
    assert 'href="/blanks/?page=1"' in second
    assert "page=3" not in second


def test_a_page_past_the_end_shows_the_last_page(app: Flask, client: FlaskClient, auth) -> None:
    codes = _many_codes(app, client, auth, 2)
    page = client.get("/blanks/?page=99999999999999999999").get_data(as_text=True)
    assert f"Visar {CODES_PAGE + 1}–{len(codes)} av {len(codes)} reserverade koder" in page
    assert _listed(page) == codes[CODES_PAGE:]


def test_a_void_refused_on_a_later_page_says_why_beside_its_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    codes = _many_codes(app, client, auth, 2)
    code = codes[-1]
    second = client.get("/blanks/?page=2").get_data(as_text=True)
    action = re.search(rf'action="(/blanks/{code}/void[^"]*)"', second)
    assert action, "no void form for the code"
    response = client.post(action.group(1).replace("&amp;", "&"), data={"reason": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    row = re.search(rf'<tr id="code-{code}">.*?</tr>', page, re.S)
    assert row, "the refused code's row is not on the page shown"
    assert "Ange varför koden makuleras." in row.group(0)


def test_a_void_on_a_later_page_returns_to_it(app: Flask, client: FlaskClient, auth) -> None:
    codes = _many_codes(app, client, auth, 2)
    code = codes[-1]
    second = client.get("/blanks/?page=2").get_data(as_text=True)
    action = re.search(rf'action="(/blanks/{code}/void[^"]*)"', second)
    assert action, "no void form for the code"
    response = client.post(action.group(1).replace("&amp;", "&"), data={"reason": "Förstört"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/blanks/?page=2")


def test_a_short_list_says_nothing_of_pages(client: FlaskClient, auth) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "3"})
    page = client.get("/blanks/").get_data(as_text=True)
    assert len(_listed(page)) == 3
    assert "Visar " not in page
    assert "page=2" not in page
