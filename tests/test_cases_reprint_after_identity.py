"""A red-tray sheet printed before the patient's identity was corrected names the patient as
they were (a reserve number, a misspelt name): the case page says so until it is printed again,
not only the scan station at the catch-up, after the paper was worked from."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import identity_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

NOTICE = "identitet rättades efter att de här papperen skrevs ut"


def _unidentified(client: FlaskClient) -> str:
    response = client.post("/cases/new", data=unidentified_referral_data())
    assert response.status_code == 302
    return response.headers["Location"]


def _print(client: FlaskClient, case: str, kind: str) -> None:
    case_id = case.rsplit("/", 1)[-1]
    assert client.get(f"/print/cases/{case_id}/{kind}.pdf").status_code == 200


def _notice(page: str) -> str:
    assert NOTICE in page
    return page.split(NOTICE, 1)[0].rsplit("<p", 1)[1] + page.split(NOTICE, 1)[1].split("</p>")[0]


def test_a_sheet_printed_before_the_correction_is_named_for_reprinting(
    client: FlaskClient, incident: int
) -> None:
    case = _unidentified(client)
    _print(client, case, "referral")
    _print(client, case, "cover")
    assert client.post(case + "/identity", data=identity_data()).status_code == 302
    notice = _notice(client.get(case).get_data(as_text=True))
    assert "Remiss" in notice and "Försättsblad röd back" in notice
    assert "Dokumentation" not in notice  # never printed


def test_a_sheet_printed_again_since_is_no_longer_named(client: FlaskClient, incident: int) -> None:
    case = _unidentified(client)
    _print(client, case, "referral")
    _print(client, case, "cover")
    assert client.post(case + "/identity", data=identity_data()).status_code == 302
    _print(client, case, "referral")
    notice = _notice(client.get(case).get_data(as_text=True))
    assert "Försättsblad röd back" in notice and "Remiss" not in notice
    _print(client, case, "cover")
    assert NOTICE not in client.get(case).get_data(as_text=True)


def test_sheets_printed_only_after_the_correction_are_not_named(
    client: FlaskClient, incident: int
) -> None:
    case = _unidentified(client)
    assert client.post(case + "/identity", data=identity_data()).status_code == 302
    _print(client, case, "all")
    assert NOTICE not in client.get(case).get_data(as_text=True)


def test_the_red_tray_printed_at_once_is_named_sheet_by_sheet(
    client: FlaskClient, incident: int
) -> None:
    case = _unidentified(client)
    _print(client, case, "all")
    assert client.post(case + "/identity", data=identity_data()).status_code == 302
    notice = _notice(client.get(case).get_data(as_text=True))
    assert "Försättsblad röd back" in notice and "Remiss" in notice
    _print(client, case, "all")
    assert NOTICE not in client.get(case).get_data(as_text=True)
