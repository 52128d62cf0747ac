"""Helpers for the routines tests: a case in a given report state, made through the app."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .factories import case_code, exam_data, referral_data, report_data


def report_form(action: str, key: str, version: str = "") -> dict[str, str]:
    """The report editor's form data; version is the report's version the screen showed."""
    return report_data(action, key, conclusion="Normalt fynd.", version=version)


def make_case(
    client: FlaskClient,
    auth,
    *,
    report: str = "",
    scenario: str = "external_reviewer",
    exam: bool = True,
) -> int:
    """Declare an incident, capture a referral and (unless told not to) the exam; sign a report
    when asked; log out."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": scenario})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    if exam:
        client.post(location + "/exam", data=exam_data())
    auth.logout()
    case_id = int(location.rsplit("/", 1)[-1])
    if report:
        auth.login("radiologist")
        client.post(f"/reporting/{case_id}", data=report_form("preliminary", "p" * 20))
        if report == "definitive":
            client.post(f"/reporting/{case_id}", data=report_form("definitive", "d" * 20, "1"))
        auth.logout()
    return case_id


def transfer_case(app: Flask, client: FlaskClient, auth) -> tuple[int, str]:
    """A case of an image-transfer outage, its id and code; a radiographer logged in to send
    its images."""
    case_id = make_case(client, auth, scenario="image_transfer")
    auth.login("radiographer")
    return case_id, case_code(app, case_id)


# The reviewer's text keyed in with the answer (by a radiologist or secretary): the copy to the
# referrer is printed from it.
ENTERED = {"state": "preliminary", "conclusion": "Ingen akut patologi."}


def receive_data(
    code: str, *, forwarded: bool = True, confirmed: bool = True, **extra: str
) -> dict[str, str]:
    """The form logging a reviewer's report faxed back for the case `code` (by default with
    the copy to the referrer logged as faxed too). confirmed: sent from the confirmation page,
    which showed the case's patient, its tick for a case never faxed to the reviewer ticked."""
    data = {"case_code": code, "received_at": "2026-01-15T11:40", "reviewer_name": "Dr Granskare"}
    if forwarded:
        data["forwarded"] = "y"
    if confirmed:
        data |= {"confirmed_code": code, "confirm_unfaxed": "y"}
    return data | extra


def receive_reviewer_report(
    client: FlaskClient,
    auth,
    code: str,
    *,
    role: str = "radiographer",
    forwarded: bool = True,
    **extra: str,
) -> None:
    """Log in as `role` and log the reviewer's report faxed back for the case `code`."""
    auth.login(role)
    response = client.post(
        "/routines/reviewer/receive", data=receive_data(code, forwarded=forwarded, **extra)
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def transfer_data(**overrides: str) -> dict[str, str]:
    """The form starting an image transfer: an acute head CT sent to the neighbouring hospital."""
    data = {
        "direction": "send",
        "counterpart": "grannby_us",
        "urgency": "akut",
        "exam_text": "DT hjärna",
        "patient_ref": "19121212-1212",
        "patient_name": "Tolvan Tolvansson",
    }
    return data | overrides


def release_data(**overrides: str) -> dict[str, str]:
    """The form releasing images to the patient: a CD picked up in person, no positive
    findings, the billing recorded."""
    data = {
        "recipient_kind": "patient",
        "channel": "media",
        "media_kind": "cd",
        "delivery": "pickup",
        "findings_positive": "no",
        "billing_recorded": "y",
    }
    return data | overrides


def released_to_the_patient(client: FlaskClient, auth) -> str:
    """A definitively reported case's images released on CD for the patient to pick up, by a
    secretary (still logged in); the release's address."""
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    response = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]
