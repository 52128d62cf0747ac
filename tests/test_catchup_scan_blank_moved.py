"""A blank scanned while joined to the wrong case, then detached and joined to the right one:
its next scan names the case the first one opened, not "nothing has been duplicated"."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.codes import make_case_payload
from webapp.extensions import db
from webapp.models import AuditEvent, Case, ReservedCode

from .factories import referral_data


def test_a_blank_scanned_at_another_case_before_says_which(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "total"})
    wrong = client.post("/cases/new", data=referral_data()).headers["Location"]
    right = client.post(
        "/cases/new", data=referral_data(key_suffix="2", patient_name="Annan Person")
    ).headers["Location"]
    wrong_id, right_id = (int(url.rsplit("/", 1)[-1]) for url in (wrong, right))
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    auth.logout()
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
        wrong_code = db.session.get(Case, wrong_id).code
    payload = make_case_payload(code, "BLD", 1)
    auth.login("secretary")
    client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(wrong_id)})
    assert client.get("/scan", query_string={"code": payload}).status_code == 302
    detached = client.post(
        f"/cases/{wrong_id}/blanks/{code}/detach",
        data={"reason": "Fel patient", "form_key": "d" * 20},
    )
    assert detached.status_code == 302
    client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(right_id)})
    with app.app_context():
        before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    response = client.get("/scan", query_string={"code": payload}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == f"/catchup/cases/{right_id}"
    # Maybe keyed into RIS under the wrong case's patient: that is no "nothing duplicated".
    assert "inget har dubblerats" not in page
    assert f"när det var kopplat till ärende {wrong_code}" in page
    # The RIS check is by the patient, whom the code alone does not name (two identifiers); so
    # named, that patient was read, and their extract must hold it.
    assert f"kopplat till ärende {wrong_code} (Örjan Älvström, 19121212-1212)" in page
    with app.app_context():
        reads = db.session.execute(
            select(AuditEvent.action, AuditEvent.detail).where(
                AuditEvent.id > before, AuditEvent.case_id == wrong_id
            )
        ).all()
    assert [tuple(row) for row in reads] == [
        ("scan_earlier_case_view", f"namngivet vid skanning av {payload}")
    ]
