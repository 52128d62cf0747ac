"""The audit log's details name referral fields, roles, blanks and drafts' forms as staff see
them on the screens, not by their stored codes."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

from .catchup_support import close_incident, incident_ended
from .factories import audit_events, declare_incident, exam_data, hidden_value, referral_data

PIN = "583920"
DRAFT_KEY = "audit-names-" + "d" * 16
REFERRAL_DRAFT = {"personal_number": "19121212-1212", "patient_name": "Åsa Öberg"}


def test_a_referral_edit_is_audited_with_the_fields_as_the_form_labels_them(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    declare_incident(client)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    edit = referral_data(
        key_suffix="edit", version="1", case_version="1", clinical_question="Blödning?"
    )
    assert client.post(location + "/referral", data=edit).status_code == 302
    [event] = audit_events(app, "referral_change")
    assert event.detail == "Frågeställning"


def test_mr_answers_from_the_exam_form_are_audited_with_the_referral_forms_labels(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    declare_incident(client)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    mr = {"modality": "MR", "room": "MR 1", "exam_text": "MR hjärna", "exam_code": "MR-HJ"}
    data = exam_data(pacemaker="no", implants="yes", implants_note="Höftprotes vä", **mr)
    assert client.post(location + "/exam", data=data).status_code == 302
    [event] = audit_events(app, "referral_change")
    assert event.detail.startswith("MR-säkerhet vid undersökningen: ")
    assert "Pacemaker/ICD" in event.detail
    assert "pacemaker" not in event.detail and "implants" not in event.detail


def _new_user(client: FlaskClient, role: str) -> None:
    data = {"display_name": "Bo Berg", "username": "bo", "role": role, "kind": "pin"}
    assert client.post("/admin/users", data=data | {"secret": PIN}).status_code == 302


def test_a_new_user_is_audited_with_the_roles_name(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    _new_user(client, "radiographer")
    details = [e.detail for e in audit_events(app, "user_create")]
    assert details == ["test-admin (Administratör)", "bo (Röntgensjuksköterska)"]


def test_a_role_change_is_audited_with_the_roles_names(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(role="radiologist", username="anna", display_name="Anna")
    auth.login("admin")
    data = {"display_name": "Anna", "role": "secretary", "is_active": "y", "kind": "pin"}
    assert client.post(f"/admin/users/{anna.id}", data=data).status_code == 302
    [event] = audit_events(app, "user_change")
    assert event.detail == "anna: roll Radiolog→Sekreterare"


def test_users_made_from_a_list_are_audited_with_their_roles_names(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    staff = "Bo Lind;bo.lind;radiolog\n"
    preview = client.post("/admin/users/many", data={"staff": staff}).get_data(as_text=True)
    data = {"staff": staff} | {n: hidden_value(preview, n) for n in ("form_key", "plan")}
    assert client.post("/admin/users/many/create", data=data).status_code == 302
    details = [e.detail for e in audit_events(app, "user_create")]
    assert details[1:] == ["bo.lind (Radiolog)"]


def test_a_reserved_batch_is_audited_with_the_blanks_name(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    data = {"doc_kind": "BLD", "count": "2", "batch_label": "Pärm akuten"}
    assert client.post("/blanks/reserve", data=data).status_code == 302
    [event] = audit_events(app, "blank_reserve")
    assert event.detail.startswith("2 × Dokumentation: ")
    assert "BLD" not in event.detail


def _put(client: FlaskClient, seq: int, **extra: Any) -> None:
    body = {"kind": "referral", "seq": seq, "label": "Åsa Öberg", "data": REFERRAL_DRAFT}
    response = client.put(f"/api/drafts/{DRAFT_KEY}", json=body | extra)
    assert response.status_code == 200, response.get_data(as_text=True)


def _kind_named(detail: str) -> bool:
    return detail.startswith(("Remiss ", "Remiss:")) and "referral" not in detail


def test_a_drafts_delivery_continuation_read_and_discard_name_its_form(
    app: Flask, client: FlaskClient, auth, user_factory
) -> None:
    anna = user_factory(username="anna")
    auth.login("radiographer")
    declare_incident(client)
    _put(client, 1, typed_under=anna.id, continued_under=anna.id)
    auth.logout()
    bo = auth.login(username="bo")
    _put(client, 2, typed_under=anna.id, continued_under=bo.id)
    assert client.get(f"/api/drafts/{DRAFT_KEY}").status_code == 200
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id).where(Draft.form_key == DRAFT_KEY))
    # Thrown away by its writer: continuing a colleague's draft does not make it one's own.
    auth.logout()
    auth.login("radiographer")
    assert client.post(f"/drafts/{draft_id}/discard").status_code == 302
    for action in ("draft_delivered", "draft_continued", "draft_view", "draft_discard"):
        details = [e.detail for e in audit_events(app, action)]
        assert details and all(_kind_named(d) for d in details), (action, details)


def test_a_draft_after_the_end_names_its_form(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    close_incident(client, auth, incident_id)
    assert incident_ended(app, incident_id)
    auth.logout()
    auth.login("radiographer")
    _put(client, 1, incident_id=incident_id)
    [event] = audit_events(app, "draft_after_end")
    assert _kind_named(event.detail)
