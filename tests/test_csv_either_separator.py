"""Every CSV the app writes runs no formula in Excel, whichever separator Excel splits it on.

Swedish Excel splits on ';'; an English-locale Excel splits the same file on ',', so a comma
inside a cell starts a cell of its own there.
"""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.audit import log_event
from webapp.catchup.export_csv import to_csv
from webapp.csvutil import excel_safe
from webapp.extensions import db
from webapp.models import Case, User
from webapp.storage import write_transaction

from .export_cases import case, patient, referral
from .factories import referral_data
from .test_access_wall import login

STARTERS = ("=", "+", "-", "@", "\t", "\r")
NAME = 'Smith,=HYPERLINK("http://evil")'
# Each a way a formula could follow a comma or a line break inside a cell's text.
HOSTILE = (
    NAME,
    "Blödning?,+SUM(A1:A9)",
    'Fall,"=cmd|calc"',
    "Waran.\n=1+1",
    "Ont,@SUM(1)",
    "Ont,\t=1",
    "Ont,-1+1",
)


def unsafe_cells(data: bytes) -> list[tuple[str, str]]:
    """Cells that start like a formula, read with either separator (the guard is "'")."""
    text = data.decode("utf-8-sig")
    return [
        (delimiter, cell)
        for delimiter in (";", ",")
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cell in row
        if cell.startswith(STARTERS)
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_keeps_no_formula_after_a_comma_or_line_break(text: str) -> None:
    line = io.StringIO()
    csv.writer(line, delimiter=";", lineterminator="\r\n").writerow(["a", excel_safe(text), "b"])
    assert unsafe_cells(line.getvalue().encode("utf-8")) == []


def test_a_safe_cell_reads_back_as_typed_with_semicolons() -> None:
    # The guard is the apostrophe Excel hides; ordinary text with commas is left alone.
    assert excel_safe("Dr Björk, Akutmottagningen") == "Dr Björk, Akutmottagningen"
    assert excel_safe("Omnipaque 350, intravenöst") == "Omnipaque 350, intravenöst"
    assert excel_safe(NAME) == 'Smith,\'=HYPERLINK("http://evil")'


def test_the_batch_file_is_safe_split_on_either_separator() -> None:
    # The same writer makes the batch download, its download again, the closing's final batch
    # and the command line's export-batch.
    hostile = case(
        patient=patient(name=NAME),
        referral=referral(clinical_question=HOSTILE[1], history=HOSTILE[3]),
    )
    assert unsafe_cells(to_csv([hostile])) == []


def test_the_batch_download_is_safe_split_on_either_separator(app: Flask) -> None:
    client = app.test_client()
    login(client, app, "radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    made = client.post(
        "/cases/new",
        data=referral_data(patient_name=NAME, clinical_question=HOSTILE[2], history=HOSTILE[3]),
    )
    assert made.status_code == 302, made.get_data(as_text=True)
    with app.app_context():
        incident_id = db.session.scalar(select(Case.incident_id))
    client.post("/logout")
    login(client, app, "secretary")
    response = client.get(f"/catchup/incidents/{incident_id}/export/csv")
    assert response.status_code == 200
    assert NAME.split(",")[0] in response.get_data().decode("utf-8")
    assert unsafe_cells(response.get_data()) == []


def test_the_access_log_download_is_safe_split_on_either_separator(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "test-admin"))
        with write_transaction():
            for text in HOSTILE:
                log_event("transfer_view", user=admin, patient_ref=text[:40], detail=text)
    response = client.get("/admin/audit.csv")
    assert response.status_code == 200
    assert "HYPERLINK" in response.get_data().decode("utf-8")
    assert unsafe_cells(response.get_data()) == []
