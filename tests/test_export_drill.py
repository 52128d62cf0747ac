"""A drill's batch files say they are a drill: the secretaries' spreadsheet and every file name,
so no drill patient is keyed into the real RIS from a file that looks like an outage's."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from .factories import declare_incident, exam_data, referral_data


def _incident(client: FlaskClient, auth, *, drill: bool) -> int:
    auth.login("radiographer")
    data = {"scenario": "integration"} | ({"is_drill": "y"} if drill else {})
    location = client.post("/incidents/new", data=data).headers["Location"]
    case = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(case + "/exam", data=exam_data())
    auth.logout()
    auth.login("secretary")
    return int(location.rsplit("/", 1)[-1])


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("drill", [True, False])
def test_csv_rows_say_whether_the_case_is_a_drill(client: FlaskClient, auth, drill: bool) -> None:
    incident_id = _incident(client, auth, drill=drill)
    rows = _csv_rows(client.get(f"/catchup/incidents/{incident_id}/export/csv").data)
    assert [r["övning"] for r in rows] == ["ÖVNING" if drill else ""]


@pytest.mark.parametrize("drill", [True, False])
def test_the_drill_column_comes_after_the_older_columns_so_none_of_them_moves(
    client: FlaskClient, auth, drill: bool
) -> None:
    incident_id = _incident(client, auth, drill=drill)
    data = client.get(f"/catchup/incidents/{incident_id}/export/csv").data.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
    # An importer reads by position: the columns of an outage's file keep their places, and
    # only the columns added since (the referral's safety answers, then the waiver's
    # confirmation, the radiologist's instruction, infection and mobility, then the contrast's
    # batch and the weight, then where the report's images were read and their second look, then
    # an unidentified patient's approximate age and the exam's notes)
    # come after the drill's.
    assert header[:4] == ["ärendekod", "status", "patient namn", "personnummer/reservnummer"]
    at = header.index("övning")
    assert header[at - 1] == "avstämd" and header[at + 1] == "kontrast planerad"
    assert header[-19:] == [
        "vilket implantat",
        "undantag väntar på bekräftelse",
        "undantag bekräftat av",
        "undantag bekräftat tid",
        "radiologens instruktion",
        "instruktion skriven av",
        "instruktion skriven",
        "smitta/isolering",
        "vilken smitta",
        "förflyttning",
        "batchnummer kontrastmedel",
        "patientens vikt (kg)",
        "granskad på",
        "eftergranskad i PACS",
        "eftergranskad av",
        "eftergranskning resultat",
        "ungefärlig ålder (år)",
        "anteckningar undersökning",
        "remissanteckningar utlämnande",
    ]
    assert rows and all(len(row) == len(header) for row in rows)
    assert [row[at] for row in rows] == ["ÖVNING" if drill else ""] * len(rows)


@pytest.mark.parametrize("fmt", ["csv", "json", "fhir", "pdf"])
def test_drill_file_name_says_drill(client: FlaskClient, auth, fmt: str) -> None:
    incident_id = _incident(client, auth, drill=True)
    response = client.get(f"/catchup/incidents/{incident_id}/export/{fmt}")
    assert response.status_code == 200
    assert "-ovning-" in response.headers["Content-Disposition"]


def test_real_outage_file_name_does_not_say_drill(client: FlaskClient, auth) -> None:
    incident_id = _incident(client, auth, drill=False)
    response = client.get(f"/catchup/incidents/{incident_id}/export/csv")
    assert "ovning" not in response.headers["Content-Disposition"]


def test_an_empty_batch_has_the_columns_of_any_other(client: FlaskClient, auth) -> None:
    # An importer checks the header (or reads by position) before it finds there are no rows.
    incident_id = _incident(client, auth, drill=False)
    full = client.get(f"/catchup/incidents/{incident_id}/export/csv").data.decode("utf-8-sig")
    auth.logout()
    auth.login("admin")
    empty_id = declare_incident(client, drill=True)  # beside the open outage
    empty = client.get(f"/catchup/incidents/{empty_id}/export/csv").data.decode("utf-8-sig")
    assert empty == full.split("\r\n", 1)[0] + "\r\n"
