"""After capture: versioned referral edits, identity corrections, cancelling, stale edits."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, RecordVersion, Referral

from .factories import (
    exam_data,
    hidden_value,
    identity_data,
    referral_data,
    unidentified_referral_data,
)
from .test_cases_referral import incident as incident  # the fixture


def test_edit_keeps_the_earlier_version(app: Flask, client: FlaskClient, incident: int) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    edit = referral_data(reply_fax="0999-555 55", key_suffix="x", version="1", case_version="1")
    assert client.post(location + "/referral", data=edit).status_code == 302
    with app.app_context():
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "referral"))
        assert version.data["reply_fax"] == "0999-123 46"
        assert version.changes["reply_fax"] == ["0999-123 46", "0999-555 55"]
        assert db.session.scalar(select(Referral)).version == 2
    page = client.get(location + "/history").get_data(as_text=True)
    assert "0999-123 46" in page and "0999-555 55" in page


def test_identity_correction_is_versioned_and_audited(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    data = unidentified_referral_data()
    location = client.post("/cases/new", data=data).headers["Location"]
    response = client.post(
        location + "/identity",
        data=identity_data(personal_number="191212121212"),
    )
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.patient_id == "191212121212"
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "case"))
        assert version.data["patient_id"] == "RES-0007"
        assert version.reason == "Identifierad av anhörig"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "identity_correct"))
        assert "RES-0007" in event.detail and "191212121212" in event.detail


def test_identity_correction_requires_a_reason(client: FlaskClient, incident: int) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    response = client.post(
        location + "/identity",
        data={
            "id_mode": "pnr",
            "personal_number": "191212121212",
            "patient_name": "X",
            "reason": "",
        },
    )
    assert "Ange varför identiteten ändras." in response.get_data(as_text=True)


def test_cancel_requires_a_reason_and_keeps_the_case(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(location + "/cancel", data={"reason": ""}).status_code == 400
    client.post(location + "/cancel", data={"reason": "Dubblett av faxad remiss"})
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.status == "cancelled"
        assert case.cancelled_reason == "Dubblett av faxad remiss"


def test_viewing_a_case_is_audited(app: Flask, client: FlaskClient, incident: int) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.get(location)
    with app.app_context():
        views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case_view")).all()
        assert len(views) == 1
        assert views[0].patient_ref == "191212121212"


def _edit(**overrides: object) -> dict[str, object]:
    """An edit of the referral as the edit page posts it, opened at the first versions."""
    return referral_data(key_suffix="edit", version="1", case_version="1", **overrides)


def test_referral_edit_page_shows_the_identity_read_only(
    client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    page = client.get(location + "/referral").get_data(as_text=True)
    assert 'name="personal_number"' not in page and 'name="patient_name"' not in page
    assert "19121212-1212" in page and "Örjan Älvström" in page
    assert f'href="{location}/identity"' in page


def test_referral_edit_cannot_change_the_identity(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    crafted = _edit(
        personal_number="19800101-0027", patient_name="Åsa Öberg", reply_fax="0999-555 55"
    )
    assert client.post(location + "/referral", data=crafted).status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.patient_id, case.patient_name) == ("191212121212", "Örjan Älvström")
        assert case.referral.reply_fax == "0999-555 55"
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "referral_change" in actions and "identity_correct" not in actions


def test_referral_edit_from_a_stale_screen_is_refused_and_keeps_the_input(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    first = _edit(reply_fax="0999-111 11")
    assert client.post(location + "/referral", data=first).status_code == 302
    # A second tablet, its screen opened before that save, changes another field.
    stale = {**_edit(history="Waran. Nu även huvudvärk."), "form_key": "b" * 20}
    response = client.post(location + "/referral", data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har ändrat remissen" in page
    assert "Nu även huvudvärk." in page  # what this user typed, kept
    assert "0999-111 11" in page  # what the other user saved, shown to merge
    with app.app_context():
        referral = db.session.scalar(select(Referral))
        assert (referral.reply_fax, referral.version) == ("0999-111 11", 2)
        assert referral.history == "Waran. Vaken men förvirrad."
    merged = {**stale, "reply_fax": "0999-111 11", "version": hidden_value(page, "version")}
    assert client.post(location + "/referral", data=merged).status_code == 302
    with app.app_context():
        referral = db.session.scalar(select(Referral))
        assert referral.reply_fax == "0999-111 11"
        assert referral.history == "Waran. Nu även huvudvärk."


def test_referral_edit_after_a_priority_change_is_refused(
    app: Flask, client: FlaskClient, auth, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("radiologist")
    client.post(
        f"/reporting/{case_id}/priority", data={"priority": "inom_timmar", "reason": "Stabil"}
    )
    response = client.post(location + "/referral", data=_edit(reply_fax="0999-555 55"))
    assert response.status_code == 409
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.priority == "inom_timmar"
        assert case.referral.reply_fax == "0999-123 46"


def test_double_tapped_referral_edit_replays_as_success(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    edit = _edit(reply_fax="0999-555 55")
    assert client.post(location + "/referral", data=edit).status_code == 302
    again = client.post(location + "/referral", data=edit, follow_redirects=True)
    assert "Ändringen var redan sparad" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Referral)).version == 2


def test_a_case_cancelled_by_mistake_is_restored_with_a_reason(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/cancel", data={"reason": "Fel ärende"})
    page = client.get(location).get_data(as_text=True)
    assert "Ångra makuleringen" in page
    # Without a reason nothing changes, and the reason field says why.
    refused = client.post(location + "/restore", data={"reason": ""})
    assert refused.status_code == 400
    assert "Ange varför makuleringen ångras." in refused.get_data(as_text=True)
    restored = client.post(location + "/restore", data={"reason": "Makulerade fel patient"})
    assert restored.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.status == "referral_received"
        assert case.cancelled_at is None and case.cancelled_reason == ""
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case_restore"))
        assert event.detail == "Makulerade fel patient"
        versions = db.session.scalars(
            select(RecordVersion).where(RecordVersion.entity == "case")
        ).all()
        assert [v.data["status"] for v in versions] == ["referral_received", "cancelled"]


def test_a_restored_case_with_its_exam_documented_is_back_at_exam_done(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    client.post(location + "/cancel", data={"reason": "Fel ärende"})
    client.post(location + "/restore", data={"reason": "Makulerade fel patient"})
    with app.app_context():
        assert db.session.scalar(select(Case.status)) == "exam_done"
    # On the board and the worklist again: the exam still waits for its report.
    assert "Makulerat" not in client.get(location).get_data(as_text=True)


def test_a_case_that_is_not_cancelled_is_not_restored(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/restore", data={"reason": "Av misstag"})
    with app.app_context():
        assert db.session.scalar(select(Case.status)) == "referral_received"
        assert (
            db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "case_restore"))
            is None
        )


def test_a_form_of_a_cancelled_case_says_so_before_anything_is_typed(
    client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/cancel", data={"reason": "Dubblett"})
    for edit in ("/exam", "/referral", "/identity"):
        page = client.get(location + edit).get_data(as_text=True)
        assert "Ärendet är makulerat. Ångra makuleringen" in page


def test_the_identity_of_a_cancelled_case_is_not_corrected(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    client.post(location + "/cancel", data={"reason": "Dubblett"})
    response = client.post(
        location + "/identity",
        data=identity_data(personal_number="191212121212"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ärendet är makulerat och kan inte ändras." in page
    assert "Identifierad av anhörig" in page  # the reason typed is kept
    with app.app_context():
        assert db.session.scalar(select(Case.patient_id)) == "RES-0007"
