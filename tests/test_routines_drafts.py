"""The routines' typed forms autosave as drafts, and a resent form stores one record."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.incidents.close_drafts import unsent_drafts
from webapp.models import Case, Draft, ImageTransfer, Report, ReviewerLogEntry, UrgentCall

from .factories import hidden_value
from .routines_support import make_case, transfer_data

RECEIVE_KEY = "receive-" + "k" * 20
VERBAL_KEY = "verbal-" + "v" * 20
FINDINGS = "Subduralt hematom vänster, 6 mm, ingen överskjutning."


def _case(app: Flask, case_id: int) -> Case:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def _count(app: Flask, model: type, *where: object) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model).where(*where)))


def _receive_data(code: str, key: str = RECEIVE_KEY) -> dict[str, str]:
    return {
        "form_key": key,
        "case_code": code,
        "confirmed_code": code,
        "confirm_unfaxed": "y",
        "received_at": "2026-01-15T11:40",
        "reviewer_name": "Dr Granskare",
        "forwarded": "y",
        "state": "preliminary",
        "findings": FINDINGS,
        "conclusion": "Akut blödning.",
    }


def _put_receive_draft(client: FlaskClient, code: str, incident_id: int) -> None:
    """What static/js/drafts.js sends from the receive form while the text is typed."""
    response = client.put(
        f"/api/drafts/{RECEIVE_KEY}",
        json={
            "kind": "reviewer_report",
            "seq": 1,
            "incident_id": str(incident_id),
            "label": code,
            "data": _receive_data(code),
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def _case_with_a_receive_draft(app: Flask, client: FlaskClient, auth) -> Case:
    """A new case whose reviewer report a secretary has started to type (still logged in)."""
    case_id = make_case(client, auth)
    case = _case(app, case_id)
    auth.login("secretary")
    _put_receive_draft(client, case.code, case.incident_id)
    return case


def _verbal_data(key: str = VERBAL_KEY) -> dict[str, str]:
    return {
        "verbal-form_key": key,
        "verbal-reviewer_name": "Dr Granskare",
        "verbal-called_person": "Dr Åberg, akuten",
        "verbal-called_at": "2026-01-15T11:30",
        "verbal-note": "Blödning, kontakta neurokirurg.",
    }


def _put_verbal_draft(client: FlaskClient, case_id: int) -> None:
    response = client.put(
        f"/api/drafts/{VERBAL_KEY}",
        json={"kind": "reviewer_verbal", "seq": 1, "case_id": str(case_id), "data": _verbal_data()},
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_receive_form_carries_a_key_and_autosaves_as_a_draft(client: FlaskClient, auth) -> None:
    auth.login("secretary")
    page = client.get("/routines/reviewer/receive").get_data(as_text=True)
    assert 'data-draft-kind="reviewer_report"' in page
    assert len(hidden_value(page, "form_key")) >= 16
    assert 'class="draft-status' in page


def test_a_typed_faxed_report_is_offered_and_continued_on_another_tablet(
    app: Flask, client: FlaskClient, auth
) -> None:
    case = _case_with_a_receive_draft(app, client, auth)
    auth.logout()
    auth.login("radiologist")
    page = client.get("/routines/reviewer/receive").get_data(as_text=True)
    assert "Osparad ändring från" in page
    assert f"draft={RECEIVE_KEY}" in page
    page = client.get(f"/routines/reviewer/receive?draft={RECEIVE_KEY}").get_data(as_text=True)
    assert FINDINGS in page
    assert f'value="{case.code}"' in page
    assert hidden_value(page, "form_key") == RECEIVE_KEY


def test_a_typed_faxed_report_holds_the_incident_open_until_it_is_sent(
    app: Flask, client: FlaskClient, auth
) -> None:
    case = _case_with_a_receive_draft(app, client, auth)
    with app.app_context():
        assert [d.name for d in unsent_drafts(case.incident_id)] == [
            f"Svar från extern granskare {case.code} (av Testa Secretary Åström)"
        ]
    response = client.post("/routines/reviewer/receive", data=_receive_data(case.code))
    assert response.status_code == 302
    with app.app_context():
        assert unsent_drafts(case.incident_id) == []
        assert db.session.scalar(select(Draft.is_done)) is True


def test_the_drafts_list_names_and_continues_a_routine_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    case = _case_with_a_receive_draft(app, client, auth)
    _put_verbal_draft(client, case.id)
    page = client.get("/drafts").get_data(as_text=True)
    assert "Svar från extern granskare" in page and "Muntligt svar från granskare" in page
    assert f"/routines/reviewer/receive?draft={RECEIVE_KEY}" in page
    assert f"/routines/reviewer/cases/{case.id}?draft={VERBAL_KEY}" in page


def test_a_faxed_report_sent_twice_is_received_once(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    code = _case(app, case_id).code
    auth.login("secretary")
    first = client.post("/routines/reviewer/receive", data=_receive_data(code))
    again = client.post("/routines/reviewer/receive", data=_receive_data(code))
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(app, ReviewerLogEntry, ReviewerLogEntry.kind == "report_received") == 1
    assert _count(app, ReviewerLogEntry, ReviewerLogEntry.kind == "forwarded") == 1
    with app.app_context():
        assert db.session.scalar(select(Report.version)) == 1


def test_a_faxed_report_with_a_refused_text_logs_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    code = _case(app, case_id).code
    auth.login("secretary")
    response = client.post("/routines/reviewer/receive", data=_receive_data(code))
    assert response.status_code == 400
    assert "definitivt signerat" in response.get_data(as_text=True)
    assert _count(app, ReviewerLogEntry) == 0


def test_a_typed_verbal_answer_is_offered_and_continued_on_the_case_page(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    _put_verbal_draft(client, case_id)
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert 'data-draft-kind="reviewer_verbal"' in page
    assert "Osparad ändring från" in page
    assert f"draft={VERBAL_KEY}#verbal" in page
    page = client.get(f"/routines/reviewer/cases/{case_id}?draft={VERBAL_KEY}").get_data(
        as_text=True
    )
    assert "Blödning, kontakta neurokirurg." in page
    assert hidden_value(page, "verbal-form_key") == VERBAL_KEY


def test_a_verbal_answer_sent_twice_is_logged_once_and_finishes_its_draft(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    _put_verbal_draft(client, case_id)
    url = f"/routines/reviewer/cases/{case_id}/verbal"
    assert client.post(url, data=_verbal_data()).status_code == 302
    again = client.post(url, data=_verbal_data(), follow_redirects=True)
    assert "redan loggat" in again.get_data(as_text=True)
    assert _count(app, ReviewerLogEntry, ReviewerLogEntry.kind == "verbal_answer") == 1
    assert _count(app, UrgentCall) == 1
    with app.app_context():
        assert unsent_drafts(db.session.get(Case, case_id).incident_id) == []


TRANSFER_KEY = "transfer-" + "t" * 20
TRANSFER = transfer_data(
    form_key=TRANSFER_KEY, note="Patienten flyttas till neurokirurgen i kväll."
)


def test_a_transfer_request_sent_twice_opens_one_transfer(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    first = client.post("/routines/transfers/new", data=TRANSFER)
    again = client.post("/routines/transfers/new", data=TRANSFER, follow_redirects=True)
    assert first.status_code == 302
    assert again.request.path == first.headers["Location"]
    assert "redan registrerad" in again.get_data(as_text=True)
    assert _count(app, ImageTransfer) == 1


def test_a_typed_transfer_request_is_continued_and_finished_when_sent(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    response = client.put(
        f"/api/drafts/{TRANSFER_KEY}",
        json={"kind": "transfer", "seq": 1, "label": "19121212-1212", "data": TRANSFER},
    )
    assert response.status_code == 200
    page = client.get("/routines/transfers/new").get_data(as_text=True)
    assert "Osparad ändring från" in page
    page = client.get(f"/routines/transfers/new?draft={TRANSFER_KEY}").get_data(as_text=True)
    assert "Patienten flyttas till neurokirurgen i kväll." in page
    assert client.post("/routines/transfers/new", data=TRANSFER).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Draft.is_done)) is True


def test_a_typed_verbal_answer_is_still_offered_after_another_form_on_the_page_is_refused(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    _put_verbal_draft(client, case_id)
    response = client.post(
        f"/routines/reviewer/cases/{case_id}/fax",
        data={"fax-number": "", "fax-sent_at": "2026-01-15T11:10"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Osparad ändring från" in page
    assert f"/routines/reviewer/cases/{case_id}?draft={VERBAL_KEY}#verbal" in page
    assert f'name="next" value="/routines/reviewer/cases/{case_id}"' in page


def test_a_transcribed_draft_sent_by_a_radiographer_keeps_its_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    case = _case_with_a_receive_draft(app, client, auth)
    auth.logout()
    auth.login("radiographer")
    page = client.get(f"/routines/reviewer/receive?draft={RECEIVE_KEY}").get_data(as_text=True)
    assert FINDINGS in page  # shown, not hidden from who continues the draft
    response = client.post("/routines/reviewer/receive", data=_receive_data(case.code))
    assert response.status_code == 400
    assert "radiolog eller sekreterare" in response.get_data(as_text=True)
    assert _count(app, ReviewerLogEntry) == 0
    with app.app_context():
        assert [d.name for d in unsent_drafts(case.incident_id)] == [
            f"Svar från extern granskare {case.code} (av Testa Secretary Åström)"
        ]
