"""The access log finds every scan of a binder blank by the code printed on it."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import Case, ReservedCode

from .factories import referral_data


def _scans_found_by(client: FlaskClient, code: str) -> list[dict[str, str]]:
    raw = client.get(f"/admin/audit.csv?case_code={code}").get_data().decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(raw), delimiter=";")
    return [r for r in rows if r["händelse"] == "scan"]


def test_a_documentation_blank_scanned_before_and_after_it_joined_its_case_is_found_by_its_code(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    auth.logout()
    with app.app_context():
        blank = db.session.scalar(select(ReservedCode.code))
        case_code = db.session.get(Case, case_id).code
    payload = make_case_payload(blank, "BLD", 1)
    auth.login("secretary")
    # Not yet joined: the scan asks for its case.
    assert client.get("/scan", query_string={"code": payload}).status_code == 302
    auth.logout()
    auth.login("radiographer")
    client.post(f"/blanks/{blank}/attach/confirm", data={"case_id": str(case_id)})
    auth.logout()
    auth.login("secretary")
    # Joined: the same sheet now opens the case, whose code is another.
    response = client.get("/scan", query_string={"code": payload})
    assert response.headers["Location"].endswith(f"/catchup/cases/{case_id}")
    auth.logout()
    auth.login("admin")
    by_blank = _scans_found_by(client, blank)
    assert [r["detalj"] for r in by_blank] == [payload, payload]
    assert [r["ärendekod"] for r in by_blank] == [case_code, ""]
    # The case's own code finds the scan that opened it, and not the one before it joined.
    assert [r["detalj"] for r in _scans_found_by(client, case_code)] == [payload]
