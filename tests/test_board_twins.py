"""Twins on the board and the worklist: one birth date, one surname, so one set of initials and
one masked number; each row must still tell who it is beside its case code."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from .factories import exam_data, referral_data

AXEL, ANNA = ("Axel Andersson", "20200315-1236"), ("Anna Andersson", "20200315-1244")
# Two patients of one name and birth date, not twins: only their numbers differ.
ANNA_TOO = ("Anna Andersson", "20200315-2341")
PATIENT_CELL = re.compile(
    r'<span class="b-patient">(.*?)</span></span>|<span class="b-patient">([^<]*)</span>'
)


def _patient_cells(page: str) -> list[str]:
    return [a or b for a, b in PATIENT_CELL.findall(page)]


def _register(client: FlaskClient, suffix: str, name: str, number: str) -> str:
    data = referral_data(
        key_suffix=suffix, patient_name=name, personal_number=number, pregnancy="no"
    )
    data |= {"namesake_confirmed": "y"}
    response = client.post("/cases/new", data=data)
    if response.status_code == 400:  # the same name asked about: confirmed for what was shown
        shown_for = re.search(
            r'name="namesake_confirmed_for"[^>]*value="([^"]*)"', response.get_data(as_text=True)
        )
        data["namesake_confirmed_for"] = shown_for.group(1)  # type: ignore[union-attr]
        response = client.post("/cases/new", data=data)
    assert response.status_code == 302, response.status_code
    location = response.headers["Location"]
    assert client.post(location + "/exam", data=exam_data(key_suffix=suffix)).status_code == 302
    return location


@pytest.mark.parametrize("second", [ANNA, ANNA_TOO], ids=["twins", "same name"])
@pytest.mark.parametrize("page", ["/board/", "/reporting/"])
def test_two_patients_of_one_birth_date_and_initials_are_shown_apart(
    client: FlaskClient, auth, page: str, second: tuple[str, str]
) -> None:
    auth.login("radiologist")
    client.post("/incidents/new", data={"scenario": "integration"})
    _register(client, "a", *AXEL if second is ANNA else ANNA)
    _register(client, "b", *second)
    cells = _patient_cells(client.get(page).get_data(as_text=True))
    assert len(cells) == 2
    assert cells[0] != cells[1], cells


def test_patients_told_apart_by_their_initials_keep_them_only(client: FlaskClient, auth) -> None:
    auth.login("radiologist")
    client.post("/incidents/new", data={"scenario": "integration"})
    _register(client, "a", *AXEL)
    _register(client, "b", "Bo Berg", "19800101-0027")
    page = client.get("/board/").get_data(as_text=True)
    assert "Axel" not in page and "1236" not in page
