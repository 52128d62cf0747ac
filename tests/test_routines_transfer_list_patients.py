"""The transfer list names the patient typed on a transfer with no case: the access log finds
that read by the patient, as it finds the transfer's own page."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from .factories import audit_events
from .routines_support import transfer_data


def _patient_extract(client: FlaskClient, patient: str) -> list[dict[str, str]]:
    text = client.get(f"/admin/audit.csv?patient={patient}").get_data().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_the_transfer_list_is_in_the_access_log_of_each_patient_it_names(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    for ref in ("19121212-1212", "19800101-0027"):
        assert (
            client.post("/routines/transfers/new", data=transfer_data(patient_ref=ref)).status_code
            == 302
        )
    page = client.get("/routines/transfers").get_data(as_text=True)
    assert "19121212-1212" in page and "19800101-0027" in page
    auth.logout()
    auth.login("admin")
    for patient in ("19121212-1212", "19800101-0027"):
        reads = [
            r for r in _patient_extract(client, patient) if r["händelse"] == "transfer_list_view"
        ]
        assert [r["användare"] for r in reads] == ["test-radiographer"], patient


def test_a_transfer_list_read_is_not_in_the_log_of_a_patient_it_did_not_show(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/routines/transfers/new", data=transfer_data(patient_ref="19121212-1212"))
    client.get("/routines/transfers")
    auth.logout()
    auth.login("admin")
    assert not [
        r
        for r in _patient_extract(client, "19800101-0027")
        if r["händelse"] == "transfer_list_view"
    ]
    assert audit_events(app, "transfer_list_view")
