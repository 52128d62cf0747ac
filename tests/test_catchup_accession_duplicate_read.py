"""A duplicate RIS accession names the other case's patient on the catch-up page: that is a
read of that patient, logged under that case (principle 6), so their extract holds it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent

from .catchup_world_support import world as world  # the fixture, shared

SHOWN = "accession_duplicate_view"


def _last_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))


def _reads_since(app: Flask, after: int) -> list[tuple[str, int | None, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                AuditEvent.action, AuditEvent.case_id, AuditEvent.patient_ref, AuditEvent.detail
            ).where(AuditEvent.id > after, AuditEvent.action == SHOWN)
        )
        return [tuple(row) for row in rows]


def test_the_page_naming_a_duplicates_patient_logs_a_read_of_that_case(
    app: Flask, client: FlaskClient, world
) -> None:
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS 1000 0001"})
    saved = client.post(
        f"/catchup/cases/{second}/ris",
        data={"ris_accession": "exs10000001", "allow_duplicate": "y"},
    )
    assert saved.status_code == 302
    after = _last_id(app)
    page = client.get(f"/catchup/cases/{second}").get_data(as_text=True)
    assert "Örjan Älvström" in page and "19121212-1212" in page
    code = world["codes"][1]
    assert _reads_since(app, after) == [
        (SHOWN, first, "191212121212", f"visat som dubblett av accessionsnumret på ärende {code}")
    ]


def test_a_refused_duplicate_save_logs_a_read_of_the_case_it_names(
    app: Flask, client: FlaskClient, world
) -> None:
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS10000001"})
    after = _last_id(app)
    refused = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": "EXS10000001"})
    assert refused.status_code == 400
    assert "Örjan Älvström, 19121212-1212" in refused.get_data(as_text=True)
    reads = _reads_since(app, after)
    assert [(action, case_id) for action, case_id, _ref, _detail in reads] == [(SHOWN, first)]


def test_no_duplicate_logs_no_such_read(app: Flask, client: FlaskClient, world) -> None:
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS1"})
    client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": "EXS2"})
    after = _last_id(app)
    client.get(f"/catchup/cases/{second}")
    assert _reads_since(app, after) == []
