"""A save that meets another program's write lock past SQLite's wait: said, kept, never a 500.

A real second connection holds BEGIN IMMEDIATE on the app's database file (tests/database_busy).
"""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from webapp import storage_errors
from webapp.backup_errors import failure_reason
from webapp.extensions import db
from webapp.i18n_en import EN
from webapp.models import AuditEvent, Case, Draft, UserSession, utcnow

from .database_busy import BUSY_MESSAGE, database_busy
from .factories import referral_data
from .test_storage_refused import MESSAGE, READ_ONLY, refusing_writes

pytestmark = pytest.mark.sqlite_only


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        db.session.remove()
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def incident(client: FlaskClient, auth: Any) -> int:
    auth.login()
    response = client.post("/incidents/new", data={"scenario": "integration"})
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _typed_for_a_minute(app: Flask) -> None:
    """The form was typed for a minute: the request first records the login's activity."""
    with app.app_context():
        db.session.execute(
            update(UserSession).values(last_seen_at=utcnow() - timedelta(seconds=60))
        )
        db.session.commit()


def test_a_referral_saved_while_the_database_is_busy_is_kept_in_the_form_and_saved_later(
    app: Flask, client: FlaskClient, incident: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = referral_data(patient_name="Bodil Låstsson", history="Waran sedan 2019.")
    _typed_for_a_minute(app)
    with database_busy(app, monkeypatch):
        response = client.post("/cases/new", data=data)
    assert response.status_code == 503
    page = _page(response)
    assert BUSY_MESSAGE in page
    assert "disk är full" not in page
    assert 'value="Bodil Låstsson"' in page
    assert "Waran sedan 2019." in page
    assert f'value="{data["form_key"]}"' in page
    assert _count(app, Case) == 0

    response = client.post("/cases/new", data=data)
    assert response.status_code == 302
    assert _count(app, Case) == 1


def test_an_autosave_while_the_database_is_busy_is_answered_to_be_sent_again(
    app: Flask, client: FlaskClient, incident: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """drafts.js keeps the text on the tablet and sends it again on a 5xx answer."""
    body = {"kind": "referral", "seq": 1, "label": "Bodil", "data": {"patient_name": "Bodil"}}
    with database_busy(app, monkeypatch):
        response = client.put("/api/drafts/" + "b" * 22, json=body)
    assert response.status_code == 503
    assert response.get_json() == {"error": "database_busy"}
    assert _count(app, Draft) == 0
    assert client.put("/api/drafts/" + "b" * 22, json=body).status_code == 200
    assert _count(app, Draft) == 1


def test_a_page_whose_read_cannot_be_logged_while_busy_is_not_shown_and_not_a_500(
    app: Flask, client: FlaskClient, incident: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No read of patient data without its audit row: the page says to try again."""
    reads = _count(app, AuditEvent)
    with database_busy(app, monkeypatch):
        response = client.get("/cases/new")
    assert response.status_code == 503
    page = _page(response)
    assert BUSY_MESSAGE in page
    assert "Spara remissen" not in page
    assert _count(app, AuditEvent) == reads
    assert client.get("/cases/new").status_code == 200


def test_the_busy_message_has_its_english_translation() -> None:
    assert EN[storage_errors.DATABASE_BUSY].startswith("The laptop had no time to save")


def test_a_page_whose_read_the_disk_refuses_to_log_is_not_shown(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    """The read's own refused row does not count as a refused submit being drawn again."""
    reads = _count(app, AuditEvent)
    with refusing_writes(app, READ_ONLY):
        response = client.get("/cases/new")
    assert response.status_code == 503
    page = _page(response)
    assert MESSAGE in page
    assert "Spara remissen" not in page
    assert _count(app, AuditEvent) == reads


class _PostgresError(Exception):
    """What psycopg raises, as far as telling errors apart goes: its SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "busy"),
    [("55P03", True), ("40P01", True), ("40001", True), ("53100", False), ("23505", False)],
)
def test_postgresqls_lock_deadlock_and_serialization_failures_are_told_as_busy(
    sqlstate: str, busy: bool
) -> None:
    """Each rolled the whole transaction back, and nothing here retries it: send it again."""
    error = OperationalError("UPDATE", {}, _PostgresError(sqlstate))
    assert storage_errors.is_database_busy(error) is busy
    assert storage_errors.is_storage_failure(error) is (busy or sqlstate == "53100")


def test_a_final_export_meeting_a_busy_database_is_told_as_busy() -> None:
    """The incident's close names why its export failed in the admin's words."""
    assert failure_reason(storage_errors.DatabaseBusy()) == "busy"
