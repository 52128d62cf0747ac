"""A drill's image transfer is marked as the drill's on its page and in the list, as the drill's
cases are: beside a real outage's transfers, it must not be sent on as a real patient's."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from .factories import declare_incident, exam_data, referral_data
from .routines_support import transfer_data


def _drill_transfer(client: FlaskClient, auth) -> str:
    """A transfer opened in a drill, then a real outage declared beside it; the transfer's URL."""
    auth.login("radiographer")
    declare_incident(client, "image_transfer", drill=True)
    response = client.post("/routines/transfers/new", data=transfer_data())
    assert response.status_code == 302
    declare_incident(client, "image_transfer")
    return response.headers["Location"]


def test_a_drill_transfers_page_says_it_is_a_drill(app: Flask, client: FlaskClient, auth) -> None:
    page = client.get(_drill_transfer(client, auth)).get_data(as_text=True)
    assert "drill-banner" in page
    assert "ÖVNING" in page


def test_the_transfer_list_marks_a_drill_transfer(app: Flask, client: FlaskClient, auth) -> None:
    _drill_transfer(client, auth)
    client.post("/routines/transfers/new", data=transfer_data(patient_ref="19800101-0027"))
    page = client.get("/routines/transfers").get_data(as_text=True)
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    drill = [r for r in rows if "19121212-1212" in r]
    real = [r for r in rows if "19800101-0027" in r]
    assert len(drill) == 1 and len(real) == 1
    assert "Övning" in drill[0]
    assert "Övning" not in real[0]


def test_a_drill_cases_release_page_says_it_is_a_drill(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    declare_incident(client, "image_transfer", drill=True)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    case_id = int(location.rsplit("/", 1)[-1])
    page = client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True)
    assert "drill-banner" in page
