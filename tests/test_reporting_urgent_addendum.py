"""An urgent finding in an addendum needs its own call to the referrer, logged after it."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.closing import open_tasks
from webapp.models import Addendum, AuditEvent, Case

from .factories import local_minute
from .printforms.conftest import pdf_text
from .routines_support import make_case

CALL = {"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"}


def _addendum(client: FlaskClient, text: str, *, urgent: bool) -> None:
    data = {"text": text, **({"is_urgent": "y"} if urgent else {})}
    assert client.post(f"/reporting/{CASE[0]}/addendum", data=data).status_code == 302


CASE: list[int] = [0]


def _signed(client: FlaskClient, auth: Any) -> int:
    CASE[0] = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    return CASE[0]


def _open_calls(app: Flask, case_id: int) -> list[int]:
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        return [t.case_id for t in open_tasks(incident_id) if t.kind == "urgent_call"]


def test_an_urgent_addendum_is_stored_and_audited(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _signed(client, auth)
    _addendum(client, "Pneumothorax höger.", urgent=True)
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        assert addendum.is_urgent
        detail = db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "report_addendum")
        )
    # The access log is read by admins and exported: it says what was signed, not the text.
    assert detail == "Akut fynd, tillägg 1, 19 tecken"
    assert "Pneumothorax höger." in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_an_addendums_audit_row_keeps_no_clinical_text(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # As a signature's row ("version 2") and a fax keyed in: a second copy of the report's
    # text in the access log would outlive the report's own access rules.
    _signed(client, auth)
    _addendum(client, "Jämfört med tidigare: oförändrat.", urgent=False)
    _addendum(client, "Ny bedömning: liten pneumothorax apikalt.", urgent=False)
    with app.app_context():
        details = db.session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.action == "report_addendum")
            .order_by(AuditEvent.id)
        ).all()
    assert details == ["Tillägg 1, 33 tecken", "Tillägg 2, 41 tecken"]


def test_a_plain_addendum_asks_for_no_call(app: Flask, client: FlaskClient, auth: Any) -> None:
    case_id = _signed(client, auth)
    _addendum(client, "Jämfört med tidigare: oförändrat.", urgent=False)
    assert "Ring remittenten" not in client.get("/reporting/").get_data(as_text=True)
    assert _open_calls(app, case_id) == []


def test_an_urgent_addendum_shows_the_call_missing_until_logged(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _signed(client, auth)
    _addendum(client, "Pneumothorax höger.", urgent=True)
    assert "Akut fynd: ring remittenten" in client.get(f"/reporting/{case_id}").get_data(
        as_text=True
    )
    assert "remittenten är inte ringd än" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Ring remittenten" in client.get("/reporting/").get_data(as_text=True)
    assert "call-needed" in client.get("/board/").get_data(as_text=True)
    assert _open_calls(app, case_id) == [case_id]
    # Made after the addendum was signed (one made before it is about something else).
    called = {**CALL, "called_at": local_minute()}
    assert client.post(f"/reporting/{case_id}/call", data=called).status_code == 302
    assert "Akut fynd: ring remittenten" not in client.get(f"/reporting/{case_id}").get_data(
        as_text=True
    )
    assert "remittenten är inte ringd än" not in client.get(f"/cases/{case_id}").get_data(
        as_text=True
    )
    assert "Ring remittenten" not in client.get("/reporting/").get_data(as_text=True)
    assert "call-needed" not in client.get("/board/").get_data(as_text=True)
    assert _open_calls(app, case_id) == []


def test_a_call_logged_before_the_urgent_addendum_does_not_count_for_it(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    case_id = _signed(client, auth)
    assert client.post(f"/reporting/{case_id}/call", data=CALL).status_code == 302
    _addendum(client, "Pneumothorax höger.", urgent=True)
    assert "Ring remittenten" in client.get("/reporting/").get_data(as_text=True)
    assert "call-needed" in client.get("/board/").get_data(as_text=True)
    assert "remittenten är inte ringd än" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert _open_calls(app, case_id) == [case_id]


def test_the_printed_report_marks_an_urgent_addendum(client: FlaskClient, auth: Any) -> None:
    case_id = _signed(client, auth)
    _addendum(client, "Pneumothorax höger.", urgent=True)
    response = client.get(f"/print/cases/{case_id}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data())
    assert "AKUT FYND" in text
    assert "Tillägg – akut fynd" in text
