"""Reserving binder blanks: a bad count is said beside the field on the page the admin is on;
reserved, the batch is listed there with the link that opens its sheets as one PDF."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp.extensions import db
from webapp.models import ReservedCode

from .factories import referral_data


def _codes(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(ReservedCode.code).order_by(ReservedCode.id)))


def _reserve(client: FlaskClient, count: str, **more: str) -> str:
    """Reserve a batch; the page the admin lands on after it."""
    response = client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": count, **more})
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _print_link(page: str) -> str:
    match = re.search(r'href="(/blanks/[^"]+/batch\.pdf)"', page)
    assert match, "no print link for the batch"
    return match.group(1)


def batch_pdf_link(client: FlaskClient, reserved: TestResponse) -> str:
    """The link to the sheets of the batch just reserved, from the page it led to."""
    assert reserved.status_code == 302
    return _print_link(client.get(reserved.headers["Location"]).get_data(as_text=True))


def test_the_reserve_form_posts_to_the_page_it_is_on(client: FlaskClient, auth) -> None:
    # In a new tab, an error would open there and the admin's own page would show nothing.
    auth.login("admin")
    page = client.get("/blanks/").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/blanks/reserve"[^>]*>', page)
    assert form and "target=" not in form.group(0)


def test_a_bad_count_is_said_beside_the_field_with_the_input_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = client.post(
        "/blanks/reserve", data={"doc_kind": "BLU", "count": "0", "batch_label": "Pärm akuten"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert 'id="count-error"' in page and "Ange 1–200 blanketter." in page
    assert 'value="Pärm akuten"' in page and 'value="0"' in page
    assert re.search(r'<input[^>]*checked[^>]*value="BLU"|<input[^>]*value="BLU"[^>]*checked', page)
    assert _codes(app) == []


def test_a_count_that_is_no_number_gets_one_message_with_the_input_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    response = client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "tjugo"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="count-error"[^>]*>(.*?)</p>', page, re.S)
    assert error is not None
    # One sentence, not WTForms' own run into the range's ("Inte ett giltigt heltal Ange …").
    assert "Ange ett heltal (bara siffror)." in error.group(1)
    assert "giltigt heltal" not in page and "Ange 1–200" not in error.group(1)
    assert 'value="tjugo"' in page
    assert _codes(app) == []


def test_a_reserved_batch_is_listed_with_the_link_to_its_sheets(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    page = _reserve(client, "3", batch_label="Pärm akuten")
    codes = _codes(app)
    assert len(codes) == 3
    assert "3 blanketter reserverade" in page
    link = _print_link(page)
    assert re.search(r'<a[^>]*href="' + re.escape(link) + r'"[^>]*target="_blank"', page)
    response = client.get(link)
    assert response.mimetype == "application/pdf"
    sheets = [p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages]
    assert len(sheets) == 3
    assert all(code in sheet for code, sheet in zip(codes, sheets, strict=True))
    assert all("KOPIA" not in sheet for sheet in sheets)


def test_a_batch_prints_only_its_own_codes_still_unused(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    first = _print_link(_reserve(client, "3"))
    _reserve(client, "2")  # another batch of the same kind
    codes = _codes(app)
    client.post(f"/blanks/{codes[1]}/void", data={"reason": "Bladet förstört"})
    pdf = client.get(first).get_data()
    sheets = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(sheets) == 2
    assert codes[0] in sheets[0] and codes[2] in sheets[1]


def test_a_batch_with_every_code_used_or_voided_prints_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    link = _print_link(_reserve(client, "1"))
    (code,) = _codes(app)
    auth.logout()
    auth.login()
    client.post("/incidents/new", data={"scenario": "total"})
    data = referral_data(key_suffix="blank", arrived_via="paper")
    assert client.post(f"/blanks/{code}/open", data=data).status_code == 302
    auth.logout()
    auth.login("admin")
    response = client.get(link)
    assert response.status_code == 302
    assert "Inga oanvända koder" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_unknown_batch_is_404(client: FlaskClient, auth) -> None:
    auth.login("admin")
    assert client.get("/blanks/ABC-DEF/batch.pdf").status_code == 404
