"""The access log's patient search finds a number in any capitals, on SQLite as on PostgreSQL:
a reserve number typed in small letters on a transfer is the same patient's."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from .routines_support import transfer_data


def _patients_found(client: FlaskClient, typed: str) -> list[tuple[str, str]]:
    response = client.get("/admin/audit.csv", query_string={"patient": typed})
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data().decode("utf-8")[1:]), delimiter=";")
    return [(r["händelse"], r["patient"]) for r in rows]


@pytest.fixture
def caseless_transfer(client: FlaskClient, auth) -> FlaskClient:
    """A transfer with no case, its reserve number typed in small letters (kept as typed)."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    response = client.post(
        "/routines/transfers/new",
        data=transfer_data(patient_ref="res-2026-0412", patient_name=""),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    return client


@pytest.mark.parametrize("typed", ["RES-2026-0412", "res-2026-0412", "Res 2026 0412"])
def test_a_reserve_number_typed_in_small_letters_is_found_in_any_capitals(
    caseless_transfer: FlaskClient, typed: str
) -> None:
    found = _patients_found(caseless_transfer, typed)
    assert ("transfer_create", "res-2026-0412") in found


def test_part_of_a_reserve_number_in_other_capitals_finds_it(
    caseless_transfer: FlaskClient,
) -> None:
    found = _patients_found(caseless_transfer, "RES-2026")
    assert ("transfer_create", "res-2026-0412") in found


def test_a_log_look_that_listed_the_number_in_small_letters_is_found(
    caseless_transfer: FlaskClient,
) -> None:
    # The admin's look at the log lists the transfer's patient as typed, in its own detail.
    caseless_transfer.get("/admin/audit?action=transfer_create")
    found = _patients_found(caseless_transfer, "RES-2026-0412")
    assert ("audit_view", "") in found


@pytest.mark.parametrize("typed", ["19121212-1212", "191212121212", "1912 1212 1212"])
def test_a_personnummer_is_found_with_or_without_its_dash(
    client: FlaskClient, auth, typed: str
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    response = client.post(
        "/routines/transfers/new", data=transfer_data(patient_ref="191212121212")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert "transfer_create" in {action for action, _ in _patients_found(client, typed)}
