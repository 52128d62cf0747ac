"""Faxes logged before the upgrade count the identity corrections made before them, by the audit
log's order, never by the clock: only a report faxed before its patient's identity was corrected
becomes one to fax again."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from webapp.extensions import db
from webapp.incidents.close_asked import unfaxed_reports
from webapp.models import Case
from webapp.startup import prepare

from .clock_support import clock_set_back
from .dispatch_support import _dispatch, _sign
from .factories import case_code, exam_data, identity_data, referral_data
from .routines_support import receive_reviewer_report
from .test_reporting_dispatch_reviewer_order import PRELIMINARY

BEFORE = "d8e2f6a4c931"  # export batch case digests, the revision before the identity revision


def _new_case(client: FlaskClient, auth, suffix: str) -> int:
    auth.login("radiographer")
    location = client.post("/cases/new", data=referral_data(key_suffix=suffix)).headers["Location"]
    client.post(location + "/exam", data=exam_data(key_suffix=suffix))
    return int(location.rsplit("/", 1)[-1])


def _correct(client: FlaskClient, auth, case_id: int, number: str) -> None:
    auth.login("radiographer")
    # A name of its own: one name under two numbers is asked about (test_cases_namesakes).
    data = identity_data(
        personal_number=number, patient_name=f"Patient {number}", reason="Felskrivet personnummer"
    )
    assert client.post(f"/cases/{case_id}/identity", data=data).status_code == 302


def _faxed(client: FlaskClient, auth, case_id: int) -> None:
    _sign(client, auth, case_id, "definitive", f"d{case_id}".ljust(20, "x"))
    auth.login("secretary")
    assert client.post(f"/reporting/{case_id}/dispatch", data=_dispatch()).status_code == 302


def _revisions(app: Flask) -> dict[str, list[tuple[int, int]]]:
    """Each table's (case, identity revision) rows, in id order."""
    queries = {
        "case": 'SELECT id, identity_revision FROM "case" ORDER BY id',
        "dispatch": "SELECT case_id, identity_revision FROM report_dispatch ORDER BY id",
        "forwarded": "SELECT x.case_id, e.identity_revision FROM reviewer_log_entry e"
        " JOIN reviewer_exchange x ON x.id = e.exchange_id WHERE e.kind = 'forwarded'"
        " ORDER BY e.id",
    }
    with app.app_context():
        found = {k: [tuple(r) for r in db.session.execute(text(q))] for k, q in queries.items()}
        db.session.remove()
    return found  # type: ignore[return-value]


def _unfaxed(app: Flask, case_id: int) -> list[int]:
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        found = [r.case_id for r in unfaxed_reports(incident_id)]
        db.session.remove()
    return found


def test_faxes_before_the_upgrade_count_the_corrections_logged_before_them(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "external_reviewer"})
    # Faxed, then corrected with the clock set back: the correction is stamped before the fax.
    corrected_after = _new_case(client, auth, "a")
    _faxed(client, auth, corrected_after)
    with clock_set_back(3):
        _correct(client, auth, corrected_after, "19800101-0019")
    # Corrected, then faxed: nothing to fax again.
    corrected_before = _new_case(client, auth, "b")
    _correct(client, auth, corrected_before, "19800101-0035")
    _faxed(client, auth, corrected_before)
    # Faxed and corrected, but the fax's audit event is gone: nothing orders the two.
    no_event = _new_case(client, auth, "c")
    _faxed(client, auth, no_event)
    _correct(client, auth, no_event, "19800101-0050")
    # The reviewer's answer forwarded, then the patient corrected.
    forwarded = _new_case(client, auth, "d")
    receive_reviewer_report(
        client, auth, case_code(app, forwarded), role="secretary", **PRELIMINARY
    )
    _correct(client, auth, forwarded, "19800101-0076")
    with app.app_context():
        db.session.execute(
            text("DELETE FROM audit_event WHERE case_id = :c AND action = 'report_dispatch'"),
            {"c": no_event},
        )
        db.session.commit()
        db.session.remove()
    as_logged = _revisions(app)
    assert as_logged == {
        "case": [(corrected_after, 1), (corrected_before, 1), (no_event, 1), (forwarded, 1)],
        "dispatch": [(corrected_after, 0), (corrected_before, 1), (no_event, 0)],
        "forwarded": [(forwarded, 0)],
    }
    assert _unfaxed(app, corrected_after) == [corrected_after, no_event, forwarded]

    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=BEFORE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("report_dispatch")}
        db.engine.dispose()
    assert "identity_revision" not in columns
    prepare(app)

    # As the app logged them, but the fax without an event, taken as faxed as now.
    as_logged["dispatch"][2] = (no_event, 1)
    assert _revisions(app) == as_logged
    assert _unfaxed(app, corrected_after) == [corrected_after, forwarded]
