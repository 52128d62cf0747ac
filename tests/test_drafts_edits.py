"""Drafts of edits to saved records: kept per record, offered again, never silently newest."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Draft, Referral

from .catchup_support import close_incident, incident_ended, reconcile_world
from .catchup_world_support import world as world  # the fixture
from .factories import (
    exam_data,
    hidden_value,
    referral_data,
    report_data,
    unidentified_referral_data,
)
from .test_cases_referral import incident as incident  # the fixture

EDIT_KEY = "edit-" + "e" * 20
OTHER_KEY = "edit-" + "o" * 20


def new_case(client: FlaskClient) -> str:
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _edit_draft(client: FlaskClient, case_url: str, key: str = EDIT_KEY, **typed: str):
    """What static/js/drafts.js sends from the referral edit form, as the page drew it."""
    page = client.get(case_url + "/referral").get_data(as_text=True)
    data = {
        **referral_data(),
        "form_key": key,
        "version": hidden_value(page, "version"),
        "case_version": hidden_value(page, "case_version"),
        **typed,
    }
    case_id = int(case_url.rsplit("/", 1)[-1])
    return client.put(
        f"/api/drafts/{key}",
        json={"kind": "referral_edit", "seq": 1, "case_id": str(case_id), "data": data},
    )


def test_referral_edit_form_autosaves_under_its_case(client: FlaskClient, incident: int) -> None:
    location = new_case(client)
    page = client.get(location + "/referral").get_data(as_text=True)
    assert 'data-draft-kind="referral_edit"' in page
    assert f'data-case-id="{location.rsplit("/", 1)[-1]}"' in page
    response = _edit_draft(client, location, history="Waran. Nu även kräkningar.")
    assert response.status_code == 200
    assert response.get_json()["state"] == "created"


def test_referral_edit_draft_is_offered_when_the_form_is_opened_again(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = new_case(client)
    _edit_draft(client, location, history="Waran. Nu även kräkningar.")
    other_tablet = app.test_client()
    other_tablet.post("/login", data={"username": "test-radiographer", "secret": "482915"})
    page = other_tablet.get(location + "/referral").get_data(as_text=True)
    assert "Osparad ändring från" in page
    assert f"draft={EDIT_KEY}" in page
    # Offered, not filled in: the form shows what is saved until the user picks Fortsätt.
    assert "Nu även kräkningar." not in page
    continued = other_tablet.get(location + f"/referral?draft={EDIT_KEY}").get_data(as_text=True)
    assert "Nu även kräkningar." in continued
    assert hidden_value(continued, "form_key") == EDIT_KEY
    assert "Osparad ändring från" not in continued


def test_saving_a_continued_edit_finishes_its_draft(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = new_case(client)
    _edit_draft(client, location, history="Waran. Nu även kräkningar.")
    page = client.get(location + f"/referral?draft={EDIT_KEY}").get_data(as_text=True)
    form = {
        **referral_data(),
        "form_key": EDIT_KEY,
        "version": hidden_value(page, "version"),
        "case_version": hidden_value(page, "case_version"),
        "history": "Waran. Nu även kräkningar.",
    }
    saved = client.post(location + "/referral", data=form, follow_redirects=True)
    assert f'data-saved-form="{EDIT_KEY}"' in saved.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Draft)).is_done
        assert db.session.scalar(select(Referral)).history == "Waran. Nu även kräkningar."
    assert "Osparad ändring från" not in client.get(location + "/referral").get_data(as_text=True)


def test_an_edit_draft_older_than_the_saved_referral_is_refused_not_applied(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = new_case(client)
    _edit_draft(client, location, history="Waran. Nu även kräkningar.")
    # Meanwhile another tablet saves the referral.
    page = client.get(location + "/referral").get_data(as_text=True)
    other = {
        **referral_data(),
        "form_key": OTHER_KEY,
        "version": hidden_value(page, "version"),
        "case_version": hidden_value(page, "case_version"),
        "reply_fax": "0999-111 11",
    }
    assert client.post(location + "/referral", data=other).status_code == 302
    continued = client.get(location + f"/referral?draft={EDIT_KEY}").get_data(as_text=True)
    assert "Nu även kräkningar." in continued
    stale = {
        **referral_data(),
        "form_key": EDIT_KEY,
        "version": hidden_value(continued, "version"),
        "case_version": hidden_value(continued, "case_version"),
        "history": "Waran. Nu även kräkningar.",
    }
    response = client.post(location + "/referral", data=stale)
    assert response.status_code == 409
    assert "0999-111 11" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Referral)).reply_fax == "0999-111 11"


def test_discarding_an_offered_edit_draft_returns_to_the_form(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = new_case(client)
    _edit_draft(client, location, history="Waran. Nu även kräkningar.")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id))
    path = location.removeprefix("http://localhost") + "/referral"
    response = client.post(f"/drafts/{draft_id}/discard", data={"next": path})
    assert response.headers["Location"].endswith(path)
    assert "Osparad ändring från" not in client.get(path).get_data(as_text=True)


def test_discard_never_redirects_off_the_laptop(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = new_case(client)
    _edit_draft(client, location)
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id))
    response = client.post(f"/drafts/{draft_id}/discard", data={"next": "//evil.example/x"})
    assert response.headers["Location"].endswith("/drafts")


def _report_draft(client: FlaskClient, case_id: int, key: str, version: str, text: str):
    data = {
        "form_key": key,
        "version": version,
        "sections-0-heading": "Fynd",
        "sections-0-text": text,
        "sections-1-heading": "Bedömning",
        "sections-1-text": "",
    }
    return client.put(
        f"/api/drafts/{key}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": data},
    )


def test_a_report_draft_older_than_the_signed_report_is_superseded_and_lets_the_incident_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]  # preliminarily signed
    auth.logout()
    auth.login("radiologist")
    page = client.get(f"/reporting/{second}").get_data(as_text=True)
    shown = hidden_value(page, "version")
    # One tablet leaves its text as a draft; on another, the report is signed definitively.
    assert _report_draft(client, second, OTHER_KEY, shown, "Tveksam fraktur.").status_code == 200
    signed = report_data(key=EDIT_KEY, findings="Ingen fraktur.", version=shown)
    assert client.post(f"/reporting/{second}", data=signed).status_code == 302
    listed = client.get("/drafts").get_data(as_text=True)
    assert "Ersatt av en senare sparad version" in listed
    # The editor is gone (signed definitively), but the superseded text can still be read.
    continued = client.get(f"/reporting/{second}?draft={OTHER_KEY}").get_data(as_text=True)
    assert "Tveksam fraktur." in continued
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    # Nothing is lost: the superseded text is still on the laptop.
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == OTHER_KEY))
        assert draft.data["sections-0-text"] == "Tveksam fraktur."


def test_a_report_draft_on_the_current_version_still_keeps_the_incident_open(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]
    auth.logout()
    auth.login("radiologist")
    shown = hidden_value(client.get(f"/reporting/{second}").get_data(as_text=True), "version")
    _report_draft(client, second, OTHER_KEY, shown, "Tveksam fraktur.")
    reconcile_world(client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert "inte skickats" in page
    assert not incident_ended(app, world["incident_id"])


def test_exam_draft_is_offered_when_the_exam_form_is_opened_again(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login()
    page = client.get(f"/cases/{case_id}/exam").get_data(as_text=True)
    data = {**exam_data(), "form_key": EDIT_KEY, "version": hidden_value(page, "version")}
    data["notes"] = "Patienten kräktes efter kontrast."
    client.put(
        f"/api/drafts/{EDIT_KEY}",
        json={"kind": "exam", "seq": 1, "case_id": str(case_id), "data": data},
    )
    reopened = client.get(f"/cases/{case_id}/exam").get_data(as_text=True)
    assert "Osparad ändring från" in reopened
    assert f"/cases/{case_id}/exam?draft={EDIT_KEY}" in reopened


def test_report_draft_is_offered_when_the_report_screen_is_opened_again(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _report_draft(client, case_id, EDIT_KEY, "", "Misstänkt blödning.")
    reopened = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Osparad ändring från" in reopened
    assert f"/reporting/{case_id}?draft={EDIT_KEY}" in reopened
    assert "Misstänkt blödning." not in reopened


def _identity(page: str, number: str, reason: str) -> dict[str, str]:
    return {
        "id_mode": "pnr",
        "personal_number": number,
        "patient_name": "Okänd Man",
        "reason": reason,
        "case_version": hidden_value(page, "case_version"),
        "form_key": hidden_value(page, "form_key"),
    }


def test_identity_correction_from_a_stale_screen_is_refused_not_applied(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    first_tablet = client.get(location + "/identity").get_data(as_text=True)
    second_tablet = client.get(location + "/identity").get_data(as_text=True)
    saved = client.post(
        location + "/identity", data=_identity(first_tablet, "191212121212", "Anhörig")
    )
    assert saved.status_code == 302
    stale = client.post(
        location + "/identity", data=_identity(second_tablet, "198001010027", "Legitimation")
    )
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Någon annan har ändrat ärendet" in page
    assert "198001010027" in page or "19800101-0027" in page  # the input kept
    with app.app_context():
        assert db.session.scalar(select(Case)).patient_id == "191212121212"


def test_identity_correction_autosaves_and_is_offered_again(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    page = client.get(location + "/identity").get_data(as_text=True)
    assert 'data-draft-kind="identity"' in page
    key = hidden_value(page, "form_key")
    case_id = int(location.rsplit("/", 1)[-1])
    typed = {**_identity(page, "191212121212", "Identifierad av anhörig"), "form_key": key}
    response = client.put(
        f"/api/drafts/{key}",
        json={"kind": "identity", "seq": 1, "case_id": str(case_id), "data": typed},
    )
    assert response.status_code == 200
    reopened = client.get(location + "/identity").get_data(as_text=True)
    assert "Osparad ändring från" in reopened
    continued = client.get(location + f"/identity?draft={key}").get_data(as_text=True)
    assert "Identifierad av anhörig" in continued
    client.post(location + "/identity", data={**typed})
    with app.app_context():
        assert db.session.scalar(select(Case)).patient_id == "191212121212"
        assert db.session.scalar(select(Draft)).is_done
