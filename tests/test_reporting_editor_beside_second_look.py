"""A report editor open while a colleague records the second look in PACS: the second look is no
part of what the editor shows, so it does not make the editor stale; a real change of the
report's text or state since still does."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.draft_versions import is_superseded, stored_versions
from webapp.extensions import db
from webapp.models import RecordVersion, Report

from .factories import exam_data, hidden_value, referral_data, report_data

REPORT_CHANGED = "Någon annan har ändrat utlåtandet"


def _preliminary_read_on_modality(client: FlaskClient, auth) -> int:
    """A case whose preliminary report was read on the modality, images in PACS; logged out."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    auth.logout()
    case_id = int(location.rsplit("/", 1)[-1])
    auth.login("radiologist")
    data = report_data("preliminary", "p" * 20) | {"read_on": "modality"}
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    auth.logout()
    return case_id


def _look(tablet: FlaskClient, case_id: int) -> None:
    response = tablet.post(
        f"/reporting/{case_id}/second-look", data={"form_key": "s" * 20, "outcome": "no_change"}
    )
    assert response.status_code == 302
    assert "second-look" in response.headers["Location"]


def _open_editor(tablet: FlaskClient, case_id: int) -> str:
    """The report's version the editor shows."""
    return hidden_value(tablet.get(f"/reporting/{case_id}").get_data(as_text=True), "version")


def _report(app: Flask, case_id: int) -> Report:
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.case_id == case_id))
        assert report is not None
        db.session.expunge(report)
        return report


def test_a_report_editor_open_while_the_second_look_is_recorded_is_saved(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = _preliminary_read_on_modality(client, auth)
    editor = tablet_factory("rad-asa", role="radiologist")
    shown = _open_editor(editor, case_id)
    _look(tablet_factory("rad-bo", role="radiologist"), case_id)
    edit = report_data(
        "definitive", "x" * 20, findings="Liten kontusion frontalt.", version=shown
    ) | {"read_on": "modality"}
    response = editor.post(f"/reporting/{case_id}", data=edit)
    assert response.status_code == 302, response.get_data(as_text=True)
    report = _report(app, case_id)
    assert report.state == "definitive"
    assert report.sections[0]["text"] == "Liten kontusion frontalt."
    # The second look stays as recorded, and in the history as its own version.
    assert report.second_look_outcome == "no_change" and report.second_look_at is not None
    with app.app_context():
        reasons = db.session.scalars(
            select(RecordVersion.reason)
            .where(RecordVersion.entity == "report", RecordVersion.entity_id == report.id)
            .order_by(RecordVersion.version)
        ).all()
    assert reasons == ["Eftergranskning i PACS", ""]


def test_a_report_editor_open_while_the_text_is_saved_and_looked_at_again_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = _preliminary_read_on_modality(client, auth)
    editor = tablet_factory("rad-asa", role="radiologist")
    shown = _open_editor(editor, case_id)
    colleague = tablet_factory("rad-bo", role="radiologist")
    _look(colleague, case_id)
    saved = report_data(
        "save", "c" * 20, findings="Blödning vänster.", version=_open_editor(colleague, case_id)
    ) | {"read_on": "modality"}
    assert colleague.post(f"/reporting/{case_id}", data=saved).status_code == 302
    stale = report_data("definitive", "x" * 20, findings="Ingen blödning.", version=shown) | {
        "read_on": "modality"
    }
    response = editor.post(f"/reporting/{case_id}", data=stale)
    assert response.status_code == 409
    assert REPORT_CHANGED in response.get_data(as_text=True)
    report = _report(app, case_id)
    assert (report.state, report.sections[0]["text"]) == ("preliminary", "Blödning vänster.")


def test_a_report_editor_from_a_version_not_yet_written_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = _preliminary_read_on_modality(client, auth)
    _look(tablet_factory("rad-bo", role="radiologist"), case_id)
    editor = tablet_factory("rad-asa", role="radiologist")
    stale = report_data("save", "x" * 20, version="9") | {"read_on": "modality"}
    assert editor.post(f"/reporting/{case_id}", data=stale).status_code == 409


def test_a_report_draft_stays_current_beside_the_second_look(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    # Its save would go through (above): the draft is still an unsent form, not overtaken.
    case_id = _preliminary_read_on_modality(client, auth)
    shown = _open_editor(tablet_factory("rad-asa", role="radiologist"), case_id)
    colleague = tablet_factory("rad-bo", role="radiologist")
    _look(colleague, case_id)
    with app.app_context():
        versions = stored_versions([(case_id, "report")])[case_id]
    assert not is_superseded("report", {"version": shown}, versions)
    assert is_superseded("report", {"version": str(int(shown) + 5)}, versions)
    assert is_superseded("report", {"version": ""}, versions)
    saved = report_data(
        "save", "c" * 20, findings="Blödning vänster.", version=_open_editor(colleague, case_id)
    ) | {"read_on": "modality"}
    assert colleague.post(f"/reporting/{case_id}", data=saved).status_code == 302
    with app.app_context():
        versions = stored_versions([(case_id, "report")])[case_id]
    assert is_superseded("report", {"version": shown}, versions)
