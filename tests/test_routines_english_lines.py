"""Patient lines built in code read in English on an English tablet (billing and transfers)."""

from __future__ import annotations

import re

import pytest
from flask import Flask, g
from flask.testing import FlaskClient

from webapp.cases.display import patient_summary
from webapp.models import Case

from .routines_support import make_case, release_data


def _cells(page: str, column: int) -> list[str]:
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)[1:]
    return [
        re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[column]) for r in rows
    ]


def test_the_billing_list_gives_the_patients_age_in_english(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    client.post("/language", data={"lang": "en"})
    (patient,) = _cells(client.get("/routines/releases/billing").get_data(as_text=True), 2)
    assert re.search(r"Male, \d+ years$", patient), patient


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Name unknown · R-4711 · Male, approx. 70 years"),
        ("sv", "Namn okänt · R-4711 · Man, ca 70 år"),
    ],
)
def test_an_unidentified_patients_line_is_in_the_tablets_language(
    app: Flask, lang: str, expected: str
) -> None:
    case = Case(
        patient_name="",
        patient_id_kind="reserve",
        patient_id="R-4711",
        patient_sex="M",
        patient_age_approx=70,
    )
    with app.test_request_context():
        g._language = lang
        assert patient_summary(case) == expected


def test_the_demos_incoming_transfer_without_identity_reads_in_english(
    demo: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/language", data={"lang": "en"})
    page = client.get("/routines/transfers?all=1").get_data(as_text=True)
    patients = _cells(page, 2)
    assert any(p.startswith("Name unknown") for p in patients), patients
    assert not any("känt" in p for p in patients), patients
