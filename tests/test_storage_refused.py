"""A disk that is full or read-only during a submit: a Swedish answer, the input kept, no 500.

SQLite is made to refuse writes for real, on every new connection of the app's engine:
`PRAGMA query_only` answers SQLITE_READONLY and `PRAGMA max_page_count` (after a VACUUM, so no
free page is left) answers SQLITE_FULL, as a full disk does. Root ignores a file's mode bits,
so a read-only chmod would prove nothing here.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, update

from webapp.extensions import db
from webapp.models import AuditEvent, Case, Draft, ExamRecord, Report, UserSession, utcnow

from .factories import exam_data, referral_data, report_data

pytestmark = pytest.mark.sqlite_only

MESSAGE = "Datorn kunde inte spara"
READ_ONLY = "read_only"
FULL = "full"


def _refuse(mode: str, dbapi_connection: Any) -> None:
    if mode == READ_ONLY:
        dbapi_connection.execute("PRAGMA query_only=1")
        return
    pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
    dbapi_connection.execute(f"PRAGMA max_page_count={pages}")


@contextmanager
def refusing_writes(app: Flask, mode: str) -> Iterator[None]:
    """Every connection opened inside refuses to write, as a full or read-only disk does."""
    with app.app_context():
        engine = db.engine
        if mode == FULL:
            # Outside SQLAlchemy's transaction: VACUUM cannot run inside one.
            raw = engine.raw_connection()
            try:
                raw.driver_connection.execute("VACUUM")
            finally:
                raw.close()

        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            _refuse(mode, dbapi_connection)

        event.listen(engine, "connect", on_connect)
        engine.dispose()
    try:
        yield
    finally:
        with app.app_context():
            event.remove(engine, "connect", on_connect)
            engine.dispose()


def _typed_for_a_minute(app: Flask) -> None:
    """The form was typed for a minute: the request first records the login's activity."""
    with app.app_context():
        db.session.execute(
            update(UserSession).values(last_seen_at=utcnow() - timedelta(seconds=60))
        )
        db.session.commit()


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def incident(client: FlaskClient, auth: Any) -> int:
    auth.login()
    response = client.post("/incidents/new", data={"scenario": "integration"})
    return int(response.headers["Location"].rsplit("/", 1)[-1])


@pytest.mark.parametrize("mode", [READ_ONLY, FULL])
def test_referral_refused_by_the_disk_is_kept_in_the_form_and_saved_once_it_is_back(
    app: Flask, client: FlaskClient, incident: int, mode: str
) -> None:
    # Longer than any free room in the last page: the full disk must really be met.
    data = referral_data(patient_name="Disa Fullsson", history="Waran. " * 1100)
    _typed_for_a_minute(app)
    with refusing_writes(app, mode):
        response = client.post("/cases/new", data=data)
    assert response.status_code == 503
    page = _page(response)
    assert MESSAGE in page
    assert 'value="Disa Fullsson"' in page
    assert "Blödning? Fall i hemmet." in page
    assert f'value="{data["form_key"]}"' in page  # the retry is the same submit
    # The tablet keeps its copy of the draft: only a page saying the form was saved drops it.
    assert f'data-saved-form="{data["form_key"]}"' not in page
    assert _count(app, Case) == 0

    response = client.post("/cases/new", data=data)
    assert response.status_code == 302
    assert _count(app, Case) == 1
    assert client.post("/cases/new", data=data).status_code == 302
    assert _count(app, Case) == 1


@pytest.mark.parametrize("mode", [READ_ONLY, FULL])
def test_exam_refused_by_the_disk_is_kept_in_the_form(
    app: Flask, client: FlaskClient, auth: Any, incident: int, mode: str
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    data = exam_data(radiographers="Kim Ström", notes="Orolig patient. " * 450)
    _typed_for_a_minute(app)
    with refusing_writes(app, mode):
        response = client.post(location + "/exam", data=data)
    assert response.status_code == 503
    page = _page(response)
    assert MESSAGE in page
    assert 'value="TMP-CT1-0042"' in page
    assert "Orolig patient." in page
    assert _count(app, ExamRecord) == 0

    assert client.post(location + "/exam", data=data).status_code == 302
    assert _count(app, ExamRecord) == 1


@pytest.mark.parametrize("mode", [READ_ONLY, FULL])
def test_report_refused_by_the_disk_is_kept_in_the_editor(
    app: Flask, client: FlaskClient, auth: Any, case_id: int, mode: str
) -> None:
    auth.login("radiologist")
    data = report_data("save", findings="Liten subduralblödning höger. " * 200)
    _typed_for_a_minute(app)
    with refusing_writes(app, mode):
        response = client.post(f"/reporting/{case_id}", data=data)
    assert response.status_code == 503
    page = _page(response)
    assert MESSAGE in page
    assert "Liten subduralblödning höger." in page
    assert _count(app, Report) == 0

    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    assert _count(app, Report) == 1


def test_draft_refused_by_the_disk_is_answered_as_try_again(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    """drafts.js keeps the text on the tablet and sends it again on a 5xx answer."""
    body = {"kind": "referral", "seq": 1, "label": "Disa", "data": {"patient_name": "Disa"}}
    with refusing_writes(app, READ_ONLY):
        response = client.put("/api/drafts/" + "d" * 22, json=body)
    assert response.status_code == 503
    assert response.get_json() == {"error": "storage_unavailable"}
    assert _count(app, Draft) == 0
    assert client.put("/api/drafts/" + "d" * 22, json=body).status_code == 200
    assert _count(app, Draft) == 1


def test_any_other_write_refused_by_the_disk_says_so_in_swedish(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login()
    events = _count(app, AuditEvent)
    with refusing_writes(app, READ_ONLY):
        response = client.post("/incidents/new", data={"scenario": "integration"})
    assert response.status_code == 503
    assert MESSAGE in _page(response)
    assert _count(app, AuditEvent) == events
