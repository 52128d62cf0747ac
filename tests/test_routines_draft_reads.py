"""A routine's form begun without a case, continued from its draft, shows what was typed into
it: a read of the patient typed, or of the case whose code was typed."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent

from .routines_support import transfer_data
from .test_routines_drafts import FINDINGS, RECEIVE_KEY, _case_with_a_receive_draft

TRANSFER_KEY = "transfer-" + "r" * 20


def _last_id(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.max(AuditEvent.id))) or 0)


def _rows_since(app: Flask, before: int) -> list[tuple[str, int | None, str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.id)
        )
        return [(r.action, r.case_id, r.patient_ref, r.username, r.detail) for r in rows]


def _transfer_draft(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    response = client.put(
        f"/api/drafts/{TRANSFER_KEY}",
        json={"kind": "transfer", "seq": 1, "data": transfer_data(form_key=TRANSFER_KEY)},
    )
    assert response.status_code == 200


def test_a_transfer_form_continued_from_a_draft_logs_the_patient_it_shows(
    app: Flask, client: FlaskClient, auth
) -> None:
    _transfer_draft(client, auth)
    before = _last_id(app)
    page = client.get(f"/routines/transfers/new?draft={TRANSFER_KEY}").get_data(as_text=True)
    assert "19121212-1212" in page
    assert _rows_since(app, before) == [
        ("draft_view", None, "191212121212", "test-radiographer", f"Bildöverföring {TRANSFER_KEY}")
    ]


def test_a_transfer_draft_read_by_the_autosave_names_the_patient(
    app: Flask, client: FlaskClient, auth
) -> None:
    _transfer_draft(client, auth)
    before = _last_id(app)
    assert client.get(f"/api/drafts/{TRANSFER_KEY}").status_code == 200
    assert [row[2] for row in _rows_since(app, before)] == ["191212121212"]


def test_an_empty_transfer_form_logs_nothing(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    before = _last_id(app)
    assert client.get("/routines/transfers/new").status_code == 200
    assert _rows_since(app, before) == []


def test_a_receive_form_continued_from_a_draft_logs_the_case_it_shows(
    app: Flask, client: FlaskClient, auth
) -> None:
    case = _case_with_a_receive_draft(app, client, auth)
    before = _last_id(app)
    page = client.get(f"/routines/reviewer/receive?draft={RECEIVE_KEY}").get_data(as_text=True)
    assert FINDINGS in page
    assert _rows_since(app, before) == [
        (
            "draft_view",
            case.id,
            case.patient_id,
            "test-secretary",
            f"Svar från extern granskare {RECEIVE_KEY}",
        )
    ]


def test_a_reviewer_report_draft_read_by_the_autosave_names_its_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    case = _case_with_a_receive_draft(app, client, auth)
    before = _last_id(app)
    assert client.get(f"/api/drafts/{RECEIVE_KEY}").status_code == 200
    assert [row[1] for row in _rows_since(app, before)] == [case.id]
