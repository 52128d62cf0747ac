"""An export that tells of a case moved out of its incident names that case's patient (code,
number, RIS numbers): the access log finds that export in the patient's and the case's extract.

The export's row names its incident and no case; a case is found in such a row only while it
was in the incident. A case moved out is no longer, yet each later export of the incident names
it for RIS to withdraw: a read of its patient's data the extract must hold (principle 6).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExportBatch

from .factories import case_code, declare_incident, number_of, referral_data
from .test_cases_moved_after_export import _export, _move

MOVED_PATIENT = "Mona Flyttad"


def _export_rows(client: FlaskClient, query: str) -> list[dict[str, str]]:
    """The access log's export rows an admin's extract holds for the query."""
    response = client.get(f"/admin/audit.csv?{query}")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";")
    return [row for row in rows if row["händelse"] == "export"]


def _then_exported_twice(app: Flask, client: FlaskClient, auth: Any) -> str:
    """A case of its own patient exported, moved into a drill, then told of by a new export
    and a download again of the first; returns its code."""
    auth.login("radiographer")
    real = declare_incident(client, "om_ris")
    made = client.post("/cases/new", data=referral_data(patient_name=MOVED_PATIENT))
    moved = int(made.headers["Location"].rsplit("/", 1)[-1])
    client.post("/cases/new", data=referral_data(key_suffix="kvar"))
    drill = declare_incident(client, drill=True)
    auth.logout()
    auth.login("secretary")
    assert _export(client, real, "csv").status_code == 200
    _move(client, moved, drill)
    code = case_code(app, moved)
    # A whole batch and a download again of the first export: each names the moved case.
    assert code in _export(client, real, "csv").get_data(as_text=True)
    with app.app_context():
        first = db.session.scalars(select(ExportBatch.id).order_by(ExportBatch.id)).first()
    assert code in client.get(f"/catchup/incidents/{real}/exports/{first}").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    return code


def test_exports_naming_a_moved_out_case_are_in_its_case_extract(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    code = _then_exported_twice(app, client, auth)
    # The first export (case still in the incident), the whole batch and the download again.
    assert len(_export_rows(client, f"case_code={code}")) == 3


def test_exports_naming_a_moved_out_case_are_in_its_patients_extract(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _then_exported_twice(app, client, auth)
    assert len(_export_rows(client, f"patient={number_of(MOVED_PATIENT)}")) == 3
