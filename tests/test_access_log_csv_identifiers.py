"""The access log's CSV keeps a patient's number and the tablet's address as written in Excel,
as the case exports keep their identifiers (csvutil.Identifier)."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.audit import log_event
from webapp.extensions import db
from webapp.models import User
from webapp.storage import write_transaction


def _log_row(app: Flask, client: FlaskClient, auth, patient: str, address: str) -> dict[str, str]:
    """The exported row of one event naming `patient`, made from `address`."""
    auth.login("admin")
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        admin = db.session.scalar(select(User).where(User.username == "test-admin"))
        with write_transaction():
            log_event("transfer_view", user=admin, patient_ref=patient)
    text = client.get("/admin/audit.csv?action=transfer_view").get_data().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == 1
    return rows[0]


def test_a_reserve_number_excel_reads_as_a_date_is_kept_as_written(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Unmarked, Excel stores reserve number "1-12" as the first of December.
    row = _log_row(app, client, auth, patient="1-12", address="127.0.0.1")
    assert row["patient"] == "'1-12"


def test_an_address_excel_reads_as_a_time_is_kept_as_written(
    app: Flask, client: FlaskClient, auth
) -> None:
    row = _log_row(app, client, auth, patient="19121212-1212", address="10:12")
    assert row["adress"] == "'10:12"
    assert row["patient"] == "19121212-1212"
