"""A drill case whose catch-up was practised (steps ticked, RIS numbers saved, or a waiver) and
then moved into a real outage: a real patient taken into the drill by mistake.

Nothing of a drill is keyed into the real RIS, so in the real outage the case is to be keyed from
the start: outstanding, holding the close, on the secretaries' list, its drill numbers gone.
"""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.progress import incident_progress
from webapp.catchup.ris_numbers import accession_in_use
from webapp.catchup.services import done_steps
from webapp.extensions import db
from webapp.incidents.closing import outstanding_count
from webapp.models import (
    CATCHUP_STEPS,
    AuditEvent,
    Case,
    CatchupRecord,
    CatchupTick,
    RecordVersion,
)

from .catchup_support import accession_of, close_incident, incident_ended, tick_all, waive
from .factories import declare_incident, exam_data, incident_of, referral_data, report_data
from .test_cases_move import move_form

REASON = "Riktig patient, togs emot i övningen"


def _case_in(client: FlaskClient, auth: Any, incident: int) -> int:
    """A case with its exam and a definitive report, taken in `incident`; nobody logged in."""
    auth.logout()
    auth.login("radiographer")
    assert client.post(f"/incidents/{incident}/select").status_code == 302
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    auth.login("radiologist")
    client.post(
        location.replace("/cases/", "/reporting/"), data=report_data("definitive", "d" * 20)
    )
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


def _keyed_and_checked(client: FlaskClient, auth: Any, case_id: int) -> None:
    """Every step ticked, the numbers saved, and the check made by a second secretary."""
    auth.login("secretary")
    tick_all(client, case_id)
    response = client.post(
        f"/catchup/cases/{case_id}/ris",
        data={"ris_accession": accession_of(case_id), "ris_exam_number": "U123"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    auth.login("secretary", username="sek2")
    assert client.post(f"/catchup/cases/{case_id}/verify").status_code == 302
    auth.logout()


def _move(client: FlaskClient, auth: Any, case_id: int, target: int) -> None:
    auth.logout()
    auth.login("radiographer")
    response = client.post(
        f"/cases/{case_id}/move", data=move_form(client, case_id, target, REASON)
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def _status(app: Flask, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).status


def _numbers(app: Flask, case_id: int) -> tuple[str, str]:
    with app.app_context():
        record = db.session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case_id))
        return (record.ris_accession, record.ris_exam_number) if record else ("", "")


def _drill_case_keyed(client: FlaskClient, auth: Any, app: Flask) -> tuple[int, int, int]:
    """A drill case keyed and checked in the drill's catch-up (closed): (drill, real, case)."""
    auth.login("radiographer")
    drill = declare_incident(client, drill=True)
    real = declare_incident(client, "om_ris")
    case_id = _case_in(client, auth, drill)
    _keyed_and_checked(client, auth, case_id)
    assert _status(app, case_id) == "closed"
    assert _numbers(app, case_id) == (accession_of(case_id), "U123")
    return drill, real, case_id


def test_a_drill_case_keyed_in_the_drill_is_outstanding_once_moved_into_the_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = _drill_case_keyed(client, auth, app)
    _move(client, auth, case_id, real)
    assert incident_of(app, case_id) == real
    assert _status(app, case_id) == "report_definitive"
    with app.app_context():
        assert done_steps(db.session(), case_id) == []
        assert outstanding_count(real) == 1
        progress = incident_progress(real)
        assert [c.id for c in progress.outstanding] == [case_id]
        assert progress.left[case_id] == list(CATCHUP_STEPS)
        record = db.session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case_id))
        assert record.keyed_at is None and record.verified_at is None
        assert record.reconciled_at is None


def test_the_drill_numbers_no_longer_count_in_the_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = _drill_case_keyed(client, auth, app)
    _move(client, auth, case_id, real)
    assert _numbers(app, case_id) == ("", "")
    with app.app_context():
        site_id = db.session.get(Case, case_id).site_id
        # A real booking given the same number is no duplicate of the drill's made-up one.
        assert accession_in_use(site_id, accession_of(case_id), case_id + 1) == []
        # Cleared as a version: the history says what the drill had, and why it went.
        version = db.session.scalars(
            select(RecordVersion)
            .where(RecordVersion.entity == "catchup", RecordVersion.case_id == case_id)
            .order_by(RecordVersion.id.desc())
        ).first()
        assert version.changes["ris_accession"] == [accession_of(case_id), ""]
        assert version.changes["ris_exam_number"] == ["U123", ""]
        assert version.reason == REASON


def test_the_drill_ticks_are_undone_by_appended_rows_and_named_in_the_audit(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = _drill_case_keyed(client, auth, app)
    with app.app_context():
        before = db.session.scalar(select(CatchupTick.id).order_by(CatchupTick.id.desc()))
    _move(client, auth, case_id, real)
    with app.app_context():
        ticks = db.session.scalars(
            select(CatchupTick).where(CatchupTick.case_id == case_id).order_by(CatchupTick.id)
        ).all()
        # The drill's ticks stay in the history; one undo each is appended, with why.
        assert sum(t.is_done for t in ticks) == len(CATCHUP_STEPS)
        undone = [t for t in ticks if t.id > before]
        assert sorted(t.step for t in undone) == sorted(CATCHUP_STEPS)
        assert all(not t.is_done and "övning" in t.note for t in undone)
        detail = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "case_move")
        ).one()
        assert "efterregistreringen börjar om" in detail
        assert accession_of(case_id) in detail
    # On the secretaries' list, first among what is left: it came back with a note.
    auth.login("secretary")
    page = html.unescape(client.get(f"/catchup/incidents/{real}").get_data(as_text=True))
    outstanding = page.split('class="outstanding"', 1)[1].split("</ul>", 1)[0]
    assert "Bokad i RIS" in outstanding


def test_a_drill_waiver_does_not_take_the_real_case_out_of_ris(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    drill = declare_incident(client, drill=True)
    real = declare_incident(client, "om_ris")
    case_id = _case_in(client, auth, drill)
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    assert _status(app, case_id) == "closed"
    _move(client, auth, case_id, real)
    assert _status(app, case_id) == "report_definitive"
    with app.app_context():
        record = db.session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case_id))
        assert record.waived_at is None and record.reconciled_at is None
        assert outstanding_count(real, pending_waivers=True) == 1
        detail = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "case_move")
        ).one()
        assert "Inlagd direkt i RIS" in detail


def test_a_pending_drill_waiver_does_not_carry_over_either(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    drill = declare_incident(client, drill=True)
    real = declare_incident(client, "om_ris")
    case_id = _case_in(client, auth, drill)
    waive(client, auth, case_id, "Inlagd direkt i RIS", confirmed=False)
    _move(client, auth, case_id, real)
    with app.app_context():
        record = db.session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case_id))
        assert record.waived_at is None
        assert outstanding_count(real) == 1


def test_a_real_case_keyed_keeps_its_catchup_when_moved_to_another_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    other = declare_incident(client, "integration")
    case_id = _case_in(client, auth, first)
    _keyed_and_checked(client, auth, case_id)
    with app.app_context():
        ticks = db.session.scalar(select(CatchupTick.id).order_by(CatchupTick.id.desc()))
    _move(client, auth, case_id, other)
    assert incident_of(app, case_id) == other
    assert _status(app, case_id) == "closed"
    assert _numbers(app, case_id) == (accession_of(case_id), "U123")
    with app.app_context():
        assert sorted(done_steps(db.session(), case_id)) == sorted(CATCHUP_STEPS)
        assert db.session.scalar(select(CatchupTick.id).order_by(CatchupTick.id.desc())) == ticks
        assert outstanding_count(other) == 0


def test_a_real_waiver_stands_when_moved_to_another_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    other = declare_incident(client, "integration")
    case_id = _case_in(client, auth, first)
    waive(client, auth, case_id, "Inlagd direkt i RIS")
    _move(client, auth, case_id, other)
    assert _status(app, case_id) == "closed"
    with app.app_context():
        record = db.session.scalar(select(CatchupRecord).where(CatchupRecord.case_id == case_id))
        assert record.waived_at is not None and record.reconciled_at is not None


def test_the_move_form_says_a_drill_catchup_starts_over_in_a_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, _real, case_id = _drill_case_keyed(client, auth, app)
    auth.login("radiographer")
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'id="move-catchup-restarts"' in page
    assert "börjar den om där: stegen ångras, RIS-numren tas bort" in page


def test_the_move_form_says_nothing_of_a_restart_for_a_drill_case_not_begun(
    client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    drill = declare_incident(client, drill=True)
    declare_incident(client, "om_ris")
    case_id = _case_in(client, auth, drill)
    auth.login("radiographer")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="move-catchup-restarts"' not in page


def test_the_move_form_says_nothing_of_a_restart_for_a_real_case(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login("radiographer")
    first = declare_incident(client, "om_ris")
    declare_incident(client, "integration")
    case_id = _case_in(client, auth, first)
    _keyed_and_checked(client, auth, case_id)
    auth.login("radiographer")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="move-catchup-restarts"' not in page


def test_the_history_page_shows_the_drill_numbers_cleared_with_the_moves_reason(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = _drill_case_keyed(client, auth, app)
    _move(client, auth, case_id, real)
    page = html.unescape(client.get(f"/cases/{case_id}/history").get_data(as_text=True))
    # The latest version of the catch-up record, first on the page.
    section = page.split("· Efterregistrering, version", 1)[1].split("</li>", 1)[0]
    assert f'Orsak: <span dir="auto">{REASON}</span>' in section
    cleared = re.search(
        r"<td>Accessionsnummer \(RIS\)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>", section
    )
    assert cleared and cleared.group(1) == accession_of(case_id)
    assert accession_of(case_id) not in cleared.group(2)


def test_the_real_outages_case_page_says_why_its_steps_are_back(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = _drill_case_keyed(client, auth, app)
    _move(client, auth, case_id, real)
    auth.login("secretary")
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    assert "Gjort i en övning: ärendet är flyttat till ett skarpt driftstopp" in page
    # Booking it in the real RIS is taken, as for any case not yet booked.
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS99990001"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert done_steps(db.session(), case_id) == ["booked"]


def test_the_real_outage_does_not_close_over_the_case_keyed_only_in_the_drill(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = _drill_case_keyed(client, auth, app)
    _move(client, auth, case_id, real)
    page = html.unescape(close_incident(client, auth, real))
    assert not incident_ended(app, real)
    assert "1 ärende är inte avstämt" in page
    assert f'href="/catchup/cases/{case_id}"' in page


def test_the_move_versions_the_same_ris_number_fields_as_the_catchup() -> None:
    from webapp.cases.moving_drill import RECORD_FIELDS as MOVE_FIELDS
    from webapp.catchup.ris_numbers import RECORD_FIELDS

    assert MOVE_FIELDS == RECORD_FIELDS
