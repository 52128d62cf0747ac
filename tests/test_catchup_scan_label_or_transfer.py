"""Scan station: a disc label's line typed by hand whose characters also pass a transfer
reference's check (about one in 31 of codes beginning with T and two digits) opens its case
when no such transfer exists, and asks which when both do."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.code_alphabet import ALPHABET
from webapp.codes import check_character, parse_scan
from webapp.extensions import db
from webapp.models import AuditEvent, Case, ImageTransfer, ScanEvent, Site
from webapp.transfer_codes import transfer_scan
from webapp.transfer_refs import transfer_reference, transfer_stamp

from .factories import case_code
from .routines_support import make_case, transfer_case, transfer_data

NO_TRANSFER = "Ingen överföring har referensen"


def _ambiguous_line() -> tuple[str, str]:
    """(case code, label line) whose line passes both the code's and a transfer's check."""
    for body in itertools.product(ALPHABET, repeat=2):
        code = "T23" + "".join(body[:2])
        code += check_character(code)
        for marker, digit in itertools.product("UT", "23456789"):
            try:
                if transfer_scan(code + marker + digit, None) is not None:
                    return f"{code[:3]}-{code[3:]}", f"{code[:3]}-{code[3:]} {marker}{digit}"
            except ValueError:
                continue
    raise AssertionError("no ambiguous line")


def _set_code(app: Flask, case_id: int, code: str) -> None:
    with app.app_context():
        db.session.execute(update(Case).where(Case.id == case_id).values(code=code))
        db.session.commit()


def _scan(client: FlaskClient, auth: Any, line: str, **extra: str) -> Any:
    auth.logout()
    auth.login("secretary")
    return client.get("/scan", query_string={"code": line, **extra})


def test_the_ambiguous_line_reads_as_a_transfer_reference_in_the_parser() -> None:
    # The premise: parse_scan takes the line for a reference whose check holds.
    _code, line = _ambiguous_line()
    assert parse_scan(line).kind == "transfer"


def test_a_typed_label_of_no_transfer_here_opens_its_case_and_is_logged(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth)
    code, line = _ambiguous_line()
    _set_code(app, case_id, code)
    response = _scan(client, auth, line.lower())
    assert NO_TRANSFER not in response.get_data(as_text=True)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/cases/{case_id}")
    with app.app_context():
        scans = db.session.execute(select(ScanEvent.case_id, ScanEvent.payload)).all()
        assert [tuple(s) for s in scans] == [(case_id, line)]
        audited = db.session.scalars(
            select(AuditEvent.case_id).where(AuditEvent.action == "scan")
        ).all()
        assert case_id in audited


def _transfer_like(app: Flask, transfer_id: int) -> tuple[str, str]:
    """Renumber the (only) transfer and move its creation until its reference is a label's line
    of a valid code; (case code, reference)."""
    with app.app_context():
        db.session.execute(update(ImageTransfer).values(id=transfer_id))
        db.session.commit()
        transfer = db.session.get(ImageTransfer, transfer_id)
        site_code = db.session.scalar(select(Site.code).where(Site.id == transfer.site_id))
        start = transfer.created_at
        for micro in range(1, 2_000_000):
            transfer.created_at = start + timedelta(microseconds=micro)
            stamp = transfer_stamp(transfer, site_code)
            code = f"T{transfer_id}{stamp[:3]}"
            reference = transfer_reference(transfer)
            if (
                stamp[3] in "UT"
                and reference[-1] in "23456789"
                and check_character(code[:5]) == code[5]
            ):
                db.session.commit()
                return f"{code[:3]}-{code[3:]}", reference
    raise AssertionError("no such creation time")


def test_a_line_of_both_an_existing_transfer_and_case_asks_which(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id, _code = transfer_case(app, client, auth)
    # A transfer with no case: its label carries its reference.
    response = client.post("/routines/transfers/new", data=transfer_data())
    assert response.status_code == 302, response.get_data(as_text=True)
    code, reference = _transfer_like(app, 23)
    _set_code(app, case_id, code)
    line = f"{code} {reference[-2:]}"
    page = _scan(client, auth, line)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "kan läsas både som" in text
    with app.app_context():
        assert db.session.scalars(select(ScanEvent.id)).all() == []
    as_label = _scan(client, auth, line, read="label")
    assert as_label.headers["Location"].endswith(f"/catchup/cases/{case_id}")
    as_transfer = _scan(client, auth, line, read="transfer")
    assert as_transfer.headers["Location"].endswith("/routines/transfers/23")


def test_a_typed_label_line_with_a_record_id_beyond_any_row_is_no_500(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = make_case(client, auth)
    response = _scan(client, auth, f"{case_code(app, case_id)} U{'9' * 30}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/catchup/cases/{case_id}")
