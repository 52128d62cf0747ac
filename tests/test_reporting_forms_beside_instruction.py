"""The priority form of the reporting screen and the identity correction, open while a
radiologist writes the instruction: neither shows the instruction, so it does not make them
stale; a real change of the case since (its priority, its patient) still does."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case

from .factories import hidden_value, identity_data, unidentified_referral_data
from .test_cases_referral import incident as incident  # the fixture

INSTRUCTION = "Gör DT buk med portovenös fas i stället."
PRIORITY_CHANGED = (
    "Någon annan har ändrat ärendet sedan du öppnade sidan. Prioriteten är inte ändrad"
)
IDENTITY_CHANGED = (
    "Någon annan har ändrat ärendet sedan du öppnade sidan. Identiteten är inte ändrad"
)


def _instruct(tablet: FlaskClient, case_id: int, text: str = INSTRUCTION) -> None:
    response = tablet.post(f"/reporting/{case_id}/protocol", data={"protocol": text})
    assert response.status_code == 302, response.get_data(as_text=True)


def _reprioritise(tablet: FlaskClient, case_id: int, priority: str, **extra: str):
    return tablet.post(
        f"/reporting/{case_id}/priority",
        data={"priority": priority, "reason": "Sjunkande Hb", **extra},
    )


def _case(app: Flask, case_id: int) -> Case:
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        db.session.expunge(case)
        return case


def _new_case(client: FlaskClient) -> tuple[str, int]:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    return location, int(location.rsplit("/", 1)[-1])


def test_a_priority_change_open_while_the_instruction_is_written_is_made(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    _location, case_id = _new_case(client)
    first = tablet_factory("rad-asa", role="radiologist")
    shown = hidden_value(first.get(f"/reporting/{case_id}").get_data(as_text=True), "case_version")
    radiologist = tablet_factory("rad-bo", role="radiologist")
    _instruct(radiologist, case_id)
    _instruct(radiologist, case_id, "Utan kontrast.")
    response = _reprioritise(first, case_id, "inom_timmar", case_version=shown)
    assert response.status_code == 302, response.get_data(as_text=True)
    case = _case(app, case_id)
    assert (case.priority, case.protocol) == ("inom_timmar", "Utan kontrast.")


def test_a_priority_change_open_while_the_instruction_and_the_priority_change_is_refused(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    _location, case_id = _new_case(client)
    first = tablet_factory("rad-asa", role="radiologist")
    shown = hidden_value(first.get(f"/reporting/{case_id}").get_data(as_text=True), "case_version")
    radiologist = tablet_factory("rad-bo", role="radiologist")
    _instruct(radiologist, case_id)
    assert _reprioritise(radiologist, case_id, "rutin").status_code == 302
    response = _reprioritise(first, case_id, "inom_timmar", case_version=shown)
    assert response.status_code == 400
    assert PRIORITY_CHANGED in response.get_data(as_text=True)
    assert _case(app, case_id).priority == "rutin"


def test_an_identity_correction_open_while_the_instruction_is_written_is_saved(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    location, case_id = _new_case(client)
    page = client.get(location + "/identity").get_data(as_text=True)
    shown = hidden_value(page, "case_version")
    _instruct(tablet_factory("rad-bo", role="radiologist"), case_id)
    data = identity_data(form_key=hidden_value(page, "form_key"), case_version=shown)
    response = client.post(location + "/identity", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    case = _case(app, case_id)
    assert (case.patient_id, case.protocol) == ("191212121212", INSTRUCTION)


def test_an_identity_correction_open_while_the_instruction_and_the_priority_change_is_refused(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    location, case_id = _new_case(client)
    page = client.get(location + "/identity").get_data(as_text=True)
    shown = hidden_value(page, "case_version")
    radiologist = tablet_factory("rad-bo", role="radiologist")
    _instruct(radiologist, case_id)
    assert _reprioritise(radiologist, case_id, "inom_timmar").status_code == 302
    data = identity_data(form_key=hidden_value(page, "form_key"), case_version=shown)
    response = client.post(location + "/identity", data=data)
    assert response.status_code == 409
    assert IDENTITY_CHANGED in response.get_data(as_text=True)
    assert _case(app, case_id).patient_id_kind == "reserve"


def test_an_identity_correction_open_while_another_correction_is_made_is_refused(
    app: Flask, client: FlaskClient, incident: int, tablet_factory
) -> None:
    location, case_id = _new_case(client)
    page = client.get(location + "/identity").get_data(as_text=True)
    shown = hidden_value(page, "case_version")
    other = tablet_factory("rsk-bo", role="radiographer")
    first = identity_data(form_key="o" * 24, case_version=shown, patient_name="Örjan Berg")
    assert other.post(location + "/identity", data=first).status_code == 302
    _instruct(tablet_factory("rad-bo", role="radiologist"), case_id)
    data = identity_data(form_key=hidden_value(page, "form_key"), case_version=shown)
    response = client.post(location + "/identity", data=data)
    assert response.status_code == 409
    assert _case(app, case_id).patient_name == "Örjan Berg"
