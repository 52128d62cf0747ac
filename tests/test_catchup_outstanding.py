"""The batch page's list of what is left: most important first, two identifiers, what remains."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import book
from .catchup_world_support import world as world  # the fixture
from .factories import referral_data, report_data


def _rows(client: FlaskClient, incident_id: int) -> list[str]:
    page = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    section = page.split('class="outstanding"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", section, re.S)


def test_acute_cases_come_before_routine_ones_whatever_their_age(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    client.post(
        "/cases/new",
        data=referral_data(key_suffix="r", priority="rutin", patient_name="Rut Rutinsson"),
    )
    client.post("/cases/new", data=referral_data(key_suffix="a", patient_name="Ada Akutsson"))
    auth.logout()
    auth.login("secretary")
    rows = _rows(client, int(incident.rsplit("/", 1)[-1]))
    assert ["Ada Akutsson" in rows[0], "Rut Rutinsson" in rows[1]] == [True, True]


def test_each_row_names_the_patient_twice_and_says_what_is_left(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    book(client, case_id)
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "exam_completed", "is_done": "1"})
    first = next(r for r in _rows(client, world["incident_id"]) if world["codes"][0] in r)
    assert "Örjan Älvström" in first and "19121212-1212" in first
    assert "Bilderna matchade i PACS" in first and "Utlåtandet inlagt i RIS" in first
    assert "Bokad i RIS" not in first


def test_a_case_reopened_because_ris_went_stale_comes_first(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]  # both cases are acute; the second has a preliminary report
    book(client, second)
    client.post(
        f"/catchup/cases/{second}/steps",
        data={"step": "report_keyed", "is_done": "1", "confirm_preliminary": "y"},
    )
    auth.logout()
    auth.login("radiologist")
    signed = report_data("definitive", "z" * 20) | {"version": "1"}
    assert client.post(f"/reporting/{second}", data=signed).status_code == 302
    auth.logout()
    auth.login("secretary")
    rows = _rows(client, world["incident_id"])
    assert world["codes"][1] in rows[0] and world["codes"][0] in rows[1]
    assert "Utlåtandet signerades definitivt efter att det lagts in i RIS" in rows[0]
