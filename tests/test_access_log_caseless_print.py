"""A print that names one patient with no case (an image transfer's DVD label) is a look at that
patient alone: it is in their extract, not in the extract of every patient of its incident."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask.testing import FlaskClient

from .factories import declare_incident, referral_data
from .routines_support import transfer_data

OTHER = "198001010027"


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _extract(client: FlaskClient, auth: Any, patient: str) -> list[dict[str, str]]:
    auth.logout()
    auth.login("admin")
    response = client.get(f"/admin/audit.csv?patient={patient}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8")[1:]), delimiter=";"))


def _label_printed_beside_a_case(client: FlaskClient, auth: Any) -> None:
    """A case in an outage, and a transfer of another patient with no case, its label printed."""
    auth.login("radiographer")
    declare_incident(client)
    assert client.post("/cases/new", data=referral_data()).status_code == 302
    data = transfer_data(patient_ref="19800101-0027", patient_name="Åsa Öberg")
    url = client.post("/routines/transfers/new", data=data).headers["Location"]
    assert (
        client.post(url + "/attempts", data={"route": "dvd", "outcome": "pending"}).status_code
        == 302
    )
    assert client.get(url + "/label.pdf").status_code == 200


def test_a_caseless_transfers_label_is_not_in_another_patients_extract(
    client: FlaskClient, auth: Any
) -> None:
    _label_printed_beside_a_case(client, auth)
    rows = _extract(client, auth, "19121212-1212")
    assert [row for row in rows if _digits(row["patient"]) == OTHER] == []


def test_a_caseless_transfers_label_is_in_its_patients_extract(
    client: FlaskClient, auth: Any
) -> None:
    _label_printed_beside_a_case(client, auth)
    rows = _extract(client, auth, "19800101-0027")
    assert "print" in {row["händelse"] for row in rows}
