"""Two blanks of one kind joined to one case (a second report blank read for an addendum, say)
are two sheets, each to be keyed: the second is not called another version of the first."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import ReservedCode

from .factories import referral_data

OTHER_VERSION = "En annan version av papperet"


def _case_with_two_report_blanks(app: Flask, client: FlaskClient, auth) -> tuple[int, list[str]]:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "2"})
    auth.logout()
    with app.app_context():
        codes = list(db.session.scalars(select(ReservedCode.code).order_by(ReservedCode.id)))
    auth.login("radiologist")
    for code in codes:
        response = client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id)})
        assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return case_id, codes


def test_a_second_blank_of_one_kind_is_not_another_version_of_the_first(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, codes = _case_with_two_report_blanks(app, client, auth)
    auth.login("secretary")
    for code in codes:
        scanned = make_case_payload(code, "BLU", 1)
        response = client.get("/scan", query_string={"code": scanned}, follow_redirects=True)
        assert response.request.path == f"/catchup/cases/{case_id}"
        assert OTHER_VERSION not in response.get_data(as_text=True), code


def test_a_blank_scanned_again_in_another_version_is_still_named(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The same sheet: its code the same, its version another (as a case's sheet's after a change).
    _case_id, codes = _case_with_two_report_blanks(app, client, auth)
    auth.login("secretary")
    client.get("/scan", query_string={"code": make_case_payload(codes[0], "BLU", 1)})
    response = client.get(
        "/scan", query_string={"code": make_case_payload(codes[0], "BLU", 2)}, follow_redirects=True
    )
    assert OTHER_VERSION in response.get_data(as_text=True)
