"""The second look in PACS of a report read on the modality's screen: recorded by a radiologist
once the images are in PACS, versioned and audited, once per form key, and shown as outstanding
on the board, the case page and the incident's follow-up until it is done."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Addendum, AuditEvent, Case, RecordVersion, Report, User
from webapp.models.report import SIGNING_KINDS

from .factories import DEFAULT_PIN, exam_data, referral_data, report_data
from .followup_support import seed_ended_incident
from .other_site_support import visible
from .printforms.conftest import pdf_text

FLAG = "Eftergranska i PACS"
KEY = "s" * 20


def _read_on_modality(client: FlaskClient, auth, pacs_status: str = "yes") -> int:
    """A case whose definitive report was read on the modality's screen; nobody logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    exam = exam_data(pacs_status=pacs_status)
    if pacs_status != "yes":
        exam["pacs_sent_at"] = ""
    assert client.post(location + "/exam", data=exam).status_code == 302
    auth.logout()
    case_id = int(location.rsplit("/", 1)[-1])
    auth.login("radiologist")
    data = report_data("definitive", "d" * 20) | {"read_on": "modality"}
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    auth.logout()
    return case_id


def _look(client: FlaskClient, case_id: int, outcome: str = "no_change", key: str = KEY):
    return client.post(
        f"/reporting/{case_id}/second-look", data={"form_key": key, "outcome": outcome}
    )


def _login(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "secret": DEFAULT_PIN})
    assert response.status_code == 302


def _report(app: Flask, case_id: int) -> Report:
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.case_id == case_id))
        assert report is not None
        db.session.expunge(report)
        return report


def _events(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "report_second_look")
            )
            or 0
        )


def test_the_screen_offers_the_second_look_of_a_report_read_on_the_modality(
    client: FlaskClient, auth
) -> None:
    case_id = _read_on_modality(client, auth)
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Eftergranskning i PACS" in page
    assert f'action="/reporting/{case_id}/second-look' in page
    assert "Ingen ändring" in page and "Tillägg skrivet" in page


def test_a_radiologist_records_the_second_look_versioned_and_audited(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _read_on_modality(client, auth)
    auth.login("radiologist")
    response = _look(client, case_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reporting/{case_id}#second-look")
    report = _report(app, case_id)
    assert report.second_look_outcome == "no_change"
    assert report.second_look_at is not None
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiologist"))
        assert user is not None and report.second_look_by_id == user.id
        version = db.session.scalar(
            select(RecordVersion)
            .where(RecordVersion.entity == "report", RecordVersion.entity_id == report.id)
            .order_by(RecordVersion.id.desc())
        )
        assert version is not None and "PACS" in version.reason
        assert version.changes["second_look_outcome"] == ["", "no_change"]
    assert _events(app) == 1
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Eftergranskad i PACS" in page and "Ingen ändring" in page


def test_a_double_tap_records_the_second_look_once(app: Flask, client: FlaskClient, auth) -> None:
    case_id = _read_on_modality(client, auth)
    auth.login("radiologist")
    assert _look(client, case_id).status_code == 302
    assert _look(client, case_id).status_code == 302
    assert _events(app) == 1
    with app.app_context():
        versions = db.session.scalar(
            select(func.count())
            .select_from(RecordVersion)
            .where(
                RecordVersion.entity == "report",
                RecordVersion.reason == "Eftergranskning i PACS",
            )
        )
        assert versions == 1


def test_only_a_radiologist_records_a_second_look(app: Flask, client: FlaskClient, auth) -> None:
    case_id = _read_on_modality(client, auth)
    for role in ("radiographer", "secretary", "admin"):
        auth.login(role)
        assert _look(client, case_id).status_code == 403
        auth.logout()
    assert _report(app, case_id).second_look_at is None


def test_the_service_refuses_a_second_look_by_another_role(
    app: Flask, client: FlaskClient, auth
) -> None:
    from webapp.cases.submissions import SentOnce
    from webapp.reporting.second_look import record_second_look
    from webapp.reporting.services import ReportError

    case_id = _read_on_modality(client, auth)
    auth.login("secretary")
    auth.logout()
    with app.test_request_context(), app.app_context():
        user = db.session.scalar(select(User).where(User.role == "secretary"))
        try:
            record_second_look(case_id=case_id, user=user, outcome="no_change", submit=SentOnce())
        except ReportError as exc:
            assert "radiolog" in str(exc)
        else:
            raise AssertionError("a secretary recorded a second look")
    assert _report(app, case_id).second_look_at is None


def test_a_second_look_is_refused_while_the_images_are_only_on_the_modality(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _read_on_modality(client, auth, pacs_status="no")
    auth.login("radiologist")
    response = _look(client, case_id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bilderna finns bara på modaliteten" in page
    assert _report(app, case_id).second_look_at is None
    assert _events(app) == 0


def test_an_addendum_outcome_needs_an_addendum(app: Flask, client: FlaskClient, auth) -> None:
    case_id = _read_on_modality(client, auth)
    auth.login("radiologist")
    response = _look(client, case_id, "addendum")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Signera tillägget först" in page
    assert _report(app, case_id).second_look_at is None
    client.post(
        f"/reporting/{case_id}/addendum",
        data={
            "form_key": "a" * 20,
            "text": "Liten fraktur i revben 5 höger.",
            "addenda_shown": "0",
        },
    )
    assert _look(client, case_id, "addendum", key="t" * 20).status_code == 302
    assert _report(app, case_id).second_look_outcome == "addendum"


def test_a_report_read_in_pacs_needs_no_second_look(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=report_data("definitive") | {"read_on": "pacs"})
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "second-look" not in page
    assert _look(client, case_id).status_code == 302
    assert _report(app, case_id).second_look_at is None


def test_the_board_and_the_case_page_flag_an_outstanding_second_look(
    client: FlaskClient, auth
) -> None:
    case_id = _read_on_modality(client, auth)
    auth.login("radiologist")
    assert FLAG in visible(client.get("/board/").get_data(as_text=True))
    assert FLAG in visible(client.get(f"/cases/{case_id}").get_data(as_text=True))
    _look(client, case_id)
    assert FLAG not in visible(client.get("/board/").get_data(as_text=True))
    assert FLAG not in visible(client.get(f"/cases/{case_id}").get_data(as_text=True))


def test_the_followup_lists_the_codes_awaiting_a_second_look_after_the_close(
    app: Flask, client: FlaskClient, auth
) -> None:
    seeded = seed_ended_incident(app)
    code = seeded.codes["A"]
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.code == code))
        assert case is not None and case.report is not None
        case.report.read_on = "modality"
        # As signed: the rule reads the last signature, not the report's own answer.
        *_, last = (s for s in case.report.signatures if s.kind in SIGNING_KINDS)
        last.read_on = "modality"
        case_id = case.id
        db.session.commit()
    # The incident was closed with the second look outstanding: it is clinical, not RIS.
    _login(client, "fu-sara")
    url = f"/incidents/{seeded.incident_id}/followup"
    page = " ".join(visible(client.get(url).get_data(as_text=True)).split())
    assert "Väntar på eftergranskning i PACS" in page
    assert f"1 ärende: {code}" in page
    auth.logout()
    _login(client, "fu-rad")
    response = _look(client, case_id)
    assert response.status_code == 302
    auth.logout()
    _login(client, "fu-sara")
    page = " ".join(visible(client.get(url).get_data(as_text=True)).split())
    assert f"1 ärende: {code}" not in page


def test_the_followup_sheet_lists_the_codes_awaiting_a_second_look_as_the_page_does(
    app: Flask, client: FlaskClient
) -> None:
    seeded = seed_ended_incident(app)
    code = seeded.codes["A"]
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.code == code))
        assert case is not None and case.report is not None
        case.report.read_on = "modality"
        *_, last = (s for s in case.report.signatures if s.kind in SIGNING_KINDS)
        last.read_on = "modality"
        db.session.commit()
    _login(client, "fu-sara")
    sheet = pdf_text(client.get(f"/incidents/{seeded.incident_id}/followup.pdf").get_data())
    words = " ".join(sheet.split())
    part = words.split("Väntar på eftergranskning i PACS", 1)[1].split("Identitet", 1)[0]
    assert f"1 ärende: {code}" in part


def test_an_addendum_signed_before_the_images_reached_pacs_is_not_the_second_looks(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _read_on_modality(client, auth, pacs_status="no")
    auth.login("radiologist")
    client.post(
        f"/reporting/{case_id}/addendum",
        data={"form_key": "a" * 20, "text": "Ringt remittenten.", "addenda_shown": "0"},
    )
    with app.app_context():
        # Signed in the night, on the modality's screen, hours before the images were sent.
        addendum = db.session.scalar(select(Addendum))
        addendum.signed_at = datetime(2026, 1, 15, 11, 30, tzinfo=UTC)
        db.session.commit()
    auth.logout()
    auth.login("radiographer")
    sent = {"form_key": "p" * 20, "sent_at": "2026-01-15T14:00"}
    assert client.post(f"/cases/{case_id}/pacs", data=sent).status_code == 302
    auth.logout()
    auth.login("radiologist")
    response = _look(client, case_id, "addendum")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="outcome-error"' in page
    assert "innan bilderna skickades till PACS" in page
    assert _report(app, case_id).second_look_at is None
    assert _events(app) == 0
