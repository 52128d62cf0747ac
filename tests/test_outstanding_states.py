"""Nothing outstanding: every state a case can be in on its way to RIS shows where it is, and
the incident's close is refused with a task that names the case and links to it.

One case per test, in one state; the board shows its label, the batch page (where the admin
closes) lists it under "Kvar att göra" by code, patient name and number with a link, and the
close is refused until it is finished.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import (
    book,
    close_incident,
    fax_to_referrer,
    incident_ended,
    waive,
)
from .factories import (
    case_code,
    exam_data,
    identity_data,
    incident_of,
    referral_data,
    report_data,
    unidentified_referral_data,
)

NAME = "Örjan Älvström"
NUMBER = "19121212-1212"


def _case(client: FlaskClient, auth, **overrides: object) -> int:
    """A referral in a new incident; nobody logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(**overrides)
    location = client.post("/cases/new", data=data).headers["Location"]
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


def _exam(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/exam", data=exam_data()).status_code == 302
    auth.logout()


def _report(client: FlaskClient, auth, case_id: int, action: str) -> None:
    auth.login("radiologist")
    assert client.post(f"/reporting/{case_id}", data=report_data(action)).status_code == 302
    auth.logout()


def referral_only(client: FlaskClient, auth) -> int:
    return _case(client, auth)


def exam_documented(client: FlaskClient, auth) -> int:
    case_id = _case(client, auth)
    _exam(client, auth, case_id)
    return case_id


def report_draft(client: FlaskClient, auth) -> int:
    case_id = exam_documented(client, auth)
    _report(client, auth, case_id, "save")
    return case_id


def report_preliminary(client: FlaskClient, auth) -> int:
    case_id = exam_documented(client, auth)
    _report(client, auth, case_id, "preliminary")
    return case_id


def report_definitive_not_faxed(client: FlaskClient, auth) -> int:
    case_id = exam_documented(client, auth)
    _report(client, auth, case_id, "definitive")
    return case_id


def report_definitive_faxed(client: FlaskClient, auth) -> int:
    case_id = report_definitive_not_faxed(client, auth)
    auth.login("secretary")
    fax_to_referrer(client, case_id)
    auth.logout()
    return case_id


def booked_in_ris(client: FlaskClient, auth) -> int:
    case_id = report_definitive_faxed(client, auth)
    auth.login("secretary")
    assert book(client, case_id).status_code == 302
    auth.logout()
    return case_id


def waiver_pending(client: FlaskClient, auth) -> int:
    case_id = report_definitive_faxed(client, auth)
    waive(client, auth, case_id, "Inlagd direkt i RIS", confirmed=False)
    auth.logout()
    return case_id


def identity_corrected_after_fax(client: FlaskClient, auth) -> int:
    case_id = _case(client, auth, **unidentified_referral_data())
    _exam(client, auth, case_id)
    _report(client, auth, case_id, "definitive")
    auth.login("secretary")
    fax_to_referrer(client, case_id)
    auth.logout()
    auth.login("radiographer")
    data = identity_data(case_version=_case_version(client, case_id))
    assert client.post(f"/cases/{case_id}/identity", data=data).status_code == 302
    auth.logout()
    return case_id


def cancelled_then_restored(client: FlaskClient, auth) -> int:
    case_id = _case(client, auth)
    auth.login("radiographer")
    for action, reason in (("cancel", "Fel patient"), ("restore", "Rätt patient ändå")):
        data = {"reason": reason, "form_key": _form_key(client, case_id)}
        assert client.post(f"/cases/{case_id}/{action}", data=data).status_code == 302
    auth.logout()
    return case_id


def _form_key(client: FlaskClient, case_id: int) -> str:
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    found = re.search(r'name="form_key" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


def _case_version(client: FlaskClient, case_id: int) -> str:
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    found = re.search(r'name="case_version"[^>]*value="(\d+)"', page)
    return found.group(1) if found else "1"


# state: (how to reach it, the label the board shows on the case's row)
STATES: dict[str, tuple[Callable[[FlaskClient, object], int], str]] = {
    "referral only": (referral_only, "Remiss mottagen"),
    "exam documented": (exam_documented, "Undersökning klar"),
    "report draft": (report_draft, "Undersökning klar"),
    "report preliminary": (report_preliminary, "Preliminärt utlåtande"),
    "report definitive, not faxed": (report_definitive_not_faxed, "Svar ej faxat"),
    "report definitive, faxed": (report_definitive_faxed, "Definitivt utlåtande"),
    "booked in RIS, steps left": (booked_in_ris, "Definitivt utlåtande"),
    "waiver pending confirmation": (waiver_pending, "Undantag väntar på bekräftelse"),
    "identity corrected after the fax": (identity_corrected_after_fax, "Identitet rättad"),
    "cancelled, then restored": (cancelled_then_restored, "Remiss mottagen"),
}


def _board_row(client: FlaskClient, code: str) -> str:
    page = client.get("/board/").get_data(as_text=True)
    for row in page.split('<li class="board-row')[1:]:
        if f'<span class="b-code">{code}</span>' in row:
            return row.split("</li>", 1)[0]
    return ""


def _left_to_do(page: str) -> str:
    return page.split("Kvar att göra", 1)[1].split("Exportera", 1)[0]


@pytest.mark.parametrize("state", list(STATES))
def test_a_case_on_its_way_is_on_the_board_with_a_label_saying_where(
    app: Flask, client: FlaskClient, auth, state: str
) -> None:
    reach, label = STATES[state]
    case_id = reach(client, auth)
    auth.login("radiographer")
    row = _board_row(client, case_code(app, case_id))
    assert row, f"{state}: not on the board"
    assert label in row, row


@pytest.mark.parametrize("state", list(STATES))
def test_a_case_on_its_way_holds_the_close_named_and_linked(
    app: Flask, client: FlaskClient, auth, state: str
) -> None:
    reach, _label = STATES[state]
    case_id = reach(client, auth)
    incident_id = incident_of(app, case_id)
    page = close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    left = _left_to_do(page)
    code = case_code(app, case_id)
    # One entry of the list names the case by code, the patient by name and number, and links.
    entry = next((e for e in left.split("<li>") if code in e), "")
    assert NAME in entry and NUMBER in entry, entry
    assert re.search(rf'href="/(catchup/)?cases/{case_id}[#"]', entry), entry


def test_a_drill_beside_a_real_outage_closes_on_its_own_cases_only(
    app: Flask, client: FlaskClient, auth
) -> None:
    real_case = referral_only(client, auth)
    real = incident_of(app, real_case)
    auth.login("radiographer")
    drill_url = client.post("/incidents/new", data={"scenario": "integration", "is_drill": "y"})
    drill = int(drill_url.headers["Location"].rsplit("/", 1)[-1])
    auth.logout()
    assert drill != real
    # The real outage's case does not hold the drill, nor does the drill end the outage.
    close_incident(client, auth, drill)
    assert incident_ended(app, drill)
    page = close_incident(client, auth, real)
    assert not incident_ended(app, real)
    assert case_code(app, real_case) in _left_to_do(page)


@pytest.mark.parametrize("state", list(STATES))
def test_the_refused_close_names_the_patient_by_name_and_number(
    app: Flask, client: FlaskClient, auth, state: str
) -> None:
    # The list beside the refusal is where the admin goes on from: the same two identifiers
    # as the list of what is left, so a case with no name is still told by its patient.
    reach, _label = STATES[state]
    case_id = reach(client, auth)
    page = close_incident(client, auth, incident_of(app, case_id))
    named = page.split('id="close-error"', 1)[1].split("</div>", 1)[0]
    code = case_code(app, case_id)
    entry = next((e for e in named.split("<li>") if code in e), "")
    assert NAME in entry and NUMBER in entry, entry
