"""What RIS holds going stale reopens a case; an ended incident's cases are changed in RIS only."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.closing import outstanding_count
from webapp.models import AuditEvent, Case, CatchupRecord
from webapp.models import Report as ReportModel

from .catchup_support import close_incident, incident_ended, tick_all
from .catchup_world_support import STEPS, _status
from .catchup_world_support import world as world  # the fixture
from .factories import case_code, exam_data, hidden_value, referral_data, report_data
from .routines_support import make_case

ENDED = "Driftstoppet är avslutat. Ändringar i ärendet görs nu i RIS."
NEW_PATIENT = {
    "id_mode": "pnr",
    "personal_number": "19800101-0027",
    "patient_name": "Åsa Öberg",
    "reason": "Förväxling vid inskrivningen",
}


def _close_case(client: FlaskClient, auth, app: Flask, case_id: int, **extra: str) -> None:
    """Every step keyed by one secretary and checked by another: the case is closed."""
    tick_all(client, case_id, **extra)
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{case_id}/verify")
    assert _status(app, case_id) == "closed"


def _done_steps(client: FlaskClient, case_id: int) -> set[str]:
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    return {s for s in STEPS if f'data-step="{s}" aria-pressed="true"' in page}


def _record(app: Flask, case_id: int) -> CatchupRecord:
    with app.app_context():
        record = db.session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case_id))
        db.session.expunge(record)
        return record


def _shown(app: Flask, case_id: int, record: str) -> dict[str, str]:
    """The version fields an edit form of the record shows now (the tablet is up to date)."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        if record == "referral":
            return {"version": str(case.referral.version), "case_version": str(case.version)}
        return {"version": str(getattr(case, record).version)}


def _reopens(app: Flask) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "catchup_reopen")
        )
        return list(rows)


def test_definitive_signature_after_a_keyed_preliminary_reopens_the_report_steps(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]  # preliminary report
    _close_case(client, auth, app, case_id, confirm_preliminary="y")
    auth.logout()
    auth.login("radiologist")
    changed = report_data("definitive", "z" * 20) | _shown(app, case_id, "report")
    changed["sections-1-text"] = "Subduralt hematom höger, 8 mm."
    assert client.post(f"/reporting/{case_id}", data=changed).status_code == 302

    assert _status(app, case_id) == "report_definitive"
    record = _record(app, case_id)
    assert record.keyed_at is None and record.verified_at is None and record.reconciled_at is None
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == {"booked", "exam_completed", "images_matched"}
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "signerades definitivt efter att det lagts in i RIS" in page
    assert "Lägg in som preliminärt" not in page  # the definitive one is keyed now
    with app.app_context():
        assert outstanding_count(world["incident_id"]) == 2
    assert len(_reopens(app)) == 1


def test_definitive_fax_after_a_keyed_faxed_preliminary_reopens_the_report_steps(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    fax = {
        "case_code": code,
        "reviewer_name": "Dr Granskare",
        "findings": "Ingen blödning.",
        "state": "preliminary",
        "conclusion": "Normalt.",
        "received_at": "2026-01-15T23:10",
    }
    auth.login("secretary")
    assert client.post("/routines/reviewer/receive", data=fax).status_code == 302
    _close_case(client, auth, app, case_id, confirm_preliminary="y")
    definitive = fax | {"state": "definitive", "received_at": "2026-01-16T07:10"}
    assert client.post("/routines/reviewer/receive", data=definitive).status_code == 302

    assert _status(app, case_id) == "report_definitive"
    record = _record(app, case_id)
    assert record.keyed_at is None and record.verified_at is None and record.reconciled_at is None
    assert _done_steps(client, case_id) == {"booked", "exam_completed", "images_matched"}
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "signerades definitivt efter att det lagts in i RIS" in page
    assert len(_reopens(app)) == 1


def test_addendum_on_a_closed_case_reopens_it(app: Flask, client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][0]
    _close_case(client, auth, app, case_id)
    auth.logout()
    auth.login("radiologist")
    addendum = {"text": "Fraktur i os temporale."}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    assert _status(app, case_id) == "report_definitive"
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == {"booked", "exam_completed", "images_matched"}
    assert "lägg in tillägget" in client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


def test_identity_correction_after_keying_reopens_every_step(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    _close_case(client, auth, app, case_id)
    auth.logout()
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/identity", data=NEW_PATIENT).status_code == 302
    assert _status(app, case_id) == "report_definitive"
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == set()
    assert "rätta patienten i RIS" in client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "still_done", "status", "reopened"),
    [
        # A changed dose: RIS holds the old one, so the exam steps are redone.
        (
            {"dlp_mgycm": "999.0"},
            {"booked", "report_keyed", "correction_list"},
            "report_definitive",
            1,
        ),
        # The same exam saved again changes nothing in RIS.
        ({}, set(STEPS), "keyed_in_ris", 0),
    ],
)
def test_an_exam_saved_after_it_was_completed_in_ris(
    app: Flask,
    client: FlaskClient,
    auth,
    world,
    change: dict[str, str],
    still_done: set[str],
    status: str,
    reopened: int,
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("radiographer")
    saved = exam_data(key_suffix="c", **change) | _shown(app, case_id, "exam")
    assert client.post(f"/cases/{case_id}/exam", data=saved).status_code == 302
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == still_done
    assert _status(app, case_id) == status
    assert len(_reopens(app)) == reopened


def test_a_change_before_the_catch_up_reopens_nothing(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    auth.logout()
    auth.login("radiologist")
    addendum = {"text": "Tillägg innan något lagts in."}
    assert client.post(f"/reporting/{world['ids'][0]}/addendum", data=addendum).status_code == 302
    assert _reopens(app) == []
    assert _status(app, world["ids"][0]) == "report_definitive"


def test_a_report_signed_after_a_waiver_lifts_it_but_a_referral_edit_does_not(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    first, second = world["ids"]
    for case_id in (first, second):
        client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"})
        assert _status(app, case_id) == "closed"
    auth.logout()
    auth.login("radiographer")
    edit = referral_data(key_suffix="e", question="Blödning? Kompletterad frågeställning.")
    edit |= _shown(app, first, "referral")
    assert client.post(f"/cases/{first}/referral", data=edit).status_code == 302
    assert _status(app, first) == "closed" and _record(app, first).waived_at is not None

    auth.logout()
    auth.login("radiologist")
    signed = report_data("definitive", "w" * 20) | _shown(app, second, "report")
    assert client.post(f"/reporting/{second}", data=signed).status_code == 302
    assert _status(app, second) == "report_definitive"
    assert _record(app, second).waived_at is None
    assert "Inlagd direkt i RIS" in _reopens(app)[0]


def _ended_world(app: Flask, client: FlaskClient, auth, world) -> int:
    """The world's incident closed with its first case keyed and checked; returns that case."""
    first, second = world["ids"]
    client.post(f"/catchup/cases/{second}/waive", data={"reason": "Remitterad vidare"})
    _close_case(client, auth, app, first)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"])
    return first


def test_an_ended_incidents_cases_are_not_changed_here(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _ended_world(app, client, auth, world)
    # Up to date, so only the end of the incident can refuse them.
    exam_shown, ref_shown = _shown(app, case_id, "exam"), _shown(app, case_id, "referral")
    attempts = {
        "secretary": [
            (f"/catchup/cases/{case_id}/steps", {"step": "booked", "is_done": "0"}),
            (f"/catchup/cases/{case_id}/ris", {"ris_accession": "X1", "ris_exam_number": "1"}),
            (f"/catchup/cases/{case_id}/waive", {"reason": "Sent påkommet"}),
        ],
        "radiologist": [
            (f"/reporting/{case_id}/addendum", {"text": "Sent tillägg."}),
        ],
        "radiographer": [
            (f"/cases/{case_id}/exam", exam_data(key_suffix="late", dlp_mgycm="1.0") | exam_shown),
            (
                f"/cases/{case_id}/referral",
                referral_data(key_suffix="late", question="Ny?") | ref_shown,
            ),
            (f"/cases/{case_id}/identity", NEW_PATIENT),
            (f"/cases/{case_id}/cancel", {"reason": "Fel patient"}),
        ],
    }
    with app.app_context():
        before = db.session.scalar(select(Case.version).where(Case.id == case_id))
    for role, posts in attempts.items():
        auth.logout()
        auth.login(role)
        for url, data in posts:
            page = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
            assert ENDED in page, url
    assert _status(app, case_id) == "closed"
    with app.app_context():
        assert outstanding_count(world["incident_id"]) == 0
        assert db.session.scalar(select(Case.version).where(Case.id == case_id)) == before
        report = db.session.scalar(select(ReportModel).where(ReportModel.case_id == case_id))
        assert not report.addenda
        assert float(db.session.get(Case, case_id).exam.dlp_mgycm) != 1.0
    assert _reopens(app) == []


def test_an_urgent_call_made_is_still_recorded_after_the_end(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _ended_world(app, client, auth, world)
    auth.logout()
    auth.login("radiologist")
    call = {
        "called_person": "Dr Jour",
        "phone_number": "010-123 45",
        "called_at": "2025-01-02T10:00",
    }
    assert client.post(f"/reporting/{case_id}/call", data=call).status_code == 302
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "urgent_call" in actions


def test_a_case_with_a_signed_report_is_not_cancelled(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    auth.logout()
    auth.login("radiographer")
    for case_id in world["ids"]:  # definitive, preliminary
        page = client.post(
            f"/cases/{case_id}/cancel", data={"reason": "Dubblett"}, follow_redirects=True
        )
        assert "kan inte makuleras" in page.get_data(as_text=True)
        assert _status(app, case_id) != "cancelled"


def test_a_case_without_a_report_can_still_be_cancelled(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"reason": "Undersökningen avbröts"})
    assert _status(app, case_id) == "cancelled"


def test_priority_changed_by_the_radiologist_after_booking_reopens_the_booking(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # The same change through the referral form reopens the booking: RIS has the old priority.
    case_id = world["ids"][0]
    _close_case(client, auth, app, case_id)
    auth.logout()
    auth.login("radiologist")
    changed = {"priority": "rutin", "reason": "Stabil, kan vänta"}
    assert client.post(f"/reporting/{case_id}/priority", data=changed).status_code == 302
    assert _status(app, case_id) == "report_definitive"
    auth.logout()
    auth.login("secretary")
    assert _done_steps(client, case_id) == set(STEPS) - {"booked"}
    assert len(_reopens(app)) == 1


def test_a_lifted_waiver_says_why_the_case_is_back_and_lists_it_first(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]
    client.post(f"/catchup/cases/{second}/waive", data={"reason": "Inlagd direkt i RIS"})
    auth.logout()
    auth.login("radiologist")
    signed = report_data("definitive", "w" * 20) | _shown(app, second, "report")
    signed["sections-1-text"] = "Subduralt hematom höger, 8 mm."
    assert client.post(f"/reporting/{second}", data=signed).status_code == 302
    auth.logout()
    auth.login("secretary")
    # Nothing was ticked here (it went into RIS directly), yet RIS now holds the old report.
    page = client.get(f"/catchup/cases/{second}").get_data(as_text=True)
    assert "signerades definitivt efter att det lagts in i RIS" in page
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert "Uppgifter har ändrats efter registreringen i RIS" in batch
    assert batch.index(world["codes"][1]) < batch.index(world["codes"][0])


def test_an_exam_documented_after_a_waiver_lifts_it(app: Flask, client: FlaskClient, auth) -> None:
    """Waived as never examined, then examined after all: the exam must reach RIS and the
    radiologist, so the case is outstanding again and the incident cannot end on it."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="w")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("secretary")
    waived = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Patienten kom aldrig"})
    assert waived.status_code == 302
    assert _status(app, case_id) == "closed"
    auth.logout()
    auth.login("radiographer")
    assert client.post(location + "/exam", data=exam_data(key_suffix="w")).status_code == 302
    assert _status(app, case_id) == "exam_done"
    assert _record(app, case_id).waived_at is None
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        assert outstanding_count(incident_id) == 1
    assert "Patienten kom aldrig" in _reopens(app)[0]
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "Undersökningen dokumenterades efter att ärendet undantagits" in page


def test_an_exam_documented_before_the_catch_up_reopens_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="n")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    assert client.post(location + "/exam", data=exam_data(key_suffix="n")).status_code == 302
    assert _status(app, case_id) == "exam_done"
    assert _reopens(app) == []


def test_a_waiver_from_a_page_opened_before_the_exam_was_documented_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    """'Never examined', typed on a page opened before the exam was documented, would take an
    examined case out of the catch-up and off the radiologist's worklist."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="s")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    shown = hidden_value(page[page.index("/waive") :], "shown")
    assert shown
    auth.logout()
    auth.login("radiographer")
    assert client.post(location + "/exam", data=exam_data(key_suffix="s")).status_code == 302
    auth.logout()
    auth.login("secretary")
    reason = "Patienten kom aldrig"
    response = client.post(
        f"/catchup/cases/{case_id}/waive", data={"reason": reason, "shown": shown}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Det är inte undantaget" in page and reason in page  # the reason typed is kept
    assert _status(app, case_id) == "exam_done"
    # From the page as it is now, the waiver is taken.
    fresh = hidden_value(page[page.index("/waive") :], "shown")
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": reason, "shown": fresh})
    assert _status(app, case_id) == "closed"
